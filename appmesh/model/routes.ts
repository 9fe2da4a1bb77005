// VirtualRouter routes resolved once: App Mesh's evaluation order, weighted targets, matches Istio would refuse.
import type { Origin, RouteEntry, RouterEntity } from "../read/inventory";
import type { GatewayRouteSpec, HeaderMatch, Route } from "../read/schema";
import { CLUSTER_SUFFIX, k8sName, quote } from "../names";
import { compareKeys, specificity } from "../route-values";
import { BuildContext, located } from "./context";
import type { MeshRoute, MeshRouter, RouteTarget, RouteType } from "./types";

const ROUTE_TYPES: readonly RouteType[] = ["httpRoute", "http2Route", "grpcRoute", "tcpRoute"];

/** RFC 7230 token characters: what Istio and the Gateway API accept in header and query parameter names. */
const TOKEN = /^[!#$%&'*+\-.^_`|~A-Za-z0-9]+$/;

/** An HTTP match's rank: exact path, then longer prefixes, then more header/query/method conditions. */
export function httpMatchSpecificity(m: {
  path?: { exact?: string; regex?: string };
  prefix?: string;
  headers?: readonly unknown[];
  queryParameters?: readonly unknown[];
  method?: string;
}): number[] {
  return specificity({
    path: m.path,
    prefix: m.prefix,
    conditions: (m.headers?.length ?? 0) + (m.queryParameters?.length ?? 0) + (m.method ? 1 : 0),
  });
}

function routeSpecificity(r: Route): number[] {
  const h = r.httpRoute ?? r.http2Route;
  if (h) return httpMatchSpecificity(h.match);
  if (r.grpcRoute) {
    const m = r.grpcRoute.match;
    return specificity({
      serviceName: m.serviceName,
      methodName: m.methodName,
      conditions: m.metadata?.length ?? 0,
    });
  }
  return [3];
}

export function gatewayRouteSpecificity(s: GatewayRouteSpec): number[] {
  const h = s.httpRoute ?? s.http2Route;
  if (h) return httpMatchSpecificity(h.match);
  if (s.grpcRoute)
    return specificity({
      serviceName: s.grpcRoute.match.serviceName,
      conditions: s.grpcRoute.match.metadata?.length ?? 0,
    });
  return [3];
}

/**
 * Whether a regex uses what RE2 lacks: lookahead/lookbehind `(?=` `(?!` `(?<=` `(?<!`, or a backreference
 * `\1`..`\9` / `\k<name>`. Read token by token, so an escaped backslash before a digit (`\\1`, a literal
 * backslash then 1, which a suffix match escapes to) and a `(` inside a character class are not mistaken for one.
 */
export function usesLookaroundOrBackreference(re: string): boolean {
  let inClass = false;
  for (let i = 0; i < re.length; i++) {
    const c = re[i];
    if (c === "\\") {
      const next = re[i + 1] ?? "";
      // In a class, JavaScript reads \1 as an octal escape and RE2 does not: refused there too.
      if (/[1-9]/.test(next) || (!inClass && next === "k" && re[i + 2] === "<")) return true;
      i++;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      continue;
    }
    if (c === "[") {
      inClass = true;
      if (re[i + 1] === "^") i++;
      if (re[i + 1] === "]") i++;
      continue;
    }
    if (c === "(" && re[i + 1] === "?") {
      const a = re[i + 2];
      if (a === "=" || a === "!" || (a === "<" && (re[i + 3] === "=" || re[i + 3] === "!")))
        return true;
    }
  }
  return false;
}

/** Why Istio (RE2, at most 1024 characters) would refuse a regex, or undefined. */
export function regexProblem(re: string): string | undefined {
  if (re.length > 1024) return `is ${re.length} characters long (Istio allows 1024)`;
  if (usesLookaroundOrBackreference(re))
    return "uses lookaround or backreferences, which RE2 lacks";
  try {
    new RegExp(re);
  } catch {
    return "does not compile";
  }
  return undefined;
}

/**
 * What in a match Istio would reject (names outside the HTTP token alphabet, regexes RE2 refuses): such a
 * route cannot be emitted without changing what it matches, so it is reported and left out.
 */
export function matchProblems(
  m: {
    path?: { exact?: string; regex?: string };
    prefix?: string;
    headers?: readonly HeaderMatch[];
    metadata?: readonly HeaderMatch[];
    queryParameters?: readonly { name: string }[];
  },
  field: string,
): { field: string; reason: string }[] {
  const out: { field: string; reason: string }[] = [];
  const re = (value: string | undefined, f: string) => {
    const p = value === undefined ? undefined : regexProblem(value);
    if (p) out.push({ field: f, reason: `the regex ${quote(value!)} ${p}` });
  };
  re(m.path?.regex, `${field}.path.regex`);
  for (const [list, hs] of [
    ["headers", m.headers],
    ["metadata", m.metadata],
  ] as const) {
    (hs ?? []).forEach((h, i) => {
      // "__proto__" is a token, but no JSON tooling keeps it as a key: refused rather than half-carried.
      if (!TOKEN.test(h.name) || h.name === "__proto__")
        out.push({
          field: `${field}.${list}[${i}].name`,
          reason: `the header name ${quote(h.name)} is not an HTTP token`,
        });
      re(h.match?.regex, `${field}.${list}[${i}].match.regex`);
    });
  }
  (m.queryParameters ?? []).forEach((q, i) => {
    if (!TOKEN.test(q.name) || q.name === "__proto__")
      out.push({
        field: `${field}.queryParameters[${i}].name`,
        reason: `the query parameter name ${quote(q.name)} is not an HTTP token`,
      });
  });
  return out;
}

/** Routes in App Mesh's order: priority first, then the unprioritized ones, most specific match first. */
function orderRoutes(ctx: BuildContext, r: MeshRouter): RouteEntry[] {
  const withIdx = r.entries.map((e, i) => ({ e, i }));
  const prio = withIdx.filter((x) => x.e.route.priority !== undefined);
  const rest = withIdx.filter((x) => x.e.route.priority === undefined);
  prio.sort((a, b) => a.e.route.priority! - b.e.route.priority! || a.i - b.i);
  rest.sort(
    (a, b) => compareKeys(routeSpecificity(a.e.route), routeSpecificity(b.e.route)) || a.i - b.i,
  );
  if (rest.length > 0 && r.entries.length > 1) {
    ctx.on(
      r,
      "info",
      "spec.routes[].priority",
      `${rest.length} route(s) without priority (${rest.map((x) => x.e.route.name).join(", ")}) placed after the prioritized ones, most specific match first (Istio takes the first match)`,
    );
  }
  return [...prio, ...rest].map((x) => x.e);
}

function resolveTargets(
  ctx: BuildContext,
  r: MeshRouter,
  entry: RouteEntry,
  field: string,
  targets: readonly {
    virtualNodeRef?: { name: string; namespace?: string };
    virtualNodeARN?: string;
    weight: number;
    port?: number;
  }[],
): RouteTarget[] {
  const { source, origin } = entry;
  const out: RouteTarget[] = [];
  targets.forEach((t, i) => {
    if (!t.virtualNodeRef) {
      ctx.at(
        "blocker",
        source,
        origin,
        `${field}[${i}]`,
        `target ${t.virtualNodeARN ?? "(none)"} is a VirtualNode ARN in another mesh/account; Istio cannot route to it without a ServiceEntry for a reachable host`,
      );
      return;
    }
    const ns = t.virtualNodeRef.namespace ?? r.namespace;
    const n = ctx.node(ns, t.virtualNodeRef.name);
    const port = t.port !== undefined ? { port: t.port } : {};
    if (!n) {
      const host = `${k8sName(t.virtualNodeRef.name)}.${ns}${CLUSTER_SUFFIX}`;
      ctx.at(
        "warning",
        source,
        origin,
        `${field}[${i}].virtualNodeRef`,
        `routes to VirtualNode ${ns}/${t.virtualNodeRef.name}, which the input does not define; host ${host} assumed`,
      );
      out.push({
        index: i,
        weight: t.weight,
        ...port,
        target: { host, hostNamespace: ns, inCluster: true, valid: true },
      });
      return;
    }
    if (!n.target.valid) {
      ctx.at(
        "blocker",
        source,
        origin,
        `${field}[${i}].virtualNodeRef`,
        `routes to ${n.source}, whose host Istio rejects; this target is left out (its weight ${t.weight} goes to the others)`,
      );
      return;
    }
    if ((n.spec.listeners?.length ?? 0) > 1 && t.port === undefined) {
      ctx.at(
        "warning",
        source,
        origin,
        `${field}[${i}].port`,
        `${n.source} has several listeners but the target names no port; Istio needs one when the Service has several ports`,
      );
    }
    out.push({ index: i, weight: t.weight, ...port, node: n, target: n.target });
  });
  return out;
}

function resolveRoute(ctx: BuildContext, r: MeshRouter, entry: RouteEntry): MeshRoute | undefined {
  const { route, origin, field, source } = entry;
  const types = ROUTE_TYPES.filter((t) => route[t]);
  if (types.length === 0) {
    ctx.at(
      "warning",
      source,
      origin,
      field,
      `route ${route.name} has no httpRoute/http2Route/grpcRoute/tcpRoute; skipped`,
    );
    return undefined;
  }
  if (types.length > 1) {
    ctx.at(
      "warning",
      source,
      origin,
      field,
      `route ${route.name} sets ${types.join(" and ")}; only ${types[0]} is converted`,
    );
  }
  const type = types[0];
  const f = `${field}.${type}`;
  const spec = route[type]!;
  const targets = resolveTargets(
    ctx,
    r,
    entry,
    `${f}.action.weightedTargets`,
    spec.action.weightedTargets,
  );
  if (targets.length === 0) return undefined;
  const match =
    type === "tcpRoute"
      ? route.tcpRoute!.match
      : type === "grpcRoute"
        ? route.grpcRoute!.match
        : route[type]!.match;
  if (type === "httpRoute" || type === "http2Route") {
    const m = route[type]!.match;
    if (m.path && m.prefix !== undefined)
      ctx.at(
        "warning",
        source,
        origin,
        `${f}.match`,
        "both prefix and path are set (App Mesh accepts one); path is used",
      );
  }
  const problems =
    type === "tcpRoute"
      ? []
      : matchProblems((match ?? {}) as Parameters<typeof matchProblems>[0], `${f}.match`);
  for (const p of problems)
    ctx.at(
      "blocker",
      source,
      origin,
      p.field,
      `${p.reason}: Istio would reject the route, so route ${quote(route.name)} is not converted`,
    );
  if (problems.length > 0) return undefined;
  if ((r.spec.listeners ?? []).length > 1 && match?.port === undefined) {
    ctx.at(
      "warning",
      source,
      origin,
      `${f}.match.port`,
      "the router has several listeners but the route names no port; it matches every port",
    );
  }
  const allZero = targets.every((t) => t.weight === 0);
  if (allZero) {
    ctx.at(
      "blocker",
      source,
      origin,
      `${f}.action.weightedTargets`,
      "every target has weight 0: App Mesh sends this route no traffic, Istio cannot express a route to nowhere",
    );
  }
  if (spec.timeout && "idle" in spec.timeout && spec.timeout.idle && type !== "tcpRoute") {
    const idle = spec.timeout.idle;
    ctx.at(
      "warning",
      source,
      origin,
      `${f}.timeout.idle`,
      `stream idle timeout ${idle.value > 0 ? `${idle.value}${idle.unit}` : "0"} has no route-level Istio field (DestinationRule connectionPool.http.idleTimeout is per connection); not carried over`,
    );
  }
  const protocol =
    type === "grpcRoute"
      ? "grpc"
      : type === "http2Route"
        ? "http2"
        : type === "tcpRoute"
          ? "tcp"
          : "http";
  return { entry, name: route.name, type, field: f, protocol, targets, allZero };
}

/** Every router with its routes ordered and resolved; `services` is filled in as VirtualServices are read. */
export function resolveRouters(ctx: BuildContext, routers: readonly RouterEntity[]): MeshRouter[] {
  return routers.map((e) => {
    const base = located(e);
    const r: MeshRouter = { ...base, entries: e.routes, routes: [], services: [] };
    const routes = orderRoutes(ctx, r)
      .map((entry) => resolveRoute(ctx, r, entry))
      .filter((x): x is MeshRoute => x !== undefined);
    return { ...r, routes };
  });
}

/** Where a route's origin is, for findings that emitters add about a route. */
export function routeOrigin(route: MeshRoute): { source: string; origin: Origin } {
  return { source: route.entry.source, origin: route.entry.origin };
}
