// The per-request timeout App Mesh applied to a route: the route's own (15 s by default), capped by the targets'.
import type { MeshNode, RouteTarget } from "../../model/types";
import type { Duration } from "../../read/schema";
import {
  APPMESH_DEFAULT_TIMEOUT_MS,
  durationMillis,
  durationString,
  millisString,
} from "../../route-values";

/** Targets whose listener settings shape a route: defined nodes with weight (weight 0 gets no traffic). */
export function weightedNodes(targets: readonly RouteTarget[]): MeshNode[] {
  return targets.filter((t) => t.weight > 0 && t.node).map((t) => t.node!);
}

/**
 * App Mesh caps a request at the route timeout (client side) and at the target listener's (server side); the
 * result in milliseconds (undefined: no limit) and notes on what was folded or lost.
 */
export function effectiveTimeout(
  perRequest: Duration | undefined,
  nodes: readonly MeshNode[],
  protocol: string,
): { ms: number | undefined; notes: string[] } {
  const notes: string[] = [];
  let ms = perRequest
    ? perRequest.value === 0
      ? Infinity
      : durationMillis(perRequest)
    : APPMESH_DEFAULT_TIMEOUT_MS;
  const requested = ms;
  const uncapped: string[] = [];
  for (const n of nodes) {
    const lt = (n.spec.listeners ?? [])
      .map((l) => l.timeout?.[protocol as "http" | "http2" | "grpc"]?.perRequest)
      .find((x) => x !== undefined);
    if (!lt) {
      uncapped.push(n.source);
      continue;
    }
    const lms = lt.value === 0 ? Infinity : durationMillis(lt);
    notes.push(
      `listener timeout ${durationString(lt) ?? "disabled"} of ${n.source} has no Istio field; folded into this route (effective = the smaller of route and listener)`,
    );
    ms = Math.min(ms, lms);
  }
  if (requested > APPMESH_DEFAULT_TIMEOUT_MS && uncapped.length > 0) {
    // App Mesh's server-side listener default (15 s) cut these requests; Istio will not.
    notes.push(
      `${uncapped.join(", ")} set no listener timeout, so App Mesh cut requests at its 15s listener default; Istio applies the route's ${requested === Infinity ? "unlimited" : millisString(requested)}`,
    );
  }
  if (perRequest?.value === 0)
    notes.push("perRequest timeout 0 disables it; Istio route left without timeout");
  return { ms: ms === Infinity ? undefined : ms, notes };
}

/** A Service port for a node's container (listener) port, as Istio and the Gateway API name Service ports. */
export function servicePort(
  t: { service?: { ports: readonly { port: number; targetPort?: number | string }[] } },
  containerPort: number,
): number {
  const byTarget = t.service?.ports.find((p) => p.targetPort === containerPort);
  return byTarget ? byTarget.port : containerPort;
}
