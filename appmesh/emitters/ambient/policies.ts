// A VirtualNode's policies in ambient mode: DestinationRules a waypoint applies, PeerAuthentication for ztunnel,
// AuthorizationPolicy on the waypoint (targetRefs) where one carries the node's traffic, else L4 (selector).
import type { MeshNode } from "../../model/types";
import type { GatewayEnv } from "../gateway-api/backends";
import { reachedBy } from "../gateway-api/backends";
import {
  authorizationPolicy,
  backendClientTls,
  connectionPool,
  outlierDetection,
  peerAuthentication,
  serviceEntry,
} from "../shared/policies";

/** Before waypoints are placed: the node's DestinationRule policies (they put a waypoint in front of the host). */
export function nodeDestinationPolicies(env: GatewayEnv, n: MeshNode): void {
  const { ctx, drs } = env;
  const t = n.target;
  if (!t.valid) return;
  if (!t.inCluster) serviceEntry(ctx, n);
  const host = reachedBy(env, n);
  outlierDetection(
    ctx,
    drs,
    n,
    host,
    "applied by the waypoint in front of the host, for every caller",
  );
  const pool = (n.spec.listeners ?? []).find((l) => l.connectionPool)?.connectionPool;
  const cp = pool ? connectionPool(pool) : undefined;
  if (cp && host.inCluster) {
    const dr = drs.of(host);
    dr.trafficPolicy.connectionPool = {
      ...(dr.trafficPolicy.connectionPool as object | undefined),
      ...cp,
    };
    dr.sources.add(n.source);
    ctx.on(
      n,
      "info",
      "spec.listeners[].connectionPool",
      `-> DestinationRule ${dr.namespace}/${dr.name} connectionPool: the waypoint in front of ${host.host} applies it to all traffic into the node, as App Mesh's server-side limit did`,
    );
  }
  backendClientTls(ctx, drs, n, "ambient", (x) => reachedBy(env, x));
}

/** The Services whose traffic reaches a node in its namespace: its own, and those whose routes send to it. */
function servicesReaching(env: GatewayEnv, n: MeshNode): string[] {
  const own = reachedBy(env, n);
  const ns = own.hostNamespace;
  const names = new Set<string>([own.host.split(".")[0]]);
  for (const vs of env.ctx.model.services) {
    if (!vs.inCluster || !vs.hostValid || vs.host.split(".")[1] !== ns) continue;
    const p = vs.provider;
    const reaches =
      (p.kind === "node" && p.node === n) ||
      (p.kind === "router" &&
        p.router.routes.some((r) => r.targets.some((t) => t.node === n && t.weight > 0)));
    if (reaches) names.add(vs.host.split(".")[0]);
  }
  return [...names].sort();
}

/** After waypoints are placed: everything ztunnel or the waypoint enforces for the node's pods. */
export function nodePolicies(env: GatewayEnv, n: MeshNode, waypoints: ReadonlySet<string>): void {
  const { ctx } = env;
  const labels = n.podLabels;
  const listeners = n.spec.listeners ?? [];
  if (n.backends.length > 0)
    ctx.on(
      n,
      "info",
      "spec.backends",
      "ambient mode has no per-workload egress list (no Sidecar): the backends are not enforced on the caller; the callees' AuthorizationPolicies restrict who may call them",
    );
  if (!labels) {
    if (listeners.some((l) => l.tls) && n.target.inCluster)
      ctx.on(
        n,
        "warning",
        "spec.podSelector",
        `${n.fromApi ? "AWS API input has no pod selector" : "no podSelector labels"}: listener TLS (PeerAuthentication) not converted; it needs a workload selector`,
      );
    return;
  }
  peerAuthentication(ctx, n, labels);
  const own = reachedBy(env, n);
  if (own.inCluster && waypoints.has(own.hostNamespace) && own.hostNamespace === n.namespace) {
    const services = servicesReaching(env, n);
    const shared = services.filter((s) =>
      env.ctx.model.nodes.some((o) => o !== n && servicesReaching(env, o).includes(s)),
    );
    authorizationPolicy(ctx, n, {
      targetRefs: services.map((name) => ({ group: "", kind: "Service", name })),
      note: `enforced by waypoint ${n.namespace}/waypoint for traffic to ${services.join(", ")} (ztunnel sees the waypoint as the caller, so a selector policy would refuse it)`,
    });
    const restricts = listeners.some((l) => l.tls?.validation?.subjectAlternativeNames);
    if (shared.length && restricts)
      ctx.on(
        n,
        "warning",
        "spec.listeners[].tls.validation.subjectAlternativeNames",
        `the waypoint applies policies per Service, and ${shared.join(", ")} also lead to other VirtualNodes: this node's allowed callers now restrict those too (App Mesh restricted this node only)`,
      );
  } else {
    authorizationPolicy(ctx, n, { selector: labels });
  }
}
