// Test support for progressive cutover runs: the dev stack moved to phase cutover with one namespace, judged by the test's Prometheus.
import { AutomationRunner } from "../../automation/runners/local";
import { PlanRunner } from "../../automation/runners/plan";
import { CutoverDeps } from "../../cli/commands/cutover";
import { ApplyEvent } from "../../cutover/loop";
import { tempDir } from "../automation/support";
import { metricsLab, MetricsLab, prometheusBinary } from "../support/prometheus";

/** The Prometheus binary, or undefined with a note printed once: its tests then skip. */
export function prometheusOrSkip(ctx: Mocha.Context): string {
  const bin = prometheusBinary();
  if (!bin) {
    process.stdout.write(
      "      note: no prometheus binary (install Debian's prometheus, or set MESHLIFT_PROMETHEUS); skipping the real-Prometheus cutover tests\n",
    );
    ctx.skip();
  }
  return bin;
}

export async function lab(ctx: Mocha.Context): Promise<MetricsLab> {
  return metricsLab(prometheusOrSkip(ctx));
}

export interface ProgressiveOverrides {
  steps?: number[];
  interval?: number;
  url: string;
  maxHolds?: number;
  queries?: Record<string, Record<string, string>>;
  extra?: Record<string, unknown>;
}

/** --set values: phase cutover from weight 0, one migrated namespace, the gates the scenarios use. */
export function cutoverSet(ns: string, o: ProgressiveOverrides): Record<string, string> {
  return {
    "meshlift:phase": "cutover",
    "meshlift:cutover.istioWeight": "0",
    "meshlift:migration.namespaces": JSON.stringify([
      { name: ns, state: "istio", deployments: ["app"] },
    ]),
    "meshlift:cutover.progressive": JSON.stringify({
      steps: o.steps ?? [10, 50, 100],
      interval: o.interval ?? 3,
      analysis: {
        prometheus: { url: o.url, timeout: 5 },
        minRequests: 50,
        maxErrorRate: 0.01,
        maxP99Ms: 500,
        maxErrorRateIncrease: 0.005,
        maxHolds: o.maxHolds ?? 1,
        ...(o.queries ? { queries: o.queries } : {}),
        ...o.extra,
      },
    }),
  };
}

let plan: PlanRunner | undefined;

/** The in-process plan runner: one for the whole test run, so the program loads once. */
export function sharedPlanRunner(): PlanRunner {
  return (plan ??= new PlanRunner());
}

export interface Captured {
  readonly deps: CutoverDeps;
  readonly out: string[];
  readonly err: string[];
  readonly journalDir: string;
  readonly stop: AbortController;
}

/** Dependencies that capture stdout and stderr lines; `onErr` sees each progress line as it comes. */
export function capture(onErr?: (line: string) => void, journalDir = tempDir()): Captured {
  const out: string[] = [];
  const err: string[] = [];
  const stop = new AbortController();
  const deps: CutoverDeps = {
    planRunner: sharedPlanRunner,
    automation: new AutomationRunner({ env: { PATH: "" } }),
    deployedPhase: async () => undefined,
    journalDir,
    out: (t) => out.push(...t.split("\n").filter(Boolean)),
    err: (t) => {
      for (const line of t.split("\n").filter(Boolean)) {
        err.push(line);
        onErr?.(line);
      }
    },
    signals: { stop: stop.signal, force: new AbortController().signal },
  };
  return { deps, out, err, journalDir, stop };
}

/** A cutover event's common fields, and apply events of the dev stack at step 2 of 4. */
export const base = { at: "2026-12-01T10:00:00.000Z", stack: "dev", dryRun: false };
export const applying = (weight: number): ApplyEvent => ({
  ...base,
  type: "applying",
  step: 2,
  of: 4,
  weight,
  rollback: false,
});
export const applied = (weight: number): ApplyEvent => ({ ...applying(weight), type: "applied" });
