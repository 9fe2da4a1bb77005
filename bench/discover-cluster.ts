// The discover bench's API server, in a process of its own: 500 namespaces x 20 App Mesh objects with their Services, Deployments and pods.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { APPMESH_TYPES, pod, replicaSet } from "../test/support/discover-cluster";
import { KubeApiServer, KubeObject } from "../test/support/kube-api-server";

export const NAMESPACES = Number(process.env.BENCH_DISCOVER_NAMESPACES ?? 500);
/** App Mesh objects per namespace: 8 VirtualNodes, 6 VirtualServices, 4 VirtualRouters, a VirtualGateway, a GatewayRoute. */
export const PER_NAMESPACE = 20;
const APPS = 8;

function appmesh(
  kind: string,
  ns: string,
  name: string,
  spec: Record<string, unknown>,
): KubeObject {
  return { apiVersion: "appmesh.k8s.aws/v1beta2", kind, metadata: { name, namespace: ns }, spec };
}

/** One namespace's objects. */
export function namespaceObjects(ns: string): KubeObject[] {
  const out: KubeObject[] = [
    {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: {
        name: ns,
        labels: { mesh: "bench", "appmesh.k8s.aws/sidecarInjectorWebhook": "enabled" },
      },
    },
  ];
  for (let i = 0; i < APPS; i++) {
    const app = `app${i}`;
    out.push(
      appmesh("VirtualNode", ns, app, {
        podSelector: { matchLabels: { app } },
        listeners: [{ portMapping: { port: 8080, protocol: "http" } }],
        backends: [{ virtualService: { virtualServiceRef: { name: `app${(i + 1) % APPS}` } } }],
        serviceDiscovery: { dns: { hostname: `${app}.${ns}.svc.cluster.local` } },
      }),
      {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: app, namespace: ns },
        spec: { selector: { app }, ports: [{ name: "http", port: 8080 }] },
      },
      {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: app, namespace: ns, generation: 1 },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app } },
          template: {
            metadata: { labels: { app } },
            spec: { containers: [{ name: "app", image: "registry.example.com/app:1" }] },
          },
        },
        status: { observedGeneration: 1, replicas: 2, updatedReplicas: 2 },
      },
      replicaSet(ns, `${app}-rs`, app),
      pod(ns, `${app}-rs-a`, { rs: `${app}-rs`, envoy: true, labels: { app } }),
      pod(ns, `${app}-rs-b`, { rs: `${app}-rs`, envoy: true, labels: { app } }),
    );
  }
  for (let i = 0; i < 6; i++) {
    const provider =
      i < 4
        ? { virtualRouter: { virtualRouterRef: { name: `router${i}` } } }
        : { virtualNode: { virtualNodeRef: { name: `app${i}` } } };
    out.push(
      appmesh("VirtualService", ns, `app${i}`, {
        awsName: `app${i}.${ns}.svc.cluster.local`,
        provider,
      }),
    );
  }
  for (let i = 0; i < 4; i++) {
    out.push(
      appmesh("VirtualRouter", ns, `router${i}`, {
        listeners: [{ portMapping: { port: 8080, protocol: "http" } }],
        routes: [
          {
            name: "split",
            httpRoute: {
              match: { prefix: "/" },
              action: {
                weightedTargets: [
                  { virtualNodeRef: { name: `app${i}` }, weight: 90 },
                  { virtualNodeRef: { name: `app${i + 4}` }, weight: 10 },
                ],
              },
            },
          },
        ],
      }),
    );
  }
  out.push(
    appmesh("VirtualGateway", ns, "ingress", {
      namespaceSelector: { matchLabels: { mesh: "bench" } },
      podSelector: { matchLabels: { app: "ingress" } },
      listeners: [{ portMapping: { port: 8088, protocol: "http" } }],
    }),
    appmesh("GatewayRoute", ns, "to-app0", {
      httpRoute: {
        match: { prefix: "/" },
        action: { target: { virtualService: { virtualServiceRef: { name: "app0" } } } },
      },
    }),
  );
  return out;
}

async function main(): Promise<void> {
  const server = await KubeApiServer.start({ types: APPMESH_TYPES, eventLog: 1 });
  server.add({
    apiVersion: "appmesh.k8s.aws/v1beta2",
    kind: "Mesh",
    metadata: { name: "bench" },
    spec: { namespaceSelector: { matchLabels: { mesh: "bench" } } },
  });
  for (let n = 0; n < NAMESPACES; n++)
    for (const o of namespaceObjects(`team-${String(n).padStart(3, "0")}`)) server.add(o);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "meshlift-discover-bench-"));
  process.stdout.write(`${JSON.stringify({ kubeconfig: server.writeKubeconfig(dir), dir })}\n`);
  // Serve until the bench closes stdin.
  process.stdin.resume();
  process.stdin.on("end", () => {
    void server.close().then(() => {
      process.stdout.write(`${JSON.stringify({ requests: server.requests.length })}\n`);
      fs.rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    });
  });
}

if (require.main === module) void main();
