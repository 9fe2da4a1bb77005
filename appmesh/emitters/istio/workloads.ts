// A VirtualNode's server side in sidecar mode: ServiceEntry, Sidecar, PeerAuthentication, AuthorizationPolicy.
import type { MeshNode } from "../../model/types";
import type { EmitContext } from "../shared/context";
import type { DestinationRules } from "../shared/destination-rules";
import {
  authorizationPolicy,
  backendClientTls,
  backendEgressHosts,
  connectionPool,
  HostOf,
  outlierDetection,
  OWN_TARGET,
  peerAuthentication,
  serviceEntry,
} from "../shared/policies";

/**
 * `hostOf`: where callers reach a node (its own target in sidecar Istio; its version's Service when the routes
 * use the Gateway API, which has no subsets).
 */
export function nodeServerSide(
  ctx: EmitContext,
  drs: DestinationRules,
  n: MeshNode,
  hostOf: HostOf = OWN_TARGET,
): void {
  const t = n.target;
  const listeners = n.spec.listeners ?? [];
  const labels = n.podLabels;
  if (!t.inCluster && t.valid) serviceEntry(ctx, n);
  if (t.selectorless && hostOf === OWN_TARGET) {
    ctx.on(
      n,
      "blocker",
      "spec.serviceDiscovery.awsCloudMap",
      `Service ${t.hostNamespace}/${t.host.split(".")[0]} has no selector, so Istio has no endpoints for ${t.host}; App Mesh sent this traffic to the pods registered in Cloud Map (${JSON.stringify(n.podLabels)}): give the Service a selector that matches them (or convert with --target gateway-api, which gives the node its own Service)`,
    );
  }
  if (t.valid)
    outlierDetection(
      ctx,
      drs,
      n,
      hostOf === OWN_TARGET ? t : hostOf(n),
      "enforced by callers, as in App Mesh",
    );
  const pool = listeners.find((l) => l.connectionPool)?.connectionPool;
  const inboundConnectionPool = pool ? connectionPool(pool) : undefined;
  const hosts = [...new Set(n.backends.flatMap((b) => backendEgressHosts(ctx, b, hostOf)))].sort();
  backendClientTls(ctx, drs, n, "istio-mutual", hostOf);
  const tlsListeners = listeners.filter((l) => l.tls);

  if (!labels) {
    const needs = [
      hosts.length ? "backends (Sidecar)" : "",
      pool ? "connectionPool (Sidecar)" : "",
      tlsListeners.length ? "listener TLS (PeerAuthentication)" : "",
    ].filter(Boolean);
    if (needs.length && t.inCluster) {
      ctx.on(
        n,
        "warning",
        "spec.podSelector",
        `${n.fromApi ? "AWS API input has no pod selector" : "no podSelector labels"}: ${needs.join(", ")} not converted; they need a workload selector`,
      );
    }
    return;
  }

  const dropAll = ctx.model.dropAll;
  if (hosts.length || pool || dropAll) {
    ctx.istio(
      "Sidecar",
      n.namespace,
      n.name,
      {
        workloadSelector: { labels },
        ...(hosts.length ? { egress: [{ hosts: ["istio-system/*", ...hosts] }] } : {}),
        ...(inboundConnectionPool ? { inboundConnectionPool } : {}),
        ...(dropAll ? { outboundTrafficPolicy: { mode: "REGISTRY_ONLY" } } : {}),
      },
      n.source,
    );
    if (pool) {
      ctx.on(
        n,
        "info",
        "spec.listeners[].connectionPool",
        "-> Sidecar inboundConnectionPool (server side, where App Mesh applies it); a DestinationRule pool would throttle each client instead",
      );
    }
  }
  peerAuthentication(ctx, n, labels);
  authorizationPolicy(ctx, n, { selector: labels });
}
