// Bench: convert a generated App Mesh export (2,000 VirtualNodes, 1,000 VirtualRouters + routes and services)
// for each target, and compare with only parsing and re-serialising the same YAML (goal: each under 3x).
import * as jsyaml from "js-yaml";
import * as YAML from "yaml";
import { convert, Target, TARGETS, toYaml, validateObjects } from "../appmesh";

const NODES = 2000;
const ROUTERS = 1000;
const NAMESPACES = 20;

/** A realistic export: every router splits traffic between two versions, with header, retry and timeout routes. */
export function generateExport(nodes = NODES, routers = ROUTERS): string {
  const docs: unknown[] = [
    {
      apiVersion: "appmesh.k8s.aws/v1beta2",
      kind: "Mesh",
      metadata: { name: "bench" },
      spec: { namespaceSelector: { matchLabels: { mesh: "bench" } } },
    },
  ];
  const perRouter = nodes / routers;
  for (let r = 0; r < routers; r++) {
    const ns = `team-${r % NAMESPACES}`;
    const app = `svc-${r}`;
    const versions: string[] = [];
    for (let v = 0; v < perRouter; v++) {
      const name = `${app}-v${v + 1}`;
      versions.push(name);
      docs.push({
        apiVersion: "appmesh.k8s.aws/v1beta2",
        kind: "VirtualNode",
        metadata: { name, namespace: ns },
        spec: {
          podSelector: { matchLabels: { app, version: `v${v + 1}` } },
          listeners: [
            {
              portMapping: { port: 8080, protocol: "http" },
              healthCheck: {
                protocol: "http",
                path: "/ping",
                healthyThreshold: 2,
                unhealthyThreshold: 2,
                timeoutMillis: 2000,
                intervalMillis: 5000,
              },
              ...(v === 0
                ? {
                    outlierDetection: {
                      maxServerErrors: 5,
                      maxEjectionPercent: 50,
                      interval: { value: 10, unit: "s" },
                      baseEjectionDuration: { value: 30, unit: "s" },
                    },
                  }
                : {}),
            },
          ],
          backends: [
            {
              virtualService: {
                virtualServiceRef: {
                  name: `svc-${(r + 1) % routers}`,
                  namespace: `team-${((r + 1) % routers) % NAMESPACES}`,
                },
              },
            },
          ],
          serviceDiscovery: { dns: { hostname: `${name}.${ns}.svc.cluster.local` } },
        },
      });
    }
    docs.push({
      apiVersion: "appmesh.k8s.aws/v1beta2",
      kind: "VirtualService",
      metadata: { name: app, namespace: ns },
      spec: {
        awsName: `${app}.${ns}.svc.cluster.local`,
        provider: { virtualRouter: { virtualRouterRef: { name: `${app}-router` } } },
      },
    });
    const split = versions.map((v, i) => ({
      virtualNodeRef: { name: v },
      weight: i === 0 ? 90 : 10,
    }));
    docs.push({
      apiVersion: "appmesh.k8s.aws/v1beta2",
      kind: "VirtualRouter",
      metadata: { name: `${app}-router`, namespace: ns },
      spec: {
        listeners: [{ portMapping: { port: 8080, protocol: "http" } }],
        routes: [
          {
            name: "canary-header",
            priority: 10,
            httpRoute: {
              match: { prefix: "/", headers: [{ name: "x-canary", match: { exact: "true" } }] },
              action: {
                weightedTargets: [
                  { virtualNodeRef: { name: versions[versions.length - 1] }, weight: 1 },
                ],
              },
            },
          },
          {
            name: "api",
            priority: 20,
            httpRoute: {
              match: { prefix: "/api", method: "POST" },
              action: { weightedTargets: split },
              retryPolicy: {
                maxRetries: 3,
                perRetryTimeout: { value: 500, unit: "ms" },
                httpRetryEvents: ["server-error", "gateway-error"],
                tcpRetryEvents: ["connection-error"],
              },
              timeout: { perRequest: { value: 30, unit: "s" } },
            },
          },
          {
            name: "default",
            httpRoute: { match: { prefix: "/" }, action: { weightedTargets: split } },
          },
        ],
      },
    });
  }
  return docs.map((d) => YAML.stringify(d)).join("---\n");
}

/** Wall and CPU time: on a shared, loaded machine CPU time is the figure that reflects the work done. */
function time<T>(fn: () => T): { ms: number; cpuMs: number; value: T } {
  const c = process.cpuUsage();
  const t = process.hrtime.bigint();
  const value = fn();
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  const d = process.cpuUsage(c);
  return { ms, cpuMs: (d.user + d.system) / 1000, value };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export default async function bench(): Promise<string[]> {
  const content = generateExport();
  const files = [{ path: "export.yaml", content }];
  // The baseline uses the converter's own YAML library (js-yaml, same options) so the ratio measures conversion.
  const baseline = () =>
    jsyaml
      .loadAll(content, null, { schema: jsyaml.CORE_SCHEMA })
      .map((d) => jsyaml.dump(d, { lineWidth: -1, noRefs: true, skipInvalid: true }))
      .join("---\n");
  const conversion = (target: Target) => () => {
    const r = convert(files, { target });
    return { r, yaml: toYaml(r.objects) };
  };
  // One warm-up each (JIT, module loading), then the median of three runs, interleaved so load hits all alike.
  baseline();
  for (const t of TARGETS) conversion(t)();
  const base: { ms: number; cpuMs: number }[] = [];
  const conv = new Map<Target, { ms: number; cpuMs: number }[]>(TARGETS.map((t) => [t, []]));
  const last = new Map<Target, ReturnType<ReturnType<typeof conversion>>>();
  for (let i = 0; i < 3; i++) {
    base.push(time(baseline));
    for (const t of TARGETS) {
      const c = time(conversion(t));
      conv.get(t)!.push(c);
      last.set(t, c.value);
    }
  }
  const b = median(base.map((x) => x.ms));
  const bCpu = median(base.map((x) => x.cpuMs));
  const load = (await import("node:os")).loadavg()[0];
  const lines = [
    `input: ${NODES} VirtualNodes, ${ROUTERS} VirtualRouters (3 routes each), ${ROUTERS} VirtualServices; ${(content.length / 1e6).toFixed(1)} MB YAML`,
    `parse + re-serialise only, js-yaml (median of 3): wall ${b.toFixed(0)} ms, cpu ${bCpu.toFixed(0)} ms`,
  ];
  for (const t of TARGETS) {
    const runs = conv.get(t)!;
    const c = median(runs.map((x) => x.ms));
    const cCpu = median(runs.map((x) => x.cpuMs));
    const out = last.get(t)!;
    const problems = await validateObjects(out.r.objects);
    const ratio = Math.max(c / b, cCpu / bCpu);
    lines.push(
      `${t.padEnd(11)} convert + toYaml (median of 3): wall ${c.toFixed(0)} ms, cpu ${cCpu.toFixed(0)} ms; ` +
        `ratio ${(c / b).toFixed(2)}x wall, ${(cCpu / bCpu).toFixed(2)}x cpu (goal < 3x: ${ratio < 3 ? "met" : "MISSED"}); ` +
        `${out.r.objects.length} objects, ${out.r.findings.length} findings, ${(out.yaml.length / 1e6).toFixed(1)} MB; ${problems.length} invalid`,
    );
  }
  lines.push(
    `machine load average ${load.toFixed(1)} (timings are inflated on a busy machine; the ratios are comparable)`,
  );
  return lines;
}
