// Gateway API rules are not evaluated in order: Istio sorts them by match specificity. Where that order differs
// from App Mesh's (priority, then specificity) for requests both rules can match, the difference is reported.
import type { Located } from "../../findings";
import type { HeaderMatch } from "../../read/schema";
import type { EmitContext } from "../shared/context";
import type { MatchRank } from "./matches";

/** What decides whether one request can match two App Mesh routes (as App Mesh reads them). */
export interface Conditions {
  readonly path?: { readonly kind: "exact" | "prefix" | "regex"; readonly value: string };
  readonly method?: string;
  readonly headers: readonly HeaderMatch[];
  readonly query: readonly { name: string; match?: { exact?: string } }[];
  readonly grpcService?: string;
  readonly grpcMethod?: string;
}

export interface RankedRule {
  readonly name: string;
  readonly rank: MatchRank;
  readonly conditions: Conditions;
  readonly where: Located & { readonly field: string };
}

/** Istio's order for Gateway API matches (pilot/pkg/config/kube/gateway sortHTTPRoutes): true when a goes first. */
export function istioBefore(a: MatchRank, b: MatchRank): boolean {
  if (a.uriRank !== b.uriRank) return a.uriRank > b.uriRank;
  if (a.uriLength !== b.uriLength) return a.uriLength > b.uriLength;
  if (a.method !== b.method) return a.method;
  if (a.headers !== b.headers) return a.headers > b.headers;
  return a.queryParams > b.queryParams;
}

/** Rule indexes in the order Istio evaluates them (a stable sort over the order they are written in). */
export function istioOrder(ranks: readonly MatchRank[]): number[] {
  return ranks
    .map((r, i) => ({ r, i }))
    .sort((x, y) => (istioBefore(x.r, y.r) ? -1 : istioBefore(y.r, x.r) ? 1 : x.i - y.i))
    .map((x) => x.i);
}

function exactValues(hs: readonly HeaderMatch[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const h of hs)
    if (!h.invert && h.match?.exact !== undefined) out.set(h.name.toLowerCase(), h.match.exact);
  return out;
}

/** False only when no request can match both (different exact values, methods, paths, services). */
export function mayOverlap(a: Conditions, b: Conditions): boolean {
  if (a.method && b.method && a.method !== b.method) return false;
  if (a.grpcService !== undefined && b.grpcService !== undefined && a.grpcService !== b.grpcService)
    return false;
  if (a.grpcMethod !== undefined && b.grpcMethod !== undefined && a.grpcMethod !== b.grpcMethod)
    return false;
  if (a.path && b.path && a.path.kind !== "regex" && b.path.kind !== "regex") {
    const [x, y] = [a.path, b.path];
    if (x.kind === "exact" && y.kind === "exact" && x.value !== y.value) return false;
    if (x.kind === "exact" && y.kind === "prefix" && !x.value.startsWith(y.value)) return false;
    if (y.kind === "exact" && x.kind === "prefix" && !y.value.startsWith(x.value)) return false;
    if (
      x.kind === "prefix" &&
      y.kind === "prefix" &&
      !x.value.startsWith(y.value) &&
      !y.value.startsWith(x.value)
    )
      return false;
  }
  const ha = exactValues(a.headers);
  for (const [k, v] of exactValues(b.headers)) if (ha.has(k) && ha.get(k) !== v) return false;
  const qa = new Map(
    a.query.filter((q) => q.match?.exact !== undefined).map((q) => [q.name, q.match!.exact]),
  );
  for (const q of b.query)
    if (q.match?.exact !== undefined && qa.has(q.name) && qa.get(q.name) !== q.match.exact)
      return false;
  return true;
}

/**
 * Reports every pair where App Mesh tries rule i first but Istio tries rule j first and one request can match
 * both: such requests now go to j. `rules` are in App Mesh's order.
 */
export function reportPrecedence(ctx: EmitContext, rules: readonly RankedRule[]): void {
  const order = istioOrder(rules.map((r) => r.rank));
  const position = new Map(order.map((idx, pos) => [idx, pos]));
  for (let i = 0; i < rules.length; i++) {
    const losers: string[] = [];
    for (let j = i + 1; j < rules.length; j++) {
      if (
        position.get(j)! < position.get(i)! &&
        mayOverlap(rules[i].conditions, rules[j].conditions)
      )
        losers.push(rules[j].name);
    }
    if (losers.length === 0) continue;
    const r = rules[i];
    ctx.at(
      "warning",
      r.where.source,
      r.where.origin,
      r.where.field,
      `the Gateway API orders rules by match specificity, not App Mesh priority: requests that match both ${r.name} and ${losers.join(", ")} go to ${losers.length > 1 ? "those" : losers[0]} (App Mesh sent them to ${r.name}); make the matches disjoint to keep App Mesh's choice`,
    );
  }
}

/** App Mesh route conditions, for the overlap test. */
export function httpConditions(m: {
  prefix?: string;
  path?: { exact?: string; regex?: string };
  method?: string;
  headers?: HeaderMatch[];
  queryParameters?: { name: string; match?: { exact?: string } }[];
}): Conditions {
  const path =
    m.path?.exact !== undefined
      ? { kind: "exact" as const, value: m.path.exact }
      : m.path?.regex !== undefined
        ? { kind: "regex" as const, value: m.path.regex }
        : m.prefix !== undefined
          ? { kind: "prefix" as const, value: m.prefix }
          : undefined;
  return {
    ...(path ? { path } : {}),
    ...(m.method ? { method: m.method } : {}),
    headers: m.headers ?? [],
    query: m.queryParameters ?? [],
  };
}

export function grpcConditions(m: {
  serviceName?: string;
  methodName?: string;
  metadata?: HeaderMatch[];
}): Conditions {
  return {
    ...(m.serviceName !== undefined ? { grpcService: m.serviceName } : {}),
    ...(m.methodName !== undefined ? { grpcMethod: m.methodName } : {}),
    headers: m.metadata ?? [],
    query: [],
  };
}
