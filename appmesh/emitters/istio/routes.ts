// VirtualRouter routes -> Istio VirtualService `http` / `tcp` entries (converted once per router).
import type { MeshRoute, MeshRouter, RouteTarget } from "../../model/types";
import type { RetryPolicy } from "../../read/schema";
import {
  APPMESH_DEFAULT_RETRIES,
  durationString,
  millisString,
  normalizeWeights,
  retryOn,
} from "../../route-values";
import { isEmpty } from "../../model/context";
import { clean, Obj } from "../objects";
import type { EmitContext } from "../shared/context";
import { DestinationRules, tcpIdleTimeout } from "../shared/destination-rules";
import { effectiveTimeout, servicePort, weightedNodes } from "../shared/timeouts";
import { grpcMatch, httpMatch } from "./matches";

export interface RouterRoutes {
  readonly http: Obj[];
  readonly tcp: Obj[];
}

/** Istio destinations for a route's targets, weights normalised to sum 100 (reported when not exact). */
export function destinations(ctx: EmitContext, route: MeshRoute): Obj[] {
  const { source, origin } = route.entry;
  const field = `${route.field}.action.weightedTargets`;
  const kept = route.targets.map((t: RouteTarget) => {
    const port = t.port !== undefined ? servicePort(t.target, t.port) : undefined;
    return {
      dest: clean({
        host: t.target.host,
        subset: t.target.subset,
        port: port !== undefined ? { number: port } : undefined,
      }),
      weight: t.weight,
    };
  });
  const weights = normalizeWeights(kept.map((k) => k.weight));
  if (!route.allZero) {
    const total = kept.reduce((a, k) => a + k.weight, 0);
    const exact = kept.every((k, i) => k.weight * 100 === weights[i] * total);
    if (!exact) {
      ctx.at(
        "info",
        source,
        origin,
        field,
        `weights ${kept.map((k) => k.weight).join(":")} normalised to ${weights.join("/")} (sum 100; within 1 point of the ratio)`,
      );
    }
  }
  return kept.length === 1 && weights[0] === 100
    ? [{ destination: kept[0].dest }]
    : kept.map((k, i) => ({ destination: k.dest, weight: weights[i] }));
}

function retries(ctx: EmitContext, p: RetryPolicy | undefined, route: MeshRoute): Obj {
  if (!p) return { ...APPMESH_DEFAULT_RETRIES };
  const { source, origin } = route.entry;
  const field = `${route.field}.retryPolicy`;
  const on = retryOn(p);
  const per = durationString(p.perRetryTimeout);
  if (!per)
    ctx.at(
      "warning",
      source,
      origin,
      `${field}.perRetryTimeout`,
      "perRetryTimeout 0 is below Istio's 1ms minimum; left unset (per-try timeout = route timeout)",
    );
  if (on === "")
    ctx.at("info", source, origin, field, "no retry events: Istio's default retryOn applies");
  return clean({ attempts: p.maxRetries, perTryTimeout: per, retryOn: on === "" ? undefined : on });
}

function tcpRoute(ctx: EmitContext, drs: DestinationRules, route: MeshRoute): Obj {
  tcpIdleTimeout(ctx, drs, route, (n) => n.target);
  const port = route.entry.route.tcpRoute!.match?.port;
  return clean({
    match: port !== undefined ? [{ port }] : undefined,
    route: destinations(ctx, route),
  });
}

function httpRoute(ctx: EmitContext, route: MeshRoute): Obj {
  const r = route.entry.route;
  const w = { source: route.entry.source, origin: route.entry.origin };
  const f = route.field;
  const hr = route.type === "grpcRoute" ? r.grpcRoute! : r[route.type as "httpRoute"]!;
  const match =
    route.type === "grpcRoute"
      ? grpcMatch(ctx, r.grpcRoute!.match, w, `${f}.match`)
      : httpMatch(ctx, r[route.type as "httpRoute"]!.match, w, `${f}.match`);
  const timeout = effectiveTimeout(
    hr.timeout?.perRequest,
    weightedNodes(route.targets),
    route.protocol,
  );
  for (const note of timeout.notes)
    ctx.at("info", w.source, w.origin, `${f}.timeout.perRequest`, note);
  return clean({
    name: route.name,
    match: isEmpty(match) ? undefined : [match],
    route: destinations(ctx, route),
    timeout: timeout.ms === undefined ? undefined : millisString(timeout.ms),
    retries: retries(ctx, hr.retryPolicy, route),
  });
}

/** The routes that fell back to App Mesh's 15 s default: one finding per source object, not per route. */
export function reportDefaultTimeouts(
  ctx: EmitContext,
  routes: readonly MeshRoute[],
  istioDefault: string,
): void {
  const bySource = new Map<string, MeshRoute[]>();
  for (const r of routes) {
    if (r.protocol === "tcp") continue;
    const spec =
      r.type === "grpcRoute" ? r.entry.route.grpcRoute! : r.entry.route[r.type as "httpRoute"]!;
    if (spec.timeout?.perRequest) continue;
    bySource.set(r.entry.source, [...(bySource.get(r.entry.source) ?? []), r]);
  }
  for (const [source, list] of bySource) {
    ctx.at(
      "info",
      source,
      list[0].entry.origin,
      list.length === 1
        ? `${list[0].field}.timeout.perRequest`
        : "spec.routes[].*.timeout.perRequest",
      `no perRequest timeout on ${list.map((d) => d.name).join(", ")}: App Mesh's 15s default made explicit (${istioDefault})`,
    );
  }
}

/** A router's routes as Istio `http` and `tcp` entries, in App Mesh's order. */
export function virtualServiceRoutes(
  ctx: EmitContext,
  drs: DestinationRules,
  r: MeshRouter,
): RouterRoutes {
  const http: Obj[] = [];
  const tcp: Obj[] = [];
  for (const route of r.routes) {
    if (route.protocol === "tcp") tcp.push(tcpRoute(ctx, drs, route));
    else http.push(httpRoute(ctx, route));
  }
  reportDefaultTimeouts(ctx, r.routes, "Istio's default is none");
  return { http, tcp };
}
