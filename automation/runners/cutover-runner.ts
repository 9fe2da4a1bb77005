// The `cutover` runner: the progressive cutover loop with weights set through the plan runner (--dry-run) or `up` (Automation API).
import * as crypto from "node:crypto";
import { parseConfig } from "../../config/load";
import { qualifyKey, readStackFile } from "../../config/stack-file";
import { CloudWatchProvider } from "../../cutover/cloudwatch";
import { Journal } from "../../cutover/journal";
import {
  Applier,
  AppliedWeights,
  manualRollback,
  resumeCommand,
  runCutover,
} from "../../cutover/loop";
import { PrometheusProvider } from "../../cutover/prometheus";
import { MetricsProvider } from "../../cutover/provider";
import { formatEvent } from "../../cutover/report";
import { CutoverSettings, ProviderSettings, resolveCutover } from "../../cutover/settings";
import {
  CancelledError,
  OperationKind,
  Runner,
  RunnerEvent,
  RunRequest,
  RunResult,
} from "./runner";

/** The stack config key each step sets (persisted by `up` through `pulumi config set --path`). */
export const WEIGHT_KEY = "meshlift:cutover.istioWeight";

/** Sets a weight with a runner: `plan` (nothing applied) for a dry run, `up` otherwise. */
export class RunnerApplier implements Applier {
  constructor(
    private readonly runner: Runner,
    private readonly o: {
      readonly stack: string;
      readonly dryRun: boolean;
      /** --set overrides, applied at every step too. */
      readonly config?: Readonly<Record<string, string>>;
      /** Engine events of a real `up` (progress); a plan's are not forwarded. */
      readonly onEngineEvent?: (e: RunnerEvent) => void;
    },
  ) {}

  get description(): string {
    return this.o.dryRun ? "the offline plan (dry-run)" : "`up` through the Automation API";
  }

  async apply(weight: number, signal: AbortSignal): Promise<AppliedWeights> {
    const config: Record<string, string> = {};
    for (const [k, v] of Object.entries(this.o.config ?? {})) config[qualifyKey(k)] = v;
    config[WEIGHT_KEY] = String(weight);
    const r = await this.runner.run({
      stack: this.o.stack,
      kind: this.o.dryRun ? "plan" : "up",
      config,
      signal,
      onEvent: (e) => {
        if (!this.o.dryRun) this.o.onEngineEvent?.(e);
      },
    });
    const raw = this.o.dryRun ? r.summary.dnsWeights : r.outputs?.dnsWeights?.value;
    const w = (raw ?? {}) as { istio?: unknown; appmesh?: unknown };
    const num = (x: unknown) => (typeof x === "number" ? x : null);
    const changes = r.summary.changes as Record<string, number> | undefined;
    return {
      istio: num(w.istio),
      appmesh: num(w.appmesh),
      detail: this.o.dryRun
        ? `offline plan of ${String(r.summary.resources)} resources: Route 53 weights istio ${String(w.istio)} / appmesh ${String(w.appmesh)}`
        : `up: ${
            changes
              ? Object.entries(changes)
                  .map(([k, n]) => `${n} ${k}`)
                  .join(", ")
              : "done"
          }`,
    };
  }
}

/** The provider a run's settings name. `cloudWatchClient` lets tests hand in a client on a recorded transport. */
export function metricsProvider(p: ProviderSettings): MetricsProvider {
  switch (p.kind) {
    case "prometheus":
      return new PrometheusProvider({ url: p.url, timeoutMs: p.timeoutMs });
    case "cloudwatch":
      return new CloudWatchProvider({ region: p.region });
    default: {
      const never: never = p;
      throw new Error(`unknown provider ${JSON.stringify(never)}`);
    }
  }
}

export interface CutoverRunnerOptions {
  /** Runs `plan` for --dry-run steps. */
  readonly plan: Runner;
  /** Runs `up` for real steps. */
  readonly automation: Runner;
  readonly projectDir: string;
  /** Where the journal lives (the service's data directory + /cutover). */
  readonly journalDir: string;
  /** @default the provider the stack config names */
  readonly provider?: (p: ProviderSettings) => MetricsProvider;
}

/** Loads and checks a stack's cutover settings: the stack file, then `config`; throws ConfigError. */
export function cutoverSettings(
  projectDir: string,
  stack: string,
  config: Readonly<Record<string, string>>,
  dryRun: boolean,
): CutoverSettings {
  const flat = { ...readStackFile(projectDir, stack).config };
  for (const [k, v] of Object.entries(config)) flat[qualifyKey(k)] = v;
  return resolveCutover(parseConfig(stack, flat), { dryRun });
}

/**
 * Runs kind `cutover` for the service: each decision, weight change and the end become one event
 * `{cutoverEvent: ..., line}`. A cancel stops after the current step (an `up` in flight finishes).
 */
export class CutoverRunner implements Runner {
  constructor(private readonly o: CutoverRunnerOptions) {}

  unavailable(kind: OperationKind): Error | undefined {
    if (kind !== "cutover")
      return new Error(`the cutover runner only runs "cutover", not "${kind}"`);
    return undefined;
  }

  /** The runner a step needs, or the error that says why this machine cannot run it. */
  stepUnavailable(dryRun: boolean): Error | undefined {
    return dryRun ? this.o.plan.unavailable("plan") : this.o.automation.unavailable("up");
  }

  async run(req: RunRequest): Promise<RunResult> {
    const dryRun = req.dryRun === true;
    // The service hands over the stack it loaded and checked: nothing is read or parsed again.
    const settings = req.loaded
      ? resolveCutover(req.loaded.config, { dryRun })
      : cutoverSettings(this.o.projectDir, req.stack, req.config ?? {}, dryRun);
    const journal = new Journal(this.o.journalDir, req.stack);
    const runId = crypto.randomUUID();
    const release = dryRun ? () => undefined : journal.lock(runId);
    try {
      const result = await runCutover(settings, {
        applier: new RunnerApplier(dryRun ? this.o.plan : this.o.automation, {
          stack: req.stack,
          dryRun,
          config: req.config,
          onEngineEvent: req.onEvent,
        }),
        provider: (this.o.provider ?? metricsProvider)(settings.provider),
        journal,
        runId,
        stop: req.signal,
        // `line` is what `meshlift cutover run` prints for it, so the board reads the same text.
        onEvent: (e) => req.onEvent({ cutoverEvent: e, line: formatEvent(e) }),
      });
      const summary = {
        runId: result.runId,
        outcome: result.outcome,
        exitCode: result.exitCode,
        weight: result.weight,
        dryRun,
        decisions: result.decisions.length,
        message: result.message,
      };
      switch (result.outcome) {
        case "completed":
          return { summary };
        case "interrupted":
          throw new CancelledError(`cancelled: ${result.message}`);
        case "rolled-back":
        case "stopped":
        case "apply-failed":
          return {
            summary,
            failure: {
              error: result.message,
              guidance:
                result.outcome === "apply-failed" || result.weight === null
                  ? undefined
                  : `Resume with \`${resumeCommand(req.stack, dryRun)}\` (or submit {"kind":"cutover"} again) once the cause is fixed; it continues from cutover.istioWeight (${result.weight}). To go back further: ${manualRollback(req.stack, 0)}`,
            },
          };
        default: {
          const never: never = result.outcome;
          throw new Error(`unknown outcome ${String(never)}`);
        }
      }
    } finally {
      release();
    }
  }
}
