// VirtualGateways and GatewayRoutes resolved: which gateway each route binds to, its hosts, target and order.
import type { Entity } from "../read/inventory";
import type { GatewayRouteSpec } from "../read/schema";
import { CLUSTER_SUFFIX, hostProblem, k8sName, quote } from "../names";
import { compareKeys } from "../route-values";
import { BuildContext, located, subsetOf } from "./context";
import { checkedSelector } from "./nodes";
import { gatewayRouteSpecificity, matchProblems } from "./routes";
import type { GatewayGroup, GatewayRouteType, MeshGateway, MeshGatewayRoute } from "./types";

type RouteEntity = Entity<GatewayRouteSpec>;

export function resolveGateways(ctx: BuildContext): MeshGateway[] {
  return ctx.inv.gateways.map((e) => {
    const g = located(e);
    const selector = checkedSelector(ctx, g, "the gateway's");
    const s = g.spec;
    (s.listeners ?? []).forEach((l, i) => {
      if (l.healthCheck)
        ctx.on(
          g,
          "warning",
          `spec.listeners[${i}].healthCheck`,
          "Istio has no active health checks; the gateway's readinessProbe is the substitute",
        );
    });
    if ((s.listeners ?? []).length === 0) {
      ctx.on(g, "warning", "spec.listeners", "no listeners; no Gateway emitted");
    } else {
      if (s.backendDefaults?.clientPolicy?.tls) {
        ctx.on(
          g,
          "warning",
          "spec.backendDefaults.clientPolicy.tls",
          "gateway-to-backend TLS is Istio mutual TLS for mesh hosts; ACM/file trust settings are not carried over",
        );
      }
      if (s.logging?.accessLog?.file)
        ctx.on(
          g,
          "info",
          "spec.logging.accessLog",
          "access logs: meshConfig.accessLogFile (or a Telemetry resource selecting the gateway)",
        );
    }
    return { ...g, ...(selector ? { selector } : {}) };
  });
}

function gatewaysFor(
  ctx: BuildContext,
  gateways: readonly MeshGateway[],
  gr: RouteEntity & { source: string; origin: MeshGateway["origin"] },
) {
  const ref = gr.spec.virtualGatewayRef;
  if (ref) {
    const ns = ref.namespace ?? gr.namespace;
    return gateways.filter((g) => g.namespace === ns && g.name === ref.name).slice(0, 1);
  }
  const matching = gateways.filter((g) => {
    const sel = g.spec.gatewayRouteSelector?.matchLabels;
    return !sel || subsetOf(sel, gr.labels);
  });
  if (matching.length <= 1) return matching;
  const sameNs = matching.filter((g) => g.namespace === gr.namespace);
  const chosen = sameNs.length ? sameNs : matching;
  if (chosen.length > 1) {
    ctx.on(
      gr,
      "warning",
      "metadata",
      `attaches to ${chosen.length} VirtualGateways (namespace labels are not in the input to apply their namespaceSelector); bound to all of them`,
    );
  }
  return chosen;
}

/** The hostnames a GatewayRoute serves, or undefined (reported) when Istio would reject them. */
function routeHosts(
  ctx: BuildContext,
  gr: RouteEntity & { source: string; origin: MeshGateway["origin"] },
): string[] | undefined {
  const m = (gr.spec.httpRoute ?? gr.spec.http2Route ?? gr.spec.grpcRoute)?.match;
  const h = m?.hostname;
  let hosts = ["*"];
  if (h?.exact) hosts = [h.exact.toLowerCase()];
  else if (h?.suffix) {
    const s = h.suffix.toLowerCase().replace(/^\*?\.?/, "");
    ctx.on(
      gr,
      "info",
      "spec.*.match.hostname.suffix",
      `suffix ${h.suffix} -> host *.${s} (Istio wildcards cover subdomains only, not ${s} itself)`,
    );
    hosts = [`*.${s}`];
  }
  const problem = hosts[0] === "*" ? undefined : hostProblem(hosts[0], { wildcard: true });
  if (problem) {
    ctx.on(
      gr,
      "blocker",
      `spec.*.match.hostname.${h?.exact ? "exact" : "suffix"}`,
      `the hostname ${quote(hosts[0])} ${problem}: Istio rejects it, so this route is not converted`,
    );
    return undefined;
  }
  return hosts;
}

function resolveRoute(
  ctx: BuildContext,
  e: RouteEntity,
): (Omit<MeshGatewayRoute, "host"> & { host?: string }) | undefined {
  const gr = located(e);
  const s = gr.spec;
  const type: GatewayRouteType | undefined = s.httpRoute
    ? "httpRoute"
    : s.http2Route
      ? "http2Route"
      : s.grpcRoute
        ? "grpcRoute"
        : undefined;
  if (!type) {
    ctx.on(gr, "warning", "spec", "no httpRoute/http2Route/grpcRoute; skipped");
    return undefined;
  }
  const f = `spec.${type}`;
  const http = type === "grpcRoute" ? undefined : (s.httpRoute ?? s.http2Route);
  const grpc = type === "grpcRoute" ? s.grpcRoute : undefined;
  const target = (grpc ?? http)!.action.target;
  const ref = target.virtualService.virtualServiceRef;
  if (!ref) {
    ctx.on(
      gr,
      "blocker",
      `${f}.action.target.virtualService`,
      "target is a VirtualService ARN in another mesh/account; no Istio equivalent",
    );
    return undefined;
  }
  if (http?.match.path && http.match.prefix !== undefined)
    ctx.on(
      gr,
      "warning",
      `${f}.match`,
      "both prefix and path are set (App Mesh accepts one); path is used",
    );
  const problems = matchProblems(http?.match ?? grpc?.match ?? {}, `${f}.match`);
  for (const p of problems)
    ctx.on(
      gr,
      "blocker",
      p.field,
      `${p.reason}: Istio would reject the route, so it is not converted`,
    );
  if (problems.length > 0) return undefined;
  const service = ctx.service(ref.namespace ?? gr.namespace, ref.name);
  let host: string | undefined;
  if (!service) {
    host = `${k8sName(ref.name)}.${ref.namespace ?? gr.namespace}${CLUSTER_SUFFIX}`;
    ctx.on(
      gr,
      "warning",
      `${f}.action.target.virtualService.virtualServiceRef`,
      `VirtualService ${ref.namespace ?? gr.namespace}/${ref.name} is not in the input; host ${host} assumed`,
    );
  } else if (service.hostValid) host = service.host;
  if (host === undefined) {
    ctx.on(
      gr,
      "blocker",
      `${f}.action.target`,
      `the target ${service!.source} has a host Istio rejects; this route is not converted`,
    );
    return undefined;
  }
  return {
    ...gr,
    type,
    ...(http ? { http } : {}),
    ...(grpc ? { grpc } : {}),
    ...(service ? { service } : {}),
    host,
    ...(target.port !== undefined ? { port: target.port } : {}),
    ref,
  };
}

/** App Mesh's gateway route order: priority first, then unprioritized routes, most specific match first. */
function ordered(routes: readonly MeshGatewayRoute[]): MeshGatewayRoute[] {
  return routes
    .map((e, i) => ({ e, i }))
    .sort((a, b) => {
      const pa = a.e.spec.priority;
      const pb = b.e.spec.priority;
      if (pa !== undefined && pb !== undefined) return pa - pb || a.i - b.i;
      if (pa !== undefined) return -1;
      if (pb !== undefined) return 1;
      return (
        compareKeys(gatewayRouteSpecificity(a.e.spec), gatewayRouteSpecificity(b.e.spec)) ||
        a.i - b.i
      );
    })
    .map((x) => x.e);
}

/** GatewayRoutes grouped per gateway and hostname set, each group in App Mesh's order. */
export function resolveGatewayRoutes(
  ctx: BuildContext,
  gateways: readonly MeshGateway[],
): GatewayGroup[] {
  const groups = new Map<
    string,
    { gateway: MeshGateway; hosts: string[]; routes: MeshGatewayRoute[] }
  >();
  for (const e of ctx.inv.gatewayRoutes) {
    const gr = located(e);
    const gws = gatewaysFor(ctx, gateways, gr);
    if (gws.length === 0) {
      ctx.on(
        gr,
        "blocker",
        "spec.virtualGatewayRef",
        "no VirtualGateway in the input for this route; not converted (a VirtualService without gateways would apply inside the mesh)",
      );
      continue;
    }
    const hosts = routeHosts(ctx, gr);
    if (!hosts) continue;
    const route = resolveRoute(ctx, e) as MeshGatewayRoute | undefined;
    if (!route) continue;
    for (const gateway of gws) {
      const k = `${gateway.namespace}/${gateway.name}|${hosts.join(",")}`;
      const grp = groups.get(k) ?? { gateway, hosts, routes: [] };
      grp.routes.push(route);
      groups.set(k, grp);
    }
  }
  return [...groups.values()].map((g) => ({ ...g, routes: ordered(g.routes) }));
}
