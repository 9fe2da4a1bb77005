// The analysis gate as one pure function: measurements of a step in, advance / hold / rollback / stop out, with every metric.
import { QueryMetric } from "../config/sections/cutover";
import { Sample } from "./provider";
import { Thresholds } from "./settings";

export const DECISIONS = ["advance", "hold", "rollback", "stop"] as const;
export type DecisionKind = (typeof DECISIONS)[number];

/** The App Mesh error ratio the increase gate compares with, and where it was measured. */
export interface Baseline {
  readonly errorRate: number;
  /** "this window", "step 2", "before the run". */
  readonly from: string;
}

export interface TargetMeasurements {
  readonly target: string;
  readonly samples: Readonly<Partial<Record<QueryMetric, Sample>>>;
}

export interface DecisionInput {
  /** Holds already spent on this step. */
  readonly holds: number;
  readonly thresholds: Thresholds;
  readonly targets: readonly TargetMeasurements[];
  /** The last App Mesh error ratio measured with enough requests, per target. */
  readonly baselines: ReadonlyMap<string, Baseline>;
  /** How this step is named in a baseline (`step 2`). */
  readonly stepLabel: string;
}

export type MetricName = QueryMetric | "errorRateIncrease";

/** One metric of one target as judged: its value, the threshold it is held to and whether it passes. */
export interface MetricResult {
  readonly target: string;
  readonly metric: MetricName;
  /** null when the query gave no number. */
  readonly value: number | null;
  /** null for metrics shown for comparison only. */
  readonly threshold: number | null;
  readonly comparison: ">=" | "<=" | null;
  /** null when not judged (no value, or not enough requests for the ratio to mean anything). */
  readonly pass: boolean | null;
  /** Why there is no value, or where a baseline came from. */
  readonly note?: string;
}

export interface Decision {
  readonly decision: DecisionKind;
  readonly reason: string;
  readonly metrics: readonly MetricResult[];
  /** Baselines measured in this window (to carry into later steps). */
  readonly baselines: ReadonlyMap<string, Baseline>;
  /** Set when the step lacks data: a query failed, or too little traffic. */
  readonly lacking?: "query-failed" | "no-data";
}

const GATES = {
  istioRequests: { threshold: "minRequests", comparison: ">=" },
  istioErrorRate: { threshold: "maxErrorRate", comparison: "<=" },
  istioP99Ms: { threshold: "maxP99Ms", comparison: "<=" },
  errorRateIncrease: { threshold: "maxErrorRateIncrease", comparison: "<=" },
} as const satisfies Partial<
  Record<MetricName, { threshold: keyof Thresholds; comparison: string }>
>;

/**
 * Rollback when any gate fails on data that counts; otherwise hold while any target lacks data (a
 * failed query, too few requests, no App Mesh baseline), and stop once `maxHolds` holds are spent;
 * advance only when every gate of every target passes. A missing number never passes a gate.
 */
export function decide(input: DecisionInput): Decision {
  const t = input.thresholds;
  const metrics: MetricResult[] = [];
  const failures: string[] = [];
  const lacking: string[] = [];
  let failedQuery = false;
  const baselines = new Map<string, Baseline>();

  const judge = (
    target: string,
    metric: keyof typeof GATES,
    value: number | null,
    note?: string,
  ) => {
    const g = GATES[metric];
    const threshold = t[g.threshold];
    const pass =
      value === null ? null : g.comparison === ">=" ? value >= threshold : value <= threshold;
    metrics.push({ target, metric, value, threshold, comparison: g.comparison, pass, note });
    if (pass === false && metric !== "istioRequests") {
      failures.push(
        `${target}: ${metric} ${fmt(metric, value)} > ${g.threshold} ${fmt(metric, threshold)}`,
      );
    }
    return pass;
  };
  const show = (target: string, metric: QueryMetric, s: Sample | undefined) => {
    metrics.push({
      target,
      metric,
      value: valueOf(s),
      threshold: null,
      comparison: null,
      pass: null,
      note: s ? noteOf(s) : "no query",
    });
  };
  /** A number, or a reason to hold (recorded), for one required sample. */
  const need = (target: string, metric: QueryMetric, s: Sample | undefined): number | null => {
    if (s?.kind === "value") return s.value;
    if (s?.kind === "failed") {
      failedQuery = true;
      lacking.push(`${target}: ${metric} query failed: ${s.error.message}`);
    } else {
      lacking.push(`${target}: no ${metric} data in the window (${s ? noteOf(s) : "no query"})`);
    }
    return null;
  };

  for (const m of input.targets) {
    const s = m.samples;
    const name = m.target;
    const requests = need(name, "istioRequests", s.istioRequests);
    const enough = judge(
      name,
      "istioRequests",
      requests,
      s.istioRequests && noteOf(s.istioRequests),
    );
    if (enough === false) {
      lacking.push(
        `${name}: ${fmtCount(requests)} Istio requests in the window, below minRequests ${t.minRequests}`,
      );
    }
    // A ratio over a handful of requests says nothing: rates are judged only above minRequests.
    const errorRate = enough
      ? need(name, "istioErrorRate", s.istioErrorRate)
      : valueOf(s.istioErrorRate);
    const p99 = enough ? need(name, "istioP99Ms", s.istioP99Ms) : valueOf(s.istioP99Ms);
    if (enough) {
      judge(name, "istioErrorRate", errorRate, s.istioErrorRate && noteOf(s.istioErrorRate));
      judge(name, "istioP99Ms", p99, s.istioP99Ms && noteOf(s.istioP99Ms));
    } else {
      unjudged(metrics, name, "istioErrorRate", errorRate, t.maxErrorRate);
      unjudged(metrics, name, "istioP99Ms", p99, t.maxP99Ms);
    }

    show(name, "appmeshRequests", s.appmeshRequests);
    show(name, "appmeshErrorRate", s.appmeshErrorRate);
    show(name, "appmeshP99Ms", s.appmeshP99Ms);
    const appReq = valueOf(s.appmeshRequests);
    const appErr = valueOf(s.appmeshErrorRate);
    let baseline = input.baselines.get(name);
    if (appReq !== null && appReq >= t.minRequests && appErr !== null && Number.isFinite(appErr)) {
      baseline = { errorRate: appErr, from: "this window" };
      baselines.set(name, { errorRate: appErr, from: input.stepLabel });
    }
    if (!enough) continue;
    if (!baseline) {
      const failed = [s.appmeshRequests, s.appmeshErrorRate].find((x) => x?.kind === "failed");
      if (failed?.kind === "failed") {
        failedQuery = true;
        lacking.push(`${name}: App Mesh query failed: ${failed.error.message}`);
      } else {
        lacking.push(
          `${name}: no App Mesh baseline: fewer than minRequests ${t.minRequests} App Mesh requests in this window and none measured before`,
        );
      }
      unjudged(
        metrics,
        name,
        "errorRateIncrease",
        null,
        t.maxErrorRateIncrease,
        "no App Mesh baseline",
      );
      continue;
    }
    judge(
      name,
      "errorRateIncrease",
      errorRate === null ? null : errorRate - baseline.errorRate,
      `App Mesh ${fmt("istioErrorRate", baseline.errorRate)} (${baseline.from})`,
    );
  }

  const base = { metrics, baselines };
  if (failures.length) return { ...base, decision: "rollback", reason: failures.join("; ") };
  if (lacking.length) {
    const why = failedQuery ? "query-failed" : "no-data";
    if (input.holds < t.maxHolds) {
      return {
        ...base,
        decision: "hold",
        lacking: why,
        reason: `hold ${input.holds + 1} of ${t.maxHolds}: ${lacking.join("; ")}`,
      };
    }
    return {
      ...base,
      decision: "stop",
      lacking: why,
      reason: `${t.maxHolds} hold(s) spent without usable data: ${lacking.join("; ")}`,
    };
  }
  return { ...base, decision: "advance", reason: "every gate passes" };
}

function unjudged(
  metrics: MetricResult[],
  target: string,
  metric: keyof typeof GATES,
  value: number | null,
  threshold: number,
  note = "not judged: below minRequests",
): void {
  metrics.push({
    target,
    metric,
    value,
    threshold,
    comparison: GATES[metric].comparison,
    pass: null,
    note,
  });
}

function valueOf(s: Sample | undefined): number | null {
  return s?.kind === "value" ? s.value : null;
}

function noteOf(s: Sample): string | undefined {
  switch (s.kind) {
    case "value":
      return undefined;
    case "empty":
      return "empty result: no series in the window";
    case "nan":
      return "NaN: no requests in the window";
    case "failed":
      return `query failed (${s.error.kind}): ${s.error.message}`;
    default: {
      const never: never = s;
      throw new Error(`unknown sample ${JSON.stringify(never)}`);
    }
  }
}

function fmtCount(v: number | null): string {
  return v === null ? "no" : String(Math.round(v));
}

/** Ratios as percentages, latencies in ms, counts whole. */
export function fmt(metric: MetricName, v: number | null): string {
  if (v === null) return "n/a";
  if (!Number.isFinite(v)) return v > 0 ? "+Inf" : "-Inf";
  if (metric.endsWith("ErrorRate")) return `${(v * 100).toFixed(2)}%`;
  if (metric === "errorRateIncrease") {
    const pp = (v * 100).toFixed(2);
    return pp.startsWith("-") && Number(pp) !== 0 ? `${pp}pp` : `+${pp.replace(/^-/, "")}pp`;
  }
  if (metric.endsWith("P99Ms")) return `${v.toFixed(1)}ms`;
  return String(Math.round(v));
}
