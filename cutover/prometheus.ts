// A Prometheus HTTP API client for instant queries (/api/v1/query): a timeout, a size cap, and errors that say what failed.
import { MeasureQuery, MetricsProvider, QueryError, Sample, sanitize } from "./provider";

export interface PrometheusOptions {
  /** Base URL, the part before /api/v1 (a path prefix such as /prometheus is kept). */
  readonly url: string;
  /** @default 10000 */
  readonly timeoutMs?: number;
  /** Answers above this many bytes are refused (a query that returns thousands of series). @default 1 MiB */
  readonly maxResponseBytes?: number;
}

interface ApiAnswer {
  status?: string;
  errorType?: string;
  error?: string;
  data?: { resultType?: string; result?: unknown };
}

export class PrometheusClient {
  readonly endpoint: string;
  private readonly timeoutMs: number;
  private readonly maxBytes: number;

  constructor(private readonly opts: PrometheusOptions) {
    const base = opts.url.endsWith("/") ? opts.url : `${opts.url}/`;
    this.endpoint = new URL("api/v1/query", base).toString();
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.maxBytes = opts.maxResponseBytes ?? 1024 * 1024;
  }

  get description(): string {
    return `Prometheus at ${this.opts.url}`;
  }

  /** One instant query at `at`. Throws QueryError; rejects with the signal's reason when it aborts. */
  async query(promql: string, at: Date, signal?: AbortSignal): Promise<Sample> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    const body = new URLSearchParams({
      query: promql,
      time: (at.getTime() / 1000).toFixed(3),
      // Prometheus stops evaluating too, instead of working on for an answer nobody reads.
      timeout: `${Math.max(1, Math.floor(this.timeoutMs / 1000))}s`,
    });
    let text: string;
    let status: number;
    try {
      const res = await fetch(this.endpoint, {
        method: "POST",
        body,
        headers: { accept: "application/json" },
        redirect: "error",
        signal: combined,
      });
      status = res.status;
      text = await this.readCapped(res);
    } catch (e) {
      if (signal?.aborted) throw signal.reason;
      if (timeout.aborted)
        throw new QueryError(
          "timeout",
          `${this.description} did not answer within ${this.timeoutMs} ms`,
        );
      if (e instanceof QueryError) throw e;
      throw new QueryError("unreachable", `${this.description} is unreachable: ${networkCause(e)}`);
    }
    let answer: ApiAnswer;
    try {
      answer = JSON.parse(text) as ApiAnswer;
    } catch {
      throw new QueryError(
        "http",
        `${this.description} answered HTTP ${status} that is not a Prometheus API answer: ${sanitize(text, 200) || "(empty body)"}`,
      );
    }
    if (answer.status === "error") {
      const what = sanitize(answer.error ?? "no error message");
      switch (answer.errorType) {
        case "bad_data":
          throw new QueryError("bad_query", `Prometheus refused the query: ${what}`);
        case "timeout":
          throw new QueryError("timeout", `Prometheus timed out evaluating the query: ${what}`);
        default:
          throw new QueryError(
            "execution",
            `Prometheus failed to evaluate the query (${sanitize(answer.errorType ?? "error", 40)}, HTTP ${status}): ${what}`,
          );
      }
    }
    if (status < 200 || status > 299 || answer.status !== "success") {
      throw new QueryError("http", `${this.description} answered HTTP ${status} without a result`);
    }
    return readResult(answer.data);
  }

  private async readCapped(res: Response): Promise<string> {
    const declared = Number(res.headers.get("content-length") ?? NaN);
    if (declared > this.maxBytes) {
      await res.body?.cancel();
      throw tooLarge(this.description, this.maxBytes);
    }
    if (!res.body) return "";
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.length;
      if (size > this.maxBytes) throw tooLarge(this.description, this.maxBytes);
      chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString("utf8");
  }
}

function tooLarge(who: string, max: number): QueryError {
  return new QueryError(
    "multiple_series",
    `${who} answered more than ${max} bytes: the query returns far more than one number (aggregate it with sum())`,
  );
}

function readResult(data: ApiAnswer["data"]): Sample {
  const type = data?.resultType;
  const result = data?.result;
  if (type === "scalar") return parseValue(result);
  if (type === "vector" && Array.isArray(result)) {
    if (result.length === 0) return { kind: "empty" };
    if (result.length > 1) {
      throw new QueryError(
        "multiple_series",
        `the query returns ${result.length} series; it must return one number (aggregate it, e.g. with sum())`,
      );
    }
    return parseValue((result[0] as { value?: unknown }).value);
  }
  throw new QueryError(
    "non_numeric",
    `the query returns a ${sanitize(String(type ?? "malformed result"), 40)}, not a number (use an instant vector or a scalar)`,
  );
}

/** `[<unix time>, "<value>"]` as Prometheus encodes samples: values are strings, NaN and Inf included. */
function parseValue(v: unknown): Sample {
  const raw = Array.isArray(v) ? (v[1] as unknown) : undefined;
  if (typeof raw !== "string")
    throw new QueryError("non_numeric", "the answer holds no sample value");
  if (raw === "NaN") return { kind: "nan" };
  if (raw === "+Inf" || raw === "Inf") return { kind: "value", value: Infinity };
  if (raw === "-Inf") return { kind: "value", value: -Infinity };
  const n = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(n)) {
    throw new QueryError(
      "non_numeric",
      `the sample value ${JSON.stringify(sanitize(raw, 40))} is not a number`,
    );
  }
  return { kind: "value", value: n };
}

function networkCause(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  const text = cause?.message ?? (e instanceof Error ? e.message : String(e));
  return sanitize(cause?.code && !text.includes(cause.code) ? `${cause.code}: ${text}` : text);
}

export class PrometheusProvider implements MetricsProvider {
  readonly client: PrometheusClient;

  constructor(opts: PrometheusOptions) {
    this.client = new PrometheusClient(opts);
  }

  get description(): string {
    return this.client.description;
  }

  async measure(
    queries: readonly MeasureQuery[],
    at: Date,
    _windowSeconds: number,
    signal?: AbortSignal,
  ): Promise<Sample[]> {
    // The window is already in each query ($window); Prometheus evaluates them all at `at`.
    return Promise.all(
      queries.map((q) =>
        this.client.query(q.query, at, signal).catch((e: unknown): Sample => {
          if (signal?.aborted) throw e;
          if (e instanceof QueryError) return { kind: "failed", error: e };
          throw e;
        }),
      ),
    );
  }
}
