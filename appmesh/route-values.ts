// Route-level mapping (App Mesh -> Istio HTTPRoute pieces): weights, matches, retries, durations, order.
import { Duration, HeaderMatch, RetryPolicy } from "./read/schema";

/**
 * Scales integer weights to sum to exactly 100 (largest remainder), so ratios survive within one point.
 * All-zero input stays all zero (App Mesh sends no traffic; the caller reports it).
 */
export function normalizeWeights(weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0) return weights.map(() => 0);
  const exact = weights.map((w) => (w * 100) / sum);
  const out = exact.map(Math.floor);
  let left = 100 - out.reduce((a, b) => a + b, 0);
  // Ties go to the earlier target so the result is deterministic.
  const order = exact
    .map((x, i) => ({ i, frac: x - Math.floor(x) }))
    .filter(({ i }) => weights[i] > 0)
    .sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    out[i] += 1;
    left -= 1;
  }
  return out;
}

/** App Mesh `{value, unit}` -> Istio duration string; undefined when the value is 0 (disabled). */
export function durationString(d: Duration | undefined): string | undefined {
  if (!d || d.value <= 0) return undefined;
  return `${d.value}${d.unit}`;
}

export function durationMillis(d: Duration): number {
  return d.unit === "s" ? d.value * 1000 : d.value;
}

/** A millisecond count as the shortest exact Istio duration. */
export function millisString(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** App Mesh's per-request timeout when none is set (AWS API_HttpTimeout). */
export const APPMESH_DEFAULT_TIMEOUT_MS = 15_000;

/** Retry events -> Envoy/Istio `retryOn` tokens, as App Mesh renders them (see reference §4). */
const HTTP_EVENTS: Record<string, string[]> = {
  "server-error": [
    "500",
    "501",
    "502",
    "503",
    "504",
    "505",
    "506",
    "507",
    "508",
    "510",
    "511",
    "reset",
  ],
  "gateway-error": ["502", "503", "504", "reset"],
  "client-error": ["409"],
  "stream-error": ["refused-stream"],
};
const TCP_EVENTS: Record<string, string[]> = { "connection-error": ["connect-failure"] };

export function retryOn(p: RetryPolicy): string {
  const tokens: string[] = [];
  const add = (t: string) => {
    if (!tokens.includes(t)) tokens.push(t);
  };
  for (const e of p.httpRetryEvents ?? []) for (const t of HTTP_EVENTS[e] ?? []) add(t);
  for (const e of p.tcpRetryEvents ?? []) for (const t of TCP_EVENTS[e] ?? []) add(t);
  for (const e of p.grpcRetryEvents ?? []) add(e);
  // Status codes first, then named conditions: the order Envoy documents; sorted for stable output.
  const codes = tokens.filter((t) => /^\d+$/.test(t)).sort();
  const named = tokens.filter((t) => !/^\d+$/.test(t)).sort();
  return [...codes, ...named].join(",");
}

/** The retry policy App Mesh applies when a route sets none (meshes after 2020-07-29, AM-UG envoy defaults). */
export const APPMESH_DEFAULT_RETRIES = {
  attempts: 2,
  retryOn: "503,connect-failure,refused-stream,unavailable",
} as const;

/** A literal string as a regex matching exactly it (RE2 and JavaScript agree on these escapes). */
export function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** An App Mesh header/metadata match -> Istio StringMatch, or a reason it cannot be carried over exactly. */
export function stringMatch(h: HeaderMatch): { match: Record<string, string>; lossy?: string } {
  const m = h.match;
  if (!m) return { match: {} };
  if (m.exact !== undefined) return { match: { exact: m.exact } };
  if (m.prefix !== undefined) return { match: { prefix: m.prefix } };
  if (m.regex !== undefined) return { match: { regex: m.regex } };
  if (m.suffix !== undefined) return { match: { regex: `.*${escapeRegex(m.suffix)}` } };
  if (m.range) {
    return {
      match: { regex: rangeRegex(m.range.start, m.range.end) },
      lossy: `range [${m.range.start}, ${m.range.end}) has no Istio match; approximated by a regex over the decimal values`,
    };
  }
  return { match: {} };
}

/** A regex matching the integers in [start, end) (App Mesh ranges exclude the end); lists them when few. */
export function rangeRegex(start: number, end: number): string {
  const n = end - start;
  if (n <= 0) return "^$";
  if (n <= 200) {
    const values: string[] = [];
    for (let i = start; i < end; i++) values.push(String(i));
    return `^(${values.join("|")})$`;
  }
  return "^-?[0-9]+$";
}

/** Specificity key for routes with no priority: exact paths, then regex, then longer prefixes, then more conditions. */
export function specificity(m: {
  path?: { exact?: string; regex?: string };
  prefix?: string;
  serviceName?: string;
  methodName?: string;
  conditions: number;
}): number[] {
  if (m.path?.exact !== undefined) return [0, -m.path.exact.length, -m.conditions];
  if (m.methodName !== undefined) return [0, 0, -m.conditions];
  if (m.path?.regex !== undefined) return [1, 0, -m.conditions];
  if (m.serviceName !== undefined) return [2, -m.serviceName.length, -m.conditions];
  return [2, -(m.prefix ?? "").length, -m.conditions];
}

export function compareKeys(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
