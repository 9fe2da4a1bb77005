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

/** Which nodes each Service leads to ("ns/name" -> nodes): its own pods, and where its routes send traffic. */
export type Reach = ReadonlyMap<string, ReadonlySet<MeshNode>>;

export function reachIndex(env: GatewayEnv): Reach {
  const out = new Map<string, Set<MeshNode>>();
  const add = (ns: string, name: string, n: MeshNode) => {
    const k = `${ns}/${name}`;
    out.set(k, (out.get(k) ?? new Set()).add(n));
  };
  for (const n of env.ctx.model.nodes) {
    const own = reachedBy(env, n);
    if (own.inCluster) add(own.hostNamespace, own.host.split(".")[0], n);
  }
  for (const vs of env.ctx.model.services) {
    if (!vs.inCluster || !vs.hostValid) continue;
    const [name, ns] = vs.host.split(".");
    const p = vs.provider;
    if (p.kind === "node") add(ns, name, p.node);
    if (p.kind === "router")
      for (const r of p.router.routes)
        for (const t of r.targets) if (t.node && t.weight > 0) add(ns, name, t.node);
  }
  return out;
}

/** After waypoints are placed: everything ztunnel or the waypoint enforces for the node's pods. */
export function nodePolicies(
  env: GatewayEnv,
  n: MeshNode,
  waypoints: ReadonlySet<string>,
  reach: () => Reach,
): void {
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
  // Only listeners that name allowed clients make an AuthorizationPolicy.
  if (!listeners.some((l) => l.tls?.validation?.subjectAlternativeNames?.match.exact.length))
    return;
  const own = reachedBy(env, n);
  if (own.inCluster && waypoints.has(own.hostNamespace) && own.hostNamespace === n.namespace) {
    const index = reach();
    const services = [...index.entries()]
      .filter(([k, nodes]) => k.startsWith(`${n.namespace}/`) && nodes.has(n))
      .map(([k]) => k.slice(n.namespace.length + 1))
      .sort();
    const shared = services.filter((s) => (index.get(`${n.namespace}/${s}`)?.size ?? 0) > 1);
    authorizationPolicy(ctx, n, {
      targetRefs: services.map((name) => ({ group: "", kind: "Service", name })),
      note: `enforced by waypoint ${n.namespace}/waypoint for traffic to ${services.join(", ")} (ztunnel sees the waypoint as the caller, so a selector policy would refuse it)`,
    });
    if (shared.length)
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
