// Route evaluation for the comparison test: where a request goes under App Mesh's rules (priority, then the
// longest match; Envoy string prefixes) and under the emitted Istio VirtualServices or Gateway API routes
// (Istio's precedence for them), written from the APIs' documented semantics, not from the emitters.
import type { K8sObject } from "../../appmesh";
import { readInventory } from "../../appmesh/read/inventory";
import type { Inventory, K8sService, RouteEntry } from "../../appmesh/read/types";
import type { HeaderMatch } from "../../appmesh/read/schema";

export interface Request {
  readonly host: string;
  readonly port?: number;
  readonly path: string;
  readonly method: string;
  readonly scheme: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
}

/** Where a request goes: pod sets (a label selector, or `host:<fqdn>` when unknown) with their share of traffic. */
export type Destination = ReadonlyMap<string, number>;

export interface Decision {
  /** The App Mesh route (`source|field`) or emitted rule that took the request; undefined: nothing matched. */
  readonly rule?: string;
  readonly destination: Destination;
  /** App Mesh side: the VirtualNodes ("VirtualNode ns/name") the request reaches. */
  readonly nodes?: readonly string[];
}

type Obj = Record<string, unknown>;

function fullMatch(re: string, s: string): boolean {
  try {
    return new RegExp(`^(?:${re})$`).test(s);
  } catch {
    return false;
  }
}

function labelsKey(labels: Readonly<Record<string, string>>): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
}

function shares(list: readonly { key: string; weight: number }[]): Destination {
  const total = list.reduce((a, x) => a + x.weight, 0);
  const out = new Map<string, number>();
  if (total === 0) return out;
  for (const x of list) out.set(x.key, (out.get(x.key) ?? 0) + x.weight / total);
  return out;
}

// ---- App Mesh ---------------------------------------------------------------------------------------------

function headerOk(h: HeaderMatch, headers: Readonly<Record<string, string>>): boolean {
  const v = headers[h.name.toLowerCase()];
  const m = h.match;
  let ok: boolean;
  if (v === undefined) ok = false;
  else if (!m) ok = true;
  else if (m.exact !== undefined) ok = v === m.exact;
  else if (m.prefix !== undefined) ok = v.startsWith(m.prefix);
  else if (m.suffix !== undefined) ok = v.endsWith(m.suffix);
  else if (m.regex !== undefined) ok = fullMatch(m.regex, v);
  else if (m.range) ok = /^-?\d+$/.test(v) && Number(v) >= m.range.start && Number(v) < m.range.end;
  else ok = true;
  return h.invert ? !ok : ok;
}

function appMeshMatches(e: RouteEntry, req: Request): boolean {
  const r = e.route;
  const h = r.httpRoute ?? r.http2Route;
  if (h) {
    const m = h.match;
    if (m.path?.exact !== undefined) {
      if (req.path !== m.path.exact) return false;
    } else if (m.path?.regex !== undefined) {
      if (!fullMatch(m.path.regex, req.path)) return false;
    } else if (m.prefix !== undefined && !req.path.startsWith(m.prefix)) return false;
    if (m.method && m.method !== req.method) return false;
    if (m.scheme && m.scheme !== req.scheme) return false;
    if (m.port !== undefined && m.port !== req.port) return false;
    if (!(m.headers ?? []).every((x) => headerOk(x, req.headers))) return false;
    for (const q of m.queryParameters ?? []) {
      const v = req.query[q.name];
      if (v === undefined || (q.match?.exact !== undefined && v !== q.match.exact)) return false;
    }
    return true;
  }
  if (r.grpcRoute) {
    const m = r.grpcRoute.match;
    const [, svc, method] = req.path.split("/");
    if (m.serviceName !== undefined && svc !== m.serviceName) return false;
    if (m.methodName !== undefined && method !== m.methodName) return false;
    if (m.port !== undefined && m.port !== req.port) return false;
    return (m.metadata ?? []).every((x) => headerOk(x, req.headers));
  }
  if (r.tcpRoute) return r.tcpRoute.match?.port === undefined || r.tcpRoute.match.port === req.port;
  return false;
}

/** App Mesh's order: priority (0 first), then routes without one, longest match first (exact paths first). */
function appMeshOrder(routes: readonly RouteEntry[]): RouteEntry[] {
  const len = (e: RouteEntry) => {
    const h = e.route.httpRoute ?? e.route.http2Route;
    if (h?.match.path?.exact !== undefined) return [0, -h.match.path.exact.length];
    if (h?.match.path?.regex !== undefined) return [1, 0];
    const g = e.route.grpcRoute?.match;
    if (g?.methodName !== undefined) return [0, 0];
    const c =
      (h?.match.headers?.length ?? 0) +
      (h?.match.queryParameters?.length ?? 0) +
      (h?.match.method ? 1 : 0) +
      (g?.metadata?.length ?? 0);
    return [2, -(h?.match.prefix ?? g?.serviceName ?? "").length, -c];
  };
  return routes
    .map((e, i) => ({ e, i }))
    .sort((a, b) => {
      const pa = a.e.route.priority;
      const pb = b.e.route.priority;
      if (pa !== undefined || pb !== undefined) {
        if (pa === undefined) return 1;
        if (pb === undefined) return -1;
        return pa - pb || a.i - b.i;
      }
      const [x, y] = [len(a.e), len(b.e)];
      for (let k = 0; k < 3; k++) if ((x[k] ?? 0) !== (y[k] ?? 0)) return (x[k] ?? 0) - (y[k] ?? 0);
      return a.i - b.i;
    })
    .map((x) => x.e);
}

/** The App Mesh side of one input: its routers and how each node's pods are found. */
export class AppMeshTables {
  readonly inv: Inventory;

  constructor(content: { path: string; content: string }[], namespace = "default") {
    this.inv = readInventory(content, namespace);
  }

  private service(ns: string, name: string): K8sService | undefined {
    return this.inv.k8sServices.find((s) => s.namespace === ns && s.name === name);
  }

  /** The pods a VirtualNode's traffic reaches in App Mesh: DNS resolves the Service, Cloud Map holds the node's pods. */
  podsOf(ns: string, name: string): string {
    const n = this.inv.nodes.find((x) => x.namespace === ns && x.name === name);
    if (!n) return `host:${name}.${ns}.svc.cluster.local`;
    const dns = n.spec.serviceDiscovery?.dns?.hostname.toLowerCase().replace(/\.$/, "");
    if (dns !== undefined) {
      const namespaces = new Set(
        [...this.inv.nodes, ...this.inv.k8sServices].map((x) => x.namespace),
      );
      const m = /^([a-z0-9-]+)(?:\.([a-z0-9-]+)(\.svc(\.cluster\.local)?)?)?$/.exec(dns);
      const inCluster = m && (m[2] === undefined || m[3] !== undefined || namespaces.has(m[2]));
      if (!m || !inCluster) return `host:${dns}`;
      const [svc, svcNs] = [m[1], m[2] ?? ns];
      const s = this.service(svcNs, svc);
      if (s?.selector && Object.keys(s.selector).length) return labelsKey(s.selector);
      return `host:${svc}.${svcNs}.svc.cluster.local`;
    }
    const labels = n.spec.podSelector?.matchLabels;
    if (labels && Object.keys(labels).length) return labelsKey(labels);
    return `host:${name}.${ns}.svc.cluster.local`;
  }

  decide(routerNs: string, routes: readonly RouteEntry[], req: Request): Decision {
    for (const e of appMeshOrder(routes)) {
      if (!appMeshMatches(e, req)) continue;
      const type = (["httpRoute", "http2Route", "grpcRoute", "tcpRoute"] as const).find(
        (t) => e.route[t],
      );
      const targets = e.route[type!]!.action.weightedTargets;
      return {
        rule: `${e.source}|${e.field}.${type}`,
        nodes: targets
          .filter((t) => t.virtualNodeRef)
          .map(
            (t) =>
              `VirtualNode ${t.virtualNodeRef!.namespace ?? routerNs}/${t.virtualNodeRef!.name}`,
          ),
        destination: shares(
          targets
            .filter((t) => t.virtualNodeRef)
            .map((t) => ({
              key: this.podsOf(t.virtualNodeRef!.namespace ?? routerNs, t.virtualNodeRef!.name),
              weight: t.weight,
            })),
        ),
      };
    }
    return { destination: new Map() };
  }
}

// ---- emitted objects ------------------------------------------------------------------------------------------

function istioStringOk(m: Obj | undefined, v: string | undefined): boolean {
  if (!m) return true;
  if (v === undefined) return false;
  if (typeof m.exact === "string") return v === m.exact;
  if (typeof m.prefix === "string") return v.startsWith(m.prefix);
  if (typeof m.regex === "string") return fullMatch(m.regex, v);
  return true;
}

function istioMatches(m: Obj, req: Request): boolean {
  if (m.uri && !istioStringOk(m.uri as Obj, req.path)) return false;
  if (m.method && !istioStringOk(m.method as Obj, req.method)) return false;
  if (m.scheme && !istioStringOk(m.scheme as Obj, req.scheme)) return false;
  if (m.port !== undefined && m.port !== req.port) return false;
  for (const [k, sm] of Object.entries((m.headers as Obj) ?? {}))
    if (!istioStringOk(sm as Obj, req.headers[k])) return false;
  for (const [k, sm] of Object.entries((m.withoutHeaders as Obj) ?? {}))
    if (req.headers[k] !== undefined && istioStringOk(sm as Obj, req.headers[k])) return false;
  for (const [k, sm] of Object.entries((m.queryParams as Obj) ?? {}))
    if (!istioStringOk(sm as Obj, req.query[k])) return false;
  return true;
}

function pathPrefixOk(value: string, path: string): boolean {
  const v = value.length > 1 ? value.replace(/\/+$/, "") : value;
  return v === "/" || path === v || path.startsWith(`${v}/`);
}

function gatewayMatches(kind: string, m: Obj, req: Request): boolean {
  if (kind === "GRPCRoute") {
    const method = m.method as { type?: string; service?: string; method?: string } | undefined;
    const [, svc, meth] = req.path.split("/");
    if (
      method?.service !== undefined &&
      !(method.type === "RegularExpression"
        ? fullMatch(method.service, svc ?? "")
        : svc === method.service)
    )
      return false;
    if (
      method?.method !== undefined &&
      !(method.type === "RegularExpression"
        ? fullMatch(method.method, meth ?? "")
        : meth === method.method)
    )
      return false;
  } else {
    const p = (m.path as { type: string; value: string } | undefined) ?? {
      type: "PathPrefix",
      value: "/",
    };
    if (p.type === "Exact" && req.path !== p.value) return false;
    if (p.type === "PathPrefix" && !pathPrefixOk(p.value, req.path)) return false;
    if (p.type === "RegularExpression" && !fullMatch(p.value, req.path)) return false;
    if (m.method && m.method !== req.method) return false;
    for (const q of (m.queryParams as Obj[]) ?? []) {
      const v = req.query[q.name as string];
      if (
        v === undefined ||
        (q.type === "Exact" ? v !== q.value : !fullMatch(q.value as string, v))
      )
        return false;
    }
  }
  for (const h of (m.headers as Obj[]) ?? []) {
    const v = req.headers[(h.name as string).toLowerCase()];
    if (
      v === undefined ||
      (h.type === "RegularExpression" ? !fullMatch(h.value as string, v) : v !== h.value)
    )
      return false;
  }
  return true;
}

/** Istio's precedence for Gateway API matches (exact path, longest prefix, regex; method; headers; query). */
function gatewayRank(kind: string, m: Obj): number[] {
  let rank = -1;
  let len = 0;
  if (kind === "GRPCRoute") {
    const g = m.method as { type?: string; service?: string; method?: string } | undefined;
    if (g?.service !== undefined && g.method !== undefined)
      [rank, len] = [
        g.type === "RegularExpression" ? 1 : 3,
        g.service.length + g.method.length + 2,
      ];
    else if (g?.service !== undefined)
      [rank, len] =
        g.type === "RegularExpression" ? [1, g.service.length + 4] : [2, g.service.length + 2];
    else if (g?.method !== undefined) [rank, len] = [1, 7 + g.method.length];
  } else {
    const p = (m.path as { type: string; value: string } | undefined) ?? {
      type: "PathPrefix",
      value: "/",
    };
    rank = p.type === "Exact" ? 3 : p.type === "PathPrefix" ? 2 : 1;
    len = p.value.length;
  }
  return [
    rank,
    len,
    m.method ? 1 : 0,
    ((m.headers as unknown[]) ?? []).length,
    ((m.queryParams as unknown[]) ?? []).length,
  ];
}

/** The emitted side of one conversion: its routes and the Services that tell which pods they reach. */
export class EmittedTables {
  constructor(
    private readonly objects: readonly K8sObject[],
    private readonly inputServices: readonly K8sService[],
  ) {}

  private selector(ns: string, name: string): Readonly<Record<string, string>> | undefined {
    const emitted = this.objects.find(
      (o) => o.kind === "Service" && o.metadata.namespace === ns && o.metadata.name === name,
    );
    if (emitted) return emitted.spec.selector as Record<string, string>;
    return this.inputServices.find((s) => s.namespace === ns && s.name === name)?.selector;
  }

  private podsOfHost(host: string, subset?: string): string {
    const [name, ns] = host.split(".");
    if (subset) {
      const dr = this.objects.find((o) => o.kind === "DestinationRule" && o.spec.host === host);
      const s = (
        (dr?.spec.subsets as { name: string; labels: Record<string, string> }[]) ?? []
      ).find((x) => x.name === subset);
      if (s) return labelsKey({ ...(this.selector(ns, name) ?? {}), ...s.labels });
    }
    const sel = host.endsWith(".svc.cluster.local") ? this.selector(ns, name) : undefined;
    return sel && Object.keys(sel).length ? labelsKey(sel) : `host:${host}`;
  }

  /** Istio VirtualServices (not gateway-bound) for the request's host, first matching http entry. */
  decideIstio(req: Request, protocol: "http" | "tcp"): Decision {
    const vs = this.objects.find(
      (o) =>
        o.kind === "VirtualService" &&
        !o.spec.gateways &&
        ((o.spec.hosts as string[]) ?? []).includes(req.host),
    );
    if (!vs) return { destination: new Map([[this.podsOfHost(req.host), 1]]) };
    const list = ((vs.spec[protocol] as Obj[]) ?? []).map((e, i) => ({ e, i }));
    for (const { e, i } of list) {
      const matches = (e.match as Obj[]) ?? [];
      const ok =
        protocol === "tcp"
          ? matches.length === 0 || matches.some((m) => m.port === req.port)
          : matches.length === 0 || matches.some((m) => istioMatches(m, req));
      if (!ok) continue;
      const route =
        (e.route as { destination: { host: string; subset?: string }; weight?: number }[]) ?? [];
      return {
        rule: `${vs.metadata.name}|${protocol}[${i}]`,
        destination: shares(
          route.map((d) => ({
            key: this.podsOfHost(d.destination.host, d.destination.subset),
            weight: d.weight ?? 100,
          })),
        ),
      };
    }
    return { destination: new Map() };
  }

  /** Gateway API routes attached to the request's Service, in Istio's order. */
  decideGateway(req: Request, kinds: readonly string[]): Decision {
    const [svc, ns] = req.host.split(".");
    const rules: {
      key: number[];
      route: string;
      rule: Obj;
      kind: string;
      match: Obj;
      order: number;
    }[] = [];
    let order = 0;
    const routes = this.objects
      .filter((o) => kinds.includes(o.kind) && o.metadata.namespace === ns)
      .filter((o) =>
        ((o.spec.parentRefs as Obj[]) ?? []).some(
          (p) =>
            p.kind === "Service" && p.name === svc && (p.port === undefined || p.port === req.port),
        ),
      )
      .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
    if (routes.length === 0) return { destination: new Map([[this.podsOfHost(req.host), 1]]) };
    for (const r of routes) {
      for (const rule of (r.spec.rules as Obj[]) ?? []) {
        const matches = (rule.matches as Obj[] | undefined) ?? [
          r.kind === "HTTPRoute" ? { path: { type: "PathPrefix", value: "/" } } : {},
        ];
        for (const m of matches)
          rules.push({
            key: gatewayRank(r.kind, m),
            route: r.metadata.name,
            rule,
            kind: r.kind,
            match: m,
            order: order++,
          });
      }
    }
    rules.sort((a, b) => {
      for (let k = 0; k < a.key.length; k++) if (a.key[k] !== b.key[k]) return b.key[k] - a.key[k];
      return a.order - b.order;
    });
    for (const r of rules) {
      if (r.kind !== "TCPRoute" && !gatewayMatches(r.kind, r.match, req)) continue;
      const refs =
        (r.rule.backendRefs as {
          name: string;
          namespace?: string;
          weight?: number;
          kind?: string;
        }[]) ?? [];
      return {
        rule: `${r.route}|${String(r.rule.name)}`,
        destination: shares(
          refs.map((b) => ({
            key:
              b.kind === "Hostname"
                ? `host:${b.name}`
                : this.podsOfHost(`${b.name}.${b.namespace ?? ns}.svc.cluster.local`),
            weight: b.weight ?? 1,
          })),
        ),
      };
    }
    return { destination: new Map() };
  }
}

/** Requests that exercise a router's routes: each route's own, its edges (prefix + x), and pairs combined. */
export function requestsFor(
  host: string,
  routes: readonly RouteEntry[],
  port: number | undefined,
): Request[] {
  const base = (o: Partial<Request>): Request => ({
    host,
    ...(port !== undefined ? { port } : {}),
    path: "/",
    method: "GET",
    scheme: "http",
    headers: {},
    query: {},
    ...o,
  });
  const own = (e: RouteEntry): Partial<Request>[] => {
    const h = e.route.httpRoute ?? e.route.http2Route;
    if (h) {
      const m = h.match;
      const headers: Record<string, string> = {};
      for (const x of m.headers ?? []) {
        if (x.invert) continue;
        const mm = x.match;
        headers[x.name.toLowerCase()] =
          mm?.exact ??
          (mm?.prefix !== undefined
            ? `${mm.prefix}z`
            : mm?.suffix !== undefined
              ? `z${mm.suffix}`
              : mm?.range
                ? String(mm.range.start)
                : mm?.regex
                  ? sampleFor(mm.regex)
                  : "present");
      }
      const query: Record<string, string> = {};
      for (const q of m.queryParameters ?? []) query[q.name] = q.match?.exact ?? "present";
      const path = m.path?.exact ?? (m.path?.regex ? sampleFor(m.path.regex) : (m.prefix ?? "/"));
      const common = {
        headers,
        query,
        ...(m.method ? { method: m.method } : {}),
        ...(m.scheme ? { scheme: m.scheme } : {}),
        ...(m.port !== undefined ? { port: m.port } : {}),
      };
      const out: Partial<Request>[] = [
        { ...common, path },
        { ...common, path: `${path.replace(/\/$/, "")}/sub` },
      ];
      if (m.prefix !== undefined && !m.path) out.push({ ...common, path: `${m.prefix}x` });
      return out;
    }
    const g = e.route.grpcRoute?.match;
    if (g) {
      const headers: Record<string, string> = {};
      for (const x of g.metadata ?? [])
        if (!x.invert) headers[x.name.toLowerCase()] = x.match?.exact ?? "present";
      return [
        {
          path: `/${g.serviceName ?? "pkg.Svc"}/${g.methodName ?? "Call"}`,
          headers,
          method: "POST",
          ...(g.port !== undefined ? { port: g.port } : {}),
        },
      ];
    }
    return [
      {
        ...(e.route.tcpRoute?.match?.port !== undefined
          ? { port: e.route.tcpRoute.match.port }
          : {}),
      },
    ];
  };
  const singles = routes.flatMap(own);
  const out = [base({}), ...singles.map(base)];
  // Pairs: a request meeting two routes' conditions shows which one each table prefers.
  for (let i = 0; i < singles.length; i++)
    for (let j = 0; j < singles.length; j++) {
      if (i === j) continue;
      const a = singles[i];
      const b = singles[j];
      out.push(
        base({
          ...b,
          ...a,
          headers: { ...b.headers, ...a.headers },
          query: { ...b.query, ...a.query },
        }),
      );
    }
  return out;
}

/** A string a simple regex matches (the corpus uses `.*x.*`, `^x$`-style regexes). */
function sampleFor(re: string): string {
  const s = re
    .replace(/^\^/, "")
    .replace(/\$$/, "")
    .replace(/\.\*/g, "")
    .replace(/\.\+/g, "x")
    .replace(/\[0-9\]\+?/g, "1")
    .replace(/\\(.)/g, "$1");
  return fullMatch(re, s) ? s : "unmatched";
}

export function sameDestination(a: Destination, b: Destination, tolerance = 0.011): boolean {
  const keys = new Set([...a.keys(), ...b.keys()]);
  for (const k of keys) if (Math.abs((a.get(k) ?? 0) - (b.get(k) ?? 0)) > tolerance) return false;
  return true;
}
