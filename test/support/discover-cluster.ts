// Test clusters for discover: the App Mesh CRDs on the local API server, App Mesh YAML served as live objects, and a small meshed cluster.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as jsyaml from "js-yaml";
import { ClusterSnapshot, NamespaceReads } from "../../discover/model";
import { APPMESH_GROUP, APPMESH_KINDS, SGP_GROUP, SGP_VERSION } from "../../discover/reads";
import { KubeApiServer, KubeObject, ResourceType } from "./kube-api-server";
import { ENVOY } from "./verify-pods";

export const APPMESH_TYPES: readonly ResourceType[] = APPMESH_KINDS.map((k) => ({
  group: APPMESH_GROUP,
  version: "v1beta2",
  resource: k.resource,
  kind: k.kind,
  namespaced: k.namespaced,
}));
export const SGP_TYPE: ResourceType = {
  group: SGP_GROUP,
  version: SGP_VERSION,
  resource: "securitygrouppolicies",
  kind: "SecurityGroupPolicy",
  namespaced: true,
  status: false,
};

export interface TestCluster {
  readonly server: KubeApiServer;
  readonly dir: string;
  readonly kubeconfig: string;
  close(): Promise<void>;
}

/** A local API server with the App Mesh CRDs (and more types), a kubeconfig for it and a temp dir. */
export async function startCluster(
  opts: { types?: readonly ResourceType[]; token?: string } = {},
): Promise<TestCluster> {
  const server = await KubeApiServer.start({
    token: opts.token ?? "discover-token",
    types: opts.types ?? APPMESH_TYPES,
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "meshlift-discover-"));
  return {
    server,
    dir,
    kubeconfig: server.writeKubeconfig(dir, { context: "test" }),
    close: async () => {
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Namespace labels from an example's header ("#   ns: a=b, c=d" under "their labels were:"). */
export function headerLabels(text: string): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  const block = /# Namespace docs dropped; their labels were:\n((?:#\s+[^\n]*\n)+)/.exec(text);
  for (const line of block?.[1].split("\n") ?? []) {
    const m = /^#\s+([a-z0-9-]+):\s*(.*)$/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const pair of m[2].split(",")) {
      const kv = /^\s*([^=\s]+)=(\S*)\s*$/.exec(pair);
      if (kv) labels[kv[1]] = kv[2];
    }
    out.set(m[1], labels);
  }
  return out;
}

/**
 * Serves App Mesh YAML as live objects: every document (namespace "default" when it names none), and a
 * Namespace for each namespace, labelled as the file's header says. As in a live cluster, where the App Mesh
 * controller refuses objects in a namespace no Mesh selects, a namespace holding App Mesh objects that no
 * Mesh selects gets the labels of the file's only Mesh.
 */
export function serveYaml(server: KubeApiServer, text: string): KubeObject[] {
  const docs = jsyaml
    .loadAll(text)
    .filter((d): d is KubeObject => typeof d === "object" && d !== null);
  const labels = headerLabels(text);
  const namespaces = new Set<string>();
  const served: KubeObject[] = [];
  for (const d of docs) {
    const meta = d.metadata ?? {};
    if (d.kind !== "Mesh") {
      meta.namespace = typeof meta.namespace === "string" ? meta.namespace : "default";
      namespaces.add(meta.namespace as string);
    }
    served.push(server.add({ ...d, metadata: meta }));
  }
  const meshes = docs.filter((d) => d.kind === "Mesh");
  for (const ns of namespaces) {
    const l = { ...(labels.get(ns) ?? {}) };
    const holdsAppMesh = docs.some(
      (d) =>
        String(d.apiVersion).startsWith(APPMESH_GROUP) &&
        (d.metadata as Record<string, unknown>).namespace === ns,
    );
    const selected = meshes.some((m) =>
      Object.entries(
        (
          (m.spec as Record<string, unknown> | undefined)?.namespaceSelector as
            { matchLabels?: Record<string, string> } | undefined
        )?.matchLabels ?? {},
      ).every(([k, v]) => l[k] === v),
    );
    if (holdsAppMesh && !selected && meshes.length === 1) {
      Object.assign(
        l,
        (
          (meshes[0].spec as Record<string, unknown>).namespaceSelector as {
            matchLabels?: Record<string, string>;
          }
        ).matchLabels ?? {},
      );
    }
    server.add({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns, labels: l } });
  }
  return served;
}

/** A pod of a Deployment's ReplicaSet, with or without the App Mesh Envoy. */
export function pod(
  ns: string,
  name: string,
  o: {
    rs?: string;
    envoy?: boolean;
    node?: string;
    labels?: Record<string, string>;
    phase?: string;
    fargate?: string;
  } = {},
): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      namespace: ns,
      labels: {
        ...(o.labels ?? {}),
        ...(o.fargate ? { "eks.amazonaws.com/fargate-profile": o.fargate } : {}),
      },
      ...(o.rs
        ? {
            ownerReferences: [
              {
                apiVersion: "apps/v1",
                kind: "ReplicaSet",
                name: o.rs,
                uid: `uid-${o.rs}`,
                controller: true,
              },
            ],
          }
        : {}),
    },
    spec: {
      nodeName: o.node ?? "ip-10-0-1-1.ec2.internal",
      ...(o.fargate ? { schedulerName: "fargate-scheduler" } : {}),
      containers: [
        {
          name: "app",
          image: "registry.example.com/app:1",
          env: [{ name: "DB_PASSWORD", value: "hunter2" }],
        },
        ...(o.envoy
          ? [
              {
                name: "envoy",
                image: ENVOY,
                env: [
                  {
                    name: "APPMESH_RESOURCE_ARN",
                    value:
                      "arn:aws:appmesh:eu-west-1:111122223333:mesh/shop-mesh/virtualNode/cart_shop",
                  },
                ],
              },
            ]
          : []),
      ],
    },
    status: { phase: o.phase ?? "Running" },
  };
}

export function replicaSet(ns: string, name: string, deployment: string): KubeObject {
  return {
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: {
      name,
      namespace: ns,
      ownerReferences: [
        {
          apiVersion: "apps/v1",
          kind: "Deployment",
          name: deployment,
          uid: `uid-${deployment}`,
          controller: true,
        },
      ],
    },
    spec: { selector: { matchLabels: { app: deployment } } },
  };
}

/**
 * The meshed test cluster: mesh shop-mesh over namespaces shop and pay (shop's cart calls pay's ledger),
 * Services and Deployments with an env secret, pods with the App Mesh Envoy (cart mid-rollout, ledger
 * scaled by an HPA, one pod on a cordoned node), the App Mesh and Istio webhooks, aws-node, a
 * SecurityGroupPolicy, a Fargate pod, and namespace web with nothing of App Mesh.
 */
export const MESHED_CLUSTER = `
apiVersion: appmesh.k8s.aws/v1beta2
kind: Mesh
metadata:
  name: shop-mesh
spec:
  namespaceSelector:
    matchLabels:
      mesh: shop-mesh
  egressFilter:
    type: DROP_ALL
---
apiVersion: appmesh.k8s.aws/v1beta2
kind: VirtualNode
metadata:
  name: cart
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: cart
  listeners:
    - portMapping:
        port: 8080
        protocol: http
  backends:
    - virtualService:
        virtualServiceRef:
          name: ledger
          namespace: pay
  serviceDiscovery:
    dns:
      hostname: cart.shop.svc.cluster.local
---
apiVersion: appmesh.k8s.aws/v1beta2
kind: VirtualService
metadata:
  name: cart
  namespace: shop
spec:
  awsName: cart.shop.svc.cluster.local
  provider:
    virtualNode:
      virtualNodeRef:
        name: cart
---
apiVersion: appmesh.k8s.aws/v1beta2
kind: VirtualNode
metadata:
  name: ledger
  namespace: pay
spec:
  podSelector:
    matchLabels:
      app: ledger
  listeners:
    - portMapping:
        port: 9090
        protocol: http
  serviceDiscovery:
    dns:
      hostname: ledger.pay.svc.cluster.local
---
apiVersion: appmesh.k8s.aws/v1beta2
kind: VirtualRouter
metadata:
  name: ledger-router
  namespace: pay
spec:
  listeners:
    - portMapping:
        port: 9090
        protocol: http
  routes:
    - name: all
      httpRoute:
        match:
          prefix: /
        action:
          weightedTargets:
            - virtualNodeRef:
                name: ledger
              weight: 100
---
apiVersion: appmesh.k8s.aws/v1beta2
kind: VirtualService
metadata:
  name: ledger
  namespace: pay
spec:
  awsName: ledger.pay.svc.cluster.local
  provider:
    virtualRouter:
      virtualRouterRef:
        name: ledger-router
---
apiVersion: v1
kind: Service
metadata:
  name: cart
  namespace: shop
spec:
  selector:
    app: cart
  ports:
    - name: http
      port: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: ledger
  namespace: pay
spec:
  selector:
    app: ledger
  ports:
    - name: http
      port: 9090
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: cart
  namespace: shop
spec:
  replicas: 2
  selector:
    matchLabels:
      app: cart
  template:
    metadata:
      labels:
        app: cart
    spec:
      serviceAccountName: cart
      containers:
        - name: app
          image: registry.example.com/cart:2
          env:
            - name: DB_PASSWORD
              value: hunter2
            - name: API_KEY
              valueFrom:
                secretKeyRef:
                  name: cart
                  key: api-key
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ledger
  namespace: pay
spec:
  replicas: 2
  selector:
    matchLabels:
      app: ledger
  template:
    metadata:
      labels:
        app: ledger
    spec:
      containers:
        - name: app
          image: registry.example.com/ledger:1
`;

/** Serves MESHED_CLUSTER plus the live state the at-risk report reads. */
export function serveMeshedCluster(server: KubeApiServer): void {
  for (const d of jsyaml.loadAll(MESHED_CLUSTER) as KubeObject[]) server.add(d);
  const ns = (name: string, labels: Record<string, string>) =>
    server.add({ apiVersion: "v1", kind: "Namespace", metadata: { name, labels } });
  ns("shop", { mesh: "shop-mesh", "appmesh.k8s.aws/sidecarInjectorWebhook": "enabled" });
  ns("pay", { mesh: "shop-mesh", "appmesh.k8s.aws/sidecarInjectorWebhook": "enabled" });
  ns("web", {});
  ns("kube-system", {});
  // Server-set state the export must not carry.
  server.update("apps/v1", "Deployment", "shop", "cart", (d) => {
    Object.assign(d.metadata as object, {
      generation: 3,
      annotations: {
        "deployment.kubernetes.io/revision": "3",
        "kubectl.kubernetes.io/last-applied-configuration": '{"secret":"hunter2"}',
      },
      managedFields: [{ manager: "kubectl", operation: "Apply" }],
    });
    d.status = {
      observedGeneration: 3,
      replicas: 2,
      updatedReplicas: 1,
      conditions: [{ type: "Progressing", status: "True", reason: "ReplicaSetUpdated" }],
    };
  });
  server.update("apps/v1", "Deployment", "pay", "ledger", (d) => {
    d.status = {
      observedGeneration: 1,
      replicas: 2,
      updatedReplicas: 2,
      conditions: [{ type: "Progressing", status: "True", reason: "NewReplicaSetAvailable" }],
    };
  });
  server.update("v1", "Service", "shop", "cart", (s) => {
    Object.assign(s.spec as object, { clusterIP: "172.20.1.10", clusterIPs: ["172.20.1.10"] });
  });
  server.add(replicaSet("shop", "cart-7d9f", "cart"));
  server.add(replicaSet("pay", "ledger-5c4b", "ledger"));
  server.add(pod("shop", "cart-7d9f-a", { rs: "cart-7d9f", envoy: true, labels: { app: "cart" } }));
  server.add(pod("shop", "cart-7d9f-b", { rs: "cart-7d9f", envoy: true, labels: { app: "cart" } }));
  server.add(
    pod("pay", "ledger-5c4b-a", {
      rs: "ledger-5c4b",
      envoy: true,
      labels: { app: "ledger" },
      node: "ip-10-0-2-2.ec2.internal",
    }),
  );
  server.add(pod("pay", "batch-done", { envoy: true, phase: "Succeeded" }));
  server.add(pod("pay", "ledger-fargate", { labels: { app: "ledger" }, fargate: "fp-pay" }));
  server.add(pod("web", "site", { labels: { app: "site" } }));
  server.add({
    apiVersion: "v1",
    kind: "Node",
    metadata: { name: "ip-10-0-1-1.ec2.internal" },
    spec: {},
  });
  server.add({
    apiVersion: "v1",
    kind: "Node",
    metadata: { name: "ip-10-0-2-2.ec2.internal" },
    spec: { unschedulable: true },
  });
  server.add({
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: { name: "ledger", namespace: "pay" },
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "ledger" },
      minReplicas: 2,
      maxReplicas: 8,
    },
    status: { currentReplicas: 2 },
  });
  server.add({
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "MutatingWebhookConfiguration",
    metadata: { name: "appmesh-controller-mutating-webhook-configuration" },
    webhooks: [
      {
        name: "mpod.appmesh.k8s.aws",
        failurePolicy: "Fail",
        clientConfig: {
          service: { namespace: "appmesh-system", name: "appmesh-controller-webhook-service" },
        },
        namespaceSelector: { matchLabels: { "appmesh.k8s.aws/sidecarInjectorWebhook": "enabled" } },
      },
    ],
  });
  server.add({
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "ValidatingWebhookConfiguration",
    metadata: { name: "istio-validator-istio-system" },
    webhooks: [
      {
        name: "rev.validation.istio.io",
        failurePolicy: "Ignore",
        clientConfig: { service: { namespace: "istio-system", name: "istiod" } },
      },
    ],
  });
  server.add({
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name: "aws-node", namespace: "kube-system" },
    spec: {
      selector: { matchLabels: { "k8s-app": "aws-node" } },
      template: {
        metadata: { labels: { "k8s-app": "aws-node" } },
        spec: {
          containers: [
            {
              name: "aws-node",
              image: "602401143452.dkr.ecr.eu-west-1.amazonaws.com/amazon-k8s-cni:v1.19.2",
              env: [
                { name: "ENABLE_POD_ENI", value: "true" },
                { name: "POD_SECURITY_GROUP_ENFORCING_MODE", value: "strict" },
              ],
            },
          ],
        },
      },
    },
  });
}

/** A SecurityGroupPolicy for a namespace (needs SGP_TYPE on the server). */
export function securityGroupPolicy(ns: string, name: string): KubeObject {
  return {
    apiVersion: `${SGP_GROUP}/${SGP_VERSION}`,
    kind: "SecurityGroupPolicy",
    metadata: { name, namespace: ns },
    spec: {
      podSelector: { matchLabels: { app: "ledger" } },
      securityGroups: { groupIds: ["sg-0123456789abcdef0"] },
    },
  };
}

/** A cluster snapshot as readCluster returns it, empty but for what the test gives (context prod). */
export function snapshot(
  o: Partial<ClusterSnapshot> & { reads?: Record<string, Partial<NamespaceReads>> },
): ClusterSnapshot {
  const empty: NamespaceReads = {
    services: [],
    deployments: [],
    replicaSets: [],
    hpas: [],
    securityGroupPolicies: [],
  };
  return {
    context: "prod",
    server: "https://example",
    appmeshVersions: ["v1beta2"],
    appmesh: [],
    legacy: [],
    namespaces: [],
    pods: [],
    nodes: [],
    webhooks: [],
    meshed: [],
    installed: { hpa: true, securityGroupPolicies: false },
    ...o,
    perNamespace: new Map(Object.entries(o.reads ?? {}).map(([k, v]) => [k, { ...empty, ...v }])),
  };
}

/** kube-system/aws-node, the VPC CNI's DaemonSet, with the given environment on its container. */
export function awsNodeDaemonSet(env: readonly { name: string; value: string }[]): KubeObject {
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name: "aws-node", namespace: "kube-system" },
    spec: { template: { spec: { containers: [{ name: "aws-node", env: [...env] }] } } },
  };
}
