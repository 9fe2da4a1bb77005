// The metrics provider seen by the analysis: one batch of queries at one instant, one Sample per query, errors by kind.
import { QueryMetric } from "../config/sections/cutover";

/**
 * Why a query gave no number. `bad_query`, `multiple_series` and `non_numeric` are the query's
 * fault (a config problem); the others are the backend's or the network's and may pass.
 */
export const QUERY_ERROR_KINDS = [
  "unreachable",
  "timeout",
  "http",
  "bad_query",
  "execution",
  "multiple_series",
  "non_numeric",
  "throttled",
  "auth",
] as const;
export type QueryErrorKind = (typeof QUERY_ERROR_KINDS)[number];

/** The kinds that a wrong query causes: retrying it cannot help. */
export const QUERY_FAULTS: ReadonlySet<QueryErrorKind> = new Set([
  "bad_query",
  "multiple_series",
  "non_numeric",
]);

export class QueryError extends Error {
  constructor(
    readonly kind: QueryErrorKind,
    message: string,
  ) {
    super(message);
    this.name = "QueryError";
  }
}

/** One query's answer: a number, nothing (no series, or NaN: no requests), or a failure. */
export type Sample =
  | { readonly kind: "value"; readonly value: number }
  | { readonly kind: "empty" }
  | { readonly kind: "nan" }
  | { readonly kind: "failed"; readonly error: QueryError };

export interface MeasureQuery {
  /** Unique within the batch. */
  readonly id: string;
  readonly metric: QueryMetric;
  /** The rendered query (PromQL, or a CloudWatch metric math expression). */
  readonly query: string;
}

export interface MetricsProvider {
  /** For messages: "Prometheus at http://...". */
  readonly description: string;
  /**
   * Evaluates every query at `at` over the `windowSeconds` before it. Never rejects for one query's
   * failure (that query's Sample is `failed`); rejects only when `signal` aborts.
   */
  measure(
    queries: readonly MeasureQuery[],
    at: Date,
    windowSeconds: number,
    signal?: AbortSignal,
  ): Promise<Sample[]>;
}

/** Control characters and excess length out of text that came from a server, before it is shown or stored. */
export function sanitize(text: string, max = 300): string {
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  const clean = text.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();
  return clean.length > max ? `${clean.slice(0, max - 3)}...` : clean;
}
