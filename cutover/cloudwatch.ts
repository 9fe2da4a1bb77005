// The CloudWatch metrics provider: every query of a step as metric math in one GetMetricData call (@aws-sdk/client-cloudwatch).
import {
  CloudWatchClient,
  GetMetricDataCommand,
  MetricDataQuery,
  MetricDataResult,
} from "@aws-sdk/client-cloudwatch";
import {
  MeasureQuery,
  MetricsProvider,
  QueryError,
  QueryErrorKind,
  Sample,
  sanitize,
} from "./provider";
import { cloudWatchPeriod } from "./queries";

export interface CloudWatchOptions {
  readonly region: string;
  /** A client of your own (tests: one whose requestHandler replays recorded HTTP answers). */
  readonly client?: CloudWatchClient;
  /** @default 10000 */
  readonly timeoutMs?: number;
}

/** GetMetricData takes at most 500 queries a call. */
const MAX_QUERIES = 500;
/** Pages followed before the answer counts as failed: a step's queries return one datapoint each. */
const MAX_PAGES = 20;

const BAD_QUERY = new Set([
  "InvalidParameterValueException",
  "InvalidParameterCombinationException",
  "MissingRequiredParameterException",
  "ValidationError",
  "ValidationException",
  "InvalidNextToken",
]);
const THROTTLED = new Set([
  "ThrottlingException",
  "Throttling",
  "LimitExceededException",
  "TooManyRequestsException",
]);
const AUTH = new Set([
  "CredentialsProviderError",
  "AccessDenied",
  "AccessDeniedException",
  "UnrecognizedClientException",
  "InvalidClientTokenId",
  "ExpiredToken",
  "ExpiredTokenException",
  "InvalidSignatureException",
]);

export class CloudWatchProvider implements MetricsProvider {
  readonly client: CloudWatchClient;
  private readonly timeoutMs: number;

  constructor(private readonly o: CloudWatchOptions) {
    this.client = o.client ?? new CloudWatchClient({ region: o.region, maxAttempts: 3 });
    this.timeoutMs = o.timeoutMs ?? 10_000;
  }

  get description(): string {
    return `CloudWatch in ${this.o.region}`;
  }

  async measure(
    queries: readonly MeasureQuery[],
    at: Date,
    windowSeconds: number,
    signal?: AbortSignal,
  ): Promise<Sample[]> {
    const out: Sample[] = [];
    for (let i = 0; i < queries.length; i += MAX_QUERIES) {
      out.push(...(await this.batch(queries.slice(i, i + MAX_QUERIES), at, windowSeconds, signal)));
    }
    return out;
  }

  private async batch(
    queries: readonly MeasureQuery[],
    at: Date,
    windowSeconds: number,
    signal?: AbortSignal,
  ): Promise<Sample[]> {
    try {
      const results = await this.fetch(queries, at, windowSeconds, signal);
      return queries.map((q) => toSample(q, results.get(q.id)));
    } catch (e) {
      if (signal?.aborted) throw e;
      const err = toQueryError(e);
      // CloudWatch refuses the whole call for one bad expression: ask again one by one to name it.
      if (err.kind === "bad_query" && queries.length > 1) {
        const each: Sample[] = [];
        for (const q of queries) each.push(...(await this.batch([q], at, windowSeconds, signal)));
        return each;
      }
      return queries.map(() => ({ kind: "failed", error: err }));
    }
  }

  private async fetch(
    queries: readonly MeasureQuery[],
    at: Date,
    windowSeconds: number,
    signal?: AbortSignal,
  ): Promise<Map<string, MetricDataResult[]>> {
    const period = cloudWatchPeriod(windowSeconds);
    const MetricDataQueries: MetricDataQuery[] = queries.map((q) => ({
      Id: q.id,
      Expression: q.query,
      Label: q.metric,
      Period: period,
      ReturnData: true,
    }));
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const abortSignal = signal ? AbortSignal.any([signal, timeout]) : timeout;
    const results = new Map<string, MetricDataResult[]>();
    let NextToken: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      let answer;
      try {
        answer = await this.client.send(
          new GetMetricDataCommand({
            MetricDataQueries,
            StartTime: new Date(at.getTime() - period * 1000),
            EndTime: at,
            ScanBy: "TimestampDescending",
            NextToken,
          }),
          { abortSignal },
        );
      } catch (e) {
        if (!signal?.aborted && timeout.aborted)
          throw new QueryError(
            "timeout",
            `${this.description} did not answer within ${this.timeoutMs} ms`,
          );
        throw e;
      }
      for (const m of answer.Messages ?? []) {
        if (m.Code)
          throw new QueryError(
            "execution",
            `CloudWatch: ${sanitize(`${m.Code}: ${m.Value ?? ""}`)}`,
          );
      }
      for (const r of answer.MetricDataResults ?? []) {
        if (!r.Id) continue;
        results.set(r.Id, [...(results.get(r.Id) ?? []), r]);
      }
      NextToken = answer.NextToken;
      if (!NextToken) return results;
    }
    throw new QueryError("execution", `CloudWatch kept paginating after ${MAX_PAGES} pages`);
  }
}

/**
 * A query's pages as one number: counts add up over the datapoints, ratios and latencies take the
 * worst datapoint (a window that spans two periods is judged by the worse one).
 */
function toSample(q: MeasureQuery, pages: MetricDataResult[] | undefined): Sample {
  if (!pages?.length) return { kind: "empty" };
  const values = pages.flatMap((p) => p.Values ?? []);
  const status = pages.map((p) => p.StatusCode).find((s) => s && s !== "Complete");
  const messages = pages
    .flatMap((p) => p.Messages ?? [])
    .map((m) => `${m.Code ?? ""}: ${m.Value ?? ""}`);
  if (status === "Forbidden")
    return {
      kind: "failed",
      error: new QueryError(
        "auth",
        `CloudWatch refused ${q.metric}: Forbidden ${sanitize(messages.join("; "))}`,
      ),
    };
  if (status === "InternalError")
    return {
      kind: "failed",
      error: new QueryError(
        "execution",
        `CloudWatch failed ${q.metric}: ${sanitize(messages.join("; ")) || "InternalError"}`,
      ),
    };
  if (values.length === 0) {
    return messages.length
      ? {
          kind: "failed",
          error: new QueryError(
            "execution",
            `CloudWatch: ${q.metric}: ${sanitize(messages.join("; "))}`,
          ),
        }
      : { kind: "empty" };
  }
  if (values.some((v) => typeof v !== "number" || Number.isNaN(v))) return { kind: "nan" };
  const value = q.metric.endsWith("Requests")
    ? values.reduce((a, b) => a + b, 0)
    : Math.max(...values);
  return { kind: "value", value };
}

function toQueryError(e: unknown): QueryError {
  if (e instanceof QueryError) return e;
  const err = e as {
    name?: string;
    message?: string;
    code?: string;
    $metadata?: { httpStatusCode?: number };
  };
  const name = err.name ?? "Error";
  const text = sanitize(err.message ?? String(e));
  let kind: QueryErrorKind = "execution";
  if (BAD_QUERY.has(name)) kind = "bad_query";
  else if (THROTTLED.has(name)) kind = "throttled";
  else if (AUTH.has(name)) kind = "auth";
  else if (
    err.$metadata?.httpStatusCode === undefined &&
    (["ECONNREFUSED", "ENOTFOUND", "ECONNRESET", "EAI_AGAIN", "ETIMEDOUT"].includes(
      err.code ?? "",
    ) ||
      name === "TimeoutError" ||
      name === "RequestTimeout")
  )
    kind = "unreachable";
  const what = kind === "bad_query" ? "CloudWatch refused the query" : `CloudWatch (${name})`;
  return new QueryError(kind, `${what}: ${text}`);
}
