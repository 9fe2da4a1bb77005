// Mesh routes as GAMMA routes: HTTPRoute / GRPCRoute / TCPRoute with parentRefs to the Service clients call.
import type { Located } from "../../findings";
import type { MeshNode, MeshRoute, MeshRouter, MeshService } from "../../model/types";
import { dnsLabel, isServiceName } from "../../names";
import { retryOn } from "../../route-values";
import { Obj, uniqueName } from "../objects";
import { tcpIdleTimeout } from "../shared/destination-rules";
import { effectiveTimeout, weightedNodes } from "../shared/timeouts";
import { backendRef, GatewayEnv, reachedBy } from "./backends";
import { GATEWAY_V1, GATEWAY_V1ALPHA2, gatewayDuration, RouteKind } from "./common";
import { grpcRouteMatch, httpRouteMatch, MatchRank } from "./matches";
import { grpcConditions, httpConditions, RankedRule, reportPrecedence } from "./precedence";

/** The Gateway API allows 16 rules per route; longer lists are split over several routes. */
const MAX_RULES = 16;

export interface Parent {
  readonly name: string;
  readonly namespace: string;
  readonly host: string;
  /** The converted-from annotation of the routes. */
  readonly from: string;
  /** The App Mesh object findings about these routes name. */
  readonly owner: Located;
}

interface Rule {
  readonly kind: RouteKind;
  readonly port?: number;
  readonly rule: Obj;
  readonly ranked?: RankedRule;
}

const KIND_OF: Record<MeshRoute["protocol"], RouteKind> = {
  http: "HTTPRoute",
  http2: "HTTPRoute",
  grpc: "GRPCRoute",
  tcp: "TCPRoute",
};

/** The Gateway API mesh-route findings of a router: retries (no standard field) and timeouts (none on GRPCRoute). */
function reportRetriesAndTimeouts(env: GatewayEnv, r: MeshRouter): void {
  const defaults: string[] = [];
  for (const route of r.routes) {
    if (route.protocol === "tcp") continue;
    const spec =
      route.type === "grpcRoute"
        ? route.entry.route.grpcRoute!
        : route.entry.route[route.type as "httpRoute"]!;
    const { source, origin } = route.entry;
    const p = spec.retryPolicy;
    if (p) {
      env.ctx.at(
        "warning",
        source,
        origin,
        `${route.field}.retryPolicy`,
        `${p.maxRetries} retries on ${retryOn(p) || "(no events)"} are not carried: ${route.protocol === "grpc" ? "GRPCRoute has no retry field" : "HTTPRoute retry is experimental in Gateway API v1.5 (not in the standard channel)"}; Istio applies its default (2 attempts on connect-failure, refused-stream, unavailable, cancelled, 503)`,
      );
    } else defaults.push(route.name);
    if (route.protocol === "grpc") {
      const t = effectiveTimeout(spec.timeout?.perRequest, weightedNodes(route.targets), "grpc");
      if (t.ms !== undefined)
        env.ctx.at(
          spec.timeout?.perRequest ? "warning" : "info",
          source,
          origin,
          `${route.field}.timeout.perRequest`,
          `GRPCRoute has no timeouts: App Mesh's ${t.ms / 1000}s${spec.timeout?.perRequest ? "" : " default"} per-request limit is not carried (Istio sets none)`,
        );
    }
  }
  if (defaults.length > 0)
    env.ctx.on(
      r,
      "info",
      "spec.routes[].*.retryPolicy",
      `${defaults.join(", ")}: App Mesh's default retries (2 on 503, connect-failure, refused-stream, gRPC unavailable) match Istio's default retry policy for Gateway API routes (the same, plus cancelled)`,
    );
}

function routeRule(
  env: GatewayEnv,
  route: MeshRoute,
  routeNs: string,
  fallbackPort: number | undefined,
  names: Set<string>,
): Rule | undefined {
  const { source, origin } = route.entry;
  const r = route.entry.route;
  const where = { source, origin, field: `${route.field}.action.weightedTargets` };
  const kind = KIND_OF[route.protocol];
  const backendRefs = route.targets.flatMap((t) => {
    const ref = backendRef(
      env,
      routeNs,
      t,
      { ...where, field: `${where.field}[${t.index}]` },
      fallbackPort,
    );
    if (!ref) return [];
    env.grants.need(routeNs, kind, ref);
    return [route.targets.length > 1 ? { ...ref, weight: t.weight } : ref];
  });
  if (backendRefs.length === 0) return undefined;
  const name = uniqueName(dnsLabel(route.name), (x) => names.has(x), 63);
  names.add(name);
  if (route.protocol === "tcp") {
    tcpIdleTimeout(env.ctx, env.drs, route, (n) => reachedBy(env, n));
    const port = r.tcpRoute!.match?.port;
    return { kind, ...(port !== undefined ? { port } : {}), rule: { name, backendRefs } };
  }
  const w = { source, origin };
  const f = `${route.field}.match`;
  if (route.protocol === "grpc") {
    const m = r.grpcRoute!.match;
    const c = grpcRouteMatch(env.ctx, m, w, f);
    const rule = {
      name,
      ...(Object.keys(c.match).length ? { matches: [c.match] } : {}),
      backendRefs,
    };
    return {
      kind,
      ...(m.port !== undefined ? { port: m.port } : {}),
      rule,
      ranked: ranked(route, c.rank, grpcConditions(m)),
    };
  }
  const spec = r[route.type as "httpRoute"]!;
  const c = httpRouteMatch(env.ctx, spec.match, w, f);
  const t = effectiveTimeout(
    spec.timeout?.perRequest,
    weightedNodes(route.targets),
    route.protocol,
  );
  for (const note of t.notes)
    env.ctx.at("info", source, origin, `${route.field}.timeout.perRequest`, note);
  const request = t.ms === undefined ? undefined : gatewayDuration(t.ms);
  if (t.ms !== undefined && request === undefined)
    env.ctx.at(
      "warning",
      source,
      origin,
      `${route.field}.timeout.perRequest`,
      `${t.ms}ms is longer than a Gateway API duration can say; no timeout set`,
    );
  const rule = {
    name,
    matches: [c.match],
    backendRefs,
    ...(request ? { timeouts: { request } } : {}),
  };
  return {
    kind,
    ...(spec.match.port !== undefined ? { port: spec.match.port } : {}),
    rule,
    ranked: ranked(route, c.rank, httpConditions(spec.match)),
  };
}

function ranked(
  route: MeshRoute,
  rank: MatchRank,
  conditions: RankedRule["conditions"],
): RankedRule {
  return {
    name: route.name,
    rank,
    conditions,
    where: {
      source: route.entry.source,
      origin: route.entry.origin,
      field: `${route.field}.match`,
    },
  };
}

/** Writes the rules as routes attached to `parent`, one per kind and port, split at 16 rules. */
export function writeRoutes(env: GatewayEnv, parent: Parent, rules: readonly Rule[]): void {
  const groups = new Map<string, Rule[]>();
  for (const r of rules) {
    const k = `${r.kind}|${r.port ?? ""}`;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  const kinds = new Set(rules.map((r) => `${r.kind}|${r.port ?? ""}`));
  for (const [k, list] of groups) {
    const [kind, portText] = k.split("|") as [RouteKind, string];
    const port = portText === "" ? undefined : Number(portText);
    const sameKind = [...kinds].filter((x) => x.startsWith(`${kind}|`)).length;
    const base = port !== undefined && sameKind > 1 ? `${parent.name}-${port}` : parent.name;
    const ranks = list.filter((r) => r.ranked).map((r) => r.ranked!);
    if (ranks.length > 1) reportPrecedence(env.ctx, ranks);
    for (let i = 0; i < list.length; i += MAX_RULES) {
      const chunk = list.slice(i, i + MAX_RULES);
      const name = i === 0 ? base : `${base}-${i / MAX_RULES + 1}`;
      env.ctx.objects.emit(
        kind === "TCPRoute" ? GATEWAY_V1ALPHA2 : GATEWAY_V1,
        kind,
        parent.namespace,
        name,
        {
          parentRefs: [
            {
              group: "",
              kind: "Service",
              name: parent.name,
              ...(port !== undefined ? { port } : {}),
            },
          ],
          rules: chunk.map((r) => r.rule),
        },
        parent.from,
      );
    }
    if (kind === "TCPRoute")
      env.ctx.on(
        parent.owner,
        "warning",
        "spec.routes[].tcpRoute",
        `TCPRoute ${parent.namespace}/${base} is in the experimental channel of Gateway API v1.5 only: install its CRD (gateway.networking.k8s.io/v1alpha2 TCPRoute) before applying it`,
      );
  }
}

/** A router's routes, attached to the Service clients call (`parent`). */
export function attachRouterRoutes(env: GatewayEnv, r: MeshRouter, parent: Parent): void {
  const names = new Set<string>();
  const fallbackPort = r.spec.listeners?.[0]?.portMapping.port;
  const rules = r.routes
    .map((route) => routeRule(env, route, parent.namespace, fallbackPort, names))
    .filter((x): x is Rule => x !== undefined);
  if (rules.length === 0) {
    env.ctx.on(
      r,
      "warning",
      "spec.routes",
      `no convertible routes; no Gateway API route for ${parent.host}`,
    );
    return;
  }
  writeRoutes(env, parent, rules);
}

export function reportRouterFindings(env: GatewayEnv, r: MeshRouter): void {
  reportRetriesAndTimeouts(env, r);
}

/** A VirtualService backed by a node whose host differs from the one clients call: one rule sends them there. */
export function nodeRoute(env: GatewayEnv, vs: MeshService, n: MeshNode, parent: Parent): void {
  const protocol = n.spec.listeners?.[0]?.portMapping.protocol ?? "http";
  const kind = KIND_OF[protocol];
  const ref = backendRef(
    env,
    parent.namespace,
    { node: n, target: n.target },
    { ...vs, field: "spec.provider.virtualNode" },
    undefined,
  );
  if (!ref) return;
  env.grants.need(parent.namespace, kind, ref);
  let rule: Obj = { name: "default", backendRefs: [ref] };
  if (kind === "HTTPRoute") {
    const t = effectiveTimeout(undefined, [n], protocol);
    const request = t.ms === undefined ? undefined : gatewayDuration(t.ms);
    rule = {
      name: "default",
      matches: [{ path: { type: "PathPrefix", value: "/" } }],
      backendRefs: [ref],
      ...(request ? { timeouts: { request } } : {}),
    };
  }
  writeRoutes(env, parent, [{ kind, rule }]);
  env.ctx.on(
    vs,
    "info",
    "spec.provider.virtualNode",
    `clients call ${vs.host}; a ${kind} sends them to ${ref.name}${kind === "HTTPRoute" ? " with App Mesh's default timeout" : ""} (Istio's default retries apply)`,
  );
}

/** The Service a VirtualService's routes attach to, or undefined (reported) when its host is not a Service. */
export function parentOf(env: GatewayEnv, vs: MeshService, from: string): Parent | undefined {
  if (!vs.inCluster) {
    env.ctx.on(
      vs,
      "warning",
      "spec.awsName",
      `no Gateway API route for ${vs.host}: GAMMA routes attach to a Kubernetes Service, and ${vs.host} is not one`,
    );
    return undefined;
  }
  const [name, namespace] = vs.host.split(".");
  if (!isServiceName(name)) {
    env.ctx.on(
      vs,
      "blocker",
      "spec.awsName",
      `no Gateway API route for ${vs.host}: its Service part "${name}" cannot be a Service name (a DNS-1035 label)`,
    );
    return undefined;
  }
  return { name, namespace, host: vs.host, from, owner: vs };
}
