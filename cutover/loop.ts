// The progressive cutover loop: per step set the weight, wait the interval, query, decide; hold, roll back or stop on its own.
import * as crypto from "node:crypto";
import { ConfigError, ConfigProblem } from "../config/errors";
import { NAMESPACE } from "../config/load";
import { ALL_NAMESPACES, QUERY_METRICS, QueryMetric } from "../config/sections/cutover";
import {
  Baseline,
  decide,
  Decision,
  DecisionKind,
  MetricResult,
  TargetMeasurements,
} from "./decide";
import { Journal, JournalEntry } from "./journal";
import { MeasureQuery, MetricsProvider, QUERY_FAULTS, Sample } from "./provider";
import { cloudWatchPeriod, promWindow, renderQuery } from "./queries";
import { CutoverSettings, CutoverTarget, Thresholds } from "./settings";

/** What a weight change reported back: the weights the plan or the deployed stack shows. */
export interface AppliedWeights {
  readonly istio: number | null;
  readonly appmesh: number | null;
  /** One line: "offline plan: 2 Route 53 records", "up: 2 updated". */
  readonly detail: string;
}

/** Sets the Istio weight: `up` through the Automation API, or the offline plan for --dry-run. */
export interface Applier {
  readonly description: string;
  apply(weight: number, signal: AbortSignal): Promise<AppliedWeights>;
}

export const OUTCOMES = [
  "completed",
  "rolled-back",
  "stopped",
  "interrupted",
  "apply-failed",
] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Exit codes of `meshlift cutover run`, per outcome (2 is a bad config, thrown before any step). */
export const OUTCOME_EXIT: Readonly<Record<Outcome, number>> = {
  completed: 0,
  "rolled-back": 3,
  stopped: 4,
  "apply-failed": 5,
  interrupted: 130,
};

interface EventBase {
  readonly at: string;
  readonly stack: string;
  readonly dryRun: boolean;
}

export type StartEvent = EventBase & {
  readonly type: "start";
  readonly steps: readonly number[];
  readonly remaining: readonly number[];
  readonly fromWeight: number;
  readonly interval: number;
  readonly provider: string;
  readonly targets: readonly string[];
  readonly thresholds: Thresholds;
};
export type BaselineEvent = EventBase & {
  readonly type: "baseline";
  /** The App Mesh side measured over the interval before the first step. */
  readonly baselines: Readonly<Record<string, Baseline>>;
  readonly windowSeconds: number;
};
export type ApplyEvent = EventBase & {
  readonly type: "applying" | "applied";
  readonly step: number;
  readonly of: number;
  readonly weight: number;
  readonly rollback: boolean;
  readonly detail?: string;
};
export type DecisionEvent = EventBase & {
  readonly type: "decision";
  readonly step: number;
  readonly of: number;
  readonly weight: number;
  readonly decision: DecisionKind;
  readonly reason: string;
  readonly metrics: readonly MetricResult[];
  /** Holds spent on this step before this decision. */
  readonly holds: number;
  readonly windowSeconds: number;
  /** Milliseconds from the end of the wait to the decision (queries plus judgement). */
  readonly analysisMs: number;
  readonly queries: number;
  /** For rollback: the weight it goes back to. */
  readonly rollbackTo?: number;
};
export type EndEvent = EventBase & {
  readonly type: "end";
  readonly outcome: Outcome;
  /** The Istio weight the stack is left at; null for a dry run (nothing applied). */
  readonly weight: number | null;
  readonly exitCode: number;
  readonly message: string;
};
export type CutoverEvent = StartEvent | BaselineEvent | ApplyEvent | DecisionEvent | EndEvent;

export interface CutoverResult {
  readonly runId: string;
  readonly outcome: Outcome;
  readonly exitCode: number;
  readonly weight: number | null;
  readonly message: string;
  readonly decisions: readonly DecisionEvent[];
}

export interface LoopDeps {
  readonly applier: Applier;
  readonly provider: MetricsProvider;
  readonly journal?: Journal;
  readonly onEvent?: (e: JournalEntry) => void;
  /** Stop after the current step: an `up` in flight finishes, the wait ends, no further step starts. */
  readonly stop?: AbortSignal;
  /** Stop now: cancels an `up` in flight too. */
  readonly force?: AbortSignal;
  readonly runId?: string;
}

/** The command that continues a run: it starts from the stack config's cutover.istioWeight. */
export function resumeCommand(stack: string, dryRun: boolean): string {
  return `meshlift cutover run --stack ${stack}${dryRun ? " --dry-run" : ""}`;
}

/** The commands that put the weight back by hand. */
export function manualRollback(stack: string, weight: number): string {
  return `pulumi config set --path 'meshlift:cutover.istioWeight' ${weight} --stack ${stack} && pulumi up --stack ${stack}`;
}

/** Resolves true after `ms`, false as soon as `signal` aborts. */
export function wait(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (v: boolean) => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      resolve(v);
    };
    const onAbort = () => done(false);
    const timer = setTimeout(() => done(true), ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

export async function runCutover(s: CutoverSettings, deps: LoopDeps): Promise<CutoverResult> {
  const runId = deps.runId ?? crypto.randomUUID();
  const never = new AbortController().signal;
  const force = deps.force ?? never;
  const stop = deps.stop ?? never;
  const decisions: DecisionEvent[] = [];
  const base = () => ({ at: new Date().toISOString(), stack: s.stack, dryRun: s.dryRun });
  const emit = (e: CutoverEvent) => {
    const entry = { ...e, runId } as JournalEntry;
    deps.journal?.append(entry);
    deps.onEvent?.(entry);
  };
  const of = s.steps.length;
  const stepOf = (w: number) => s.steps.indexOf(w) + 1;

  // Before anything changes: every query runs once, so a wrong query or an unreachable backend
  // stops the run here, and the App Mesh side gives a first baseline.
  const pre = await measure(s, deps.provider, s.interval, force);
  const faults = configFaults(s, pre.queries, pre.samples);
  if (faults.length) throw new ConfigError(s.stack, faults);

  emit({
    ...base(),
    type: "start",
    steps: s.steps,
    remaining: s.remaining,
    fromWeight: s.startWeight,
    interval: s.interval,
    provider: deps.provider.description,
    targets: s.targets.map((t) => t.name),
    thresholds: s.thresholds,
  });
  const finish = (outcome: Outcome, weight: number | null, message: string): CutoverResult => {
    const exitCode = OUTCOME_EXIT[outcome];
    emit({ ...base(), type: "end", outcome, weight: s.dryRun ? null : weight, exitCode, message });
    return { runId, outcome, exitCode, weight: s.dryRun ? null : weight, message, decisions };
  };
  const resume = resumeCommand(s.stack, s.dryRun);
  const nothingApplied = s.dryRun ? " (dry-run: nothing was applied)" : "";
  /** Where a stop on request leaves the stack, said plainly. */
  const leftAt = (step: number) =>
    s.dryRun
      ? ` at step ${step} (weight ${current}, dry-run: nothing was applied)`
      : `: Istio weight left at ${current} (App Mesh ${100 - current})`;

  const unreachable = pre.samples.find((x) => x.kind === "failed");
  if (unreachable?.kind === "failed") {
    return finish(
      "stopped",
      s.startWeight,
      `stopped before the first step, nothing was changed: ${unreachable.error.message}`,
    );
  }
  const baselines = new Map<string, Baseline>();
  const preDecision = decide({
    holds: 0,
    thresholds: s.thresholds,
    targets: pre.measurements,
    baselines,
    stepLabel: "before the run",
  });
  for (const [k, v] of preDecision.baselines) baselines.set(k, v);
  emit({
    ...base(),
    type: "baseline",
    baselines: Object.fromEntries(baselines),
    windowSeconds: s.interval,
  });

  if (s.remaining.length === 0) {
    return finish(
      "completed",
      s.startWeight,
      `nothing to do: cutover.istioWeight is ${s.startWeight}, at or past the last step (${s.steps[s.steps.length - 1]})`,
    );
  }

  let lastGood = s.startWeight;
  let current = s.startWeight;
  const apply = async (weight: number, rollback: boolean): Promise<string | undefined> => {
    const step = rollback ? stepOf(current) : stepOf(weight);
    emit({ ...base(), type: "applying", step, of, weight, rollback });
    let r: AppliedWeights;
    try {
      r = await deps.applier.apply(weight, force);
    } catch (e) {
      if (e instanceof ConfigError || (e instanceof Error && e.name === "PlanError")) throw e;
      return e instanceof Error ? e.message : String(e);
    }
    if (r.istio !== weight) {
      return `${deps.applier.description} shows Istio weight ${String(r.istio)}, not ${weight} (${r.detail}); is the Istio gateway hostname known to the stack?`;
    }
    current = weight;
    emit({ ...base(), type: "applied", step, of, weight, rollback, detail: r.detail });
    return undefined;
  };

  for (const weight of s.remaining) {
    const step = stepOf(weight);
    if (stop.aborted) {
      return finish(
        "interrupted",
        current,
        `stopped on request before step ${step}${leftAt(step)}. Resume: ${resume}`,
      );
    }
    const failed = await apply(weight, false);
    if (failed !== undefined) {
      if (force.aborted) {
        return finish(
          "interrupted",
          current,
          `stopped at once on request while setting weight ${weight}: the update was cancelled and may be half-applied; run \`pulumi refresh --stack ${s.stack}\`, check \`meshlift cutover status --stack ${s.stack}\`, then resume: ${resume}`,
        );
      }
      return finish(
        "apply-failed",
        current,
        `setting weight ${weight} failed (${deps.applier.description}): ${failed}. The stack config may already say ${weight}; check with \`pulumi stack --stack ${s.stack}\` and \`pulumi refresh\`, then resume (${resume}) or roll back (${manualRollback(s.stack, lastGood)})`,
      );
    }
    const appliedAt = Date.now();
    for (let holds = 0; ; holds++) {
      const waited = await wait(s.interval * 1000, stop);
      if (!waited) {
        return finish(
          "interrupted",
          current,
          `stopped on request${leftAt(step)}; step ${step} was not judged. Resume: ${resume}`,
        );
      }
      const started = performance.now();
      const windowSeconds = Math.max(1, Math.floor((Date.now() - appliedAt) / 1000));
      const m = await measure(s, deps.provider, windowSeconds, force);
      const d: Decision = decide({
        holds,
        thresholds: s.thresholds,
        targets: m.measurements,
        baselines,
        stepLabel: `step ${step}`,
      });
      for (const [k, v] of d.baselines) baselines.set(k, v);
      const event: DecisionEvent = {
        ...base(),
        type: "decision",
        step,
        of,
        weight,
        decision: d.decision,
        reason: d.reason,
        metrics: d.metrics,
        holds,
        windowSeconds,
        analysisMs: Math.round((performance.now() - started) * 10) / 10,
        queries: m.queries.length,
        ...(d.decision === "rollback" ? { rollbackTo: lastGood } : {}),
      };
      decisions.push(event);
      emit(event);

      if (d.decision === "advance") {
        lastGood = weight;
        break;
      }
      if (d.decision === "rollback") {
        const failedBack = await apply(lastGood, true);
        if (failedBack !== undefined) {
          return finish(
            "apply-failed",
            current,
            `step ${step} (weight ${weight}) failed its gates (${d.reason}) and the rollback to ${lastGood} failed: ${failedBack}. Roll back by hand now: ${manualRollback(s.stack, lastGood)}`,
          );
        }
        return finish(
          "rolled-back",
          lastGood,
          `rolled back to Istio weight ${lastGood}${nothingApplied} after step ${step} (weight ${weight}) failed: ${d.reason}`,
        );
      }
      if (d.decision === "stop") {
        return finish(
          "stopped",
          current,
          `stopped at Istio weight ${current}${nothingApplied}, left where it is: ${d.reason}. Resume: ${resume}; roll back: ${manualRollback(s.stack, lastGood)}`,
        );
      }
      // hold: one more interval, unless a stop was asked for meanwhile.
      if (stop.aborted) {
        return finish(
          "interrupted",
          current,
          `stopped on request while holding${leftAt(step)}. Resume: ${resume}`,
        );
      }
    }
  }
  const last = s.remaining[s.remaining.length - 1];
  return finish(
    "completed",
    last,
    s.dryRun
      ? `dry-run: every step passed its gates up to weight ${last}; nothing was applied (cutover.istioWeight is still ${s.startWeight})`
      : `Istio weight is ${last} (App Mesh ${100 - last}) on stack ${s.stack}: every step passed its gates`,
  );
}

interface Measured {
  readonly queries: MeasureQuery[];
  readonly samples: Sample[];
  readonly measurements: TargetMeasurements[];
}

/** Every query of every target, evaluated now over the window. */
async function measure(
  s: CutoverSettings,
  provider: MetricsProvider,
  windowSeconds: number,
  signal: AbortSignal,
): Promise<Measured> {
  const vars = {
    window: promWindow(windowSeconds),
    period: String(cloudWatchPeriod(windowSeconds)),
  };
  const queries: MeasureQuery[] = [];
  const owners: [CutoverTarget, QueryMetric][] = [];
  for (const t of s.targets) {
    for (const metric of QUERY_METRICS) {
      const template = t.queries[metric];
      if (template === undefined) continue;
      queries.push({
        id: `q${queries.length}`,
        metric,
        query: renderQuery(template, { ...t.vars, ...vars }),
      });
      owners.push([t, metric]);
    }
  }
  const samples = await provider.measure(queries, new Date(), windowSeconds, signal);
  const byTarget = new Map<string, Partial<Record<QueryMetric, Sample>>>();
  samples.forEach((sample, i) => {
    const [t, metric] = owners[i];
    const m = byTarget.get(t.name) ?? {};
    m[metric] = sample;
    byTarget.set(t.name, m);
  });
  return {
    queries,
    samples,
    measurements: s.targets.map((t) => ({ target: t.name, samples: byTarget.get(t.name) ?? {} })),
  };
}

/** Failures no retry can fix (a query Prometheus refuses, many series, a string): config problems. */
function configFaults(
  s: CutoverSettings,
  queries: MeasureQuery[],
  samples: Sample[],
): ConfigProblem[] {
  const owners = s.targets.flatMap((t) =>
    QUERY_METRICS.filter((m) => t.queries[m] !== undefined).map(() => t),
  );
  const out: ConfigProblem[] = [];
  samples.forEach((x, i) => {
    if (x.kind !== "failed" || !QUERY_FAULTS.has(x.error.kind)) return;
    const slot = owners[i].name;
    out.push({
      key: `${NAMESPACE}:cutover.progressive.analysis.queries.${slot}.${queries[i].metric}`,
      given: queries[i].query,
      message: `${x.error.message} (override it in analysis.queries.${slot} or "${ALL_NAMESPACES}")`,
    });
  });
  return out;
}
