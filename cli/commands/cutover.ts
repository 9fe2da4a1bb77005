// `meshlift cutover run|status`: step the Istio DNS weight judged by live metrics, and show where a stack's cutover stands.
import * as crypto from "node:crypto";
import { parseConfig } from "../../config/load";
import { readStackFile } from "../../config/stack-file";
import { pulumiCli } from "../../automation/prerequisites";
import { AutomationRunner } from "../../automation/runners/local";
import {
  cutoverSettings,
  metricsProvider,
  RunnerApplier,
} from "../../automation/runners/cutover-runner";
import { PlanRunner } from "../../automation/runners/plan";
import { Progress } from "../../automation/runners/progress";
import { DEFAULT_PROJECT_DIR, Runner } from "../../automation/runners/runner";
import { qualifyKey } from "../../config/stack-file";
import { defaultJournalDir, Journal, jsonSafe } from "../../cutover/journal";
import { runCutover } from "../../cutover/loop";
import { MetricsProvider } from "../../cutover/provider";
import { cutoverStatus, formatEvent, renderStatus } from "../../cutover/report";
import { ProviderSettings } from "../../cutover/settings";
import { isPhase, Phase } from "../../phases/phases";
import { CliError } from "../errors";
import { parseSet } from "./plan";

/** What the cutover commands need from the outside world; tests pass their own. */
export interface CutoverDeps {
  readonly projectDir?: string;
  /** @default $MESHLIFT_HOME/cutover, else ~/.meshlift/cutover */
  readonly journalDir?: string;
  /** Runs the offline plan for --dry-run steps (created on first use: it loads the program). */
  readonly planRunner: () => Runner;
  /** Runs `up` for real steps. */
  readonly automation: Runner;
  /** The phase the stack last deployed, when known. */
  readonly deployedPhase: (stack: string) => Promise<Phase | undefined>;
  readonly provider?: (p: ProviderSettings) => MetricsProvider;
  /** Decisions (stdout). */
  readonly out: (text: string) => void;
  /** Progress and the closing message (stderr). */
  readonly err: (text: string) => void;
  /** Graceful and immediate stop; the command wires Ctrl-C to them when absent. */
  readonly signals?: { readonly stop: AbortSignal; readonly force: AbortSignal };
}

export interface CutoverRunOptions {
  readonly stack: string;
  readonly dryRun: boolean;
  readonly json: boolean;
  readonly set: Readonly<Record<string, string>>;
}

/** Runs the progressive cutover; returns the exit code (0 done, 3 rolled back, 4 stopped, 5 apply failed, 130 Ctrl-C). */
export async function cutoverRun(o: CutoverRunOptions, deps: CutoverDeps): Promise<number> {
  const projectDir = deps.projectDir ?? DEFAULT_PROJECT_DIR;
  const settings = cutoverSettings(projectDir, o.stack, o.set, o.dryRun);
  const runner = o.dryRun ? deps.planRunner() : deps.automation;
  if (!o.dryRun) {
    const missing = runner.unavailable("up");
    if (missing) {
      throw new CliError(
        `${missing.message}; \`meshlift cutover run --dry-run\` runs the same analysis without applying anything`,
      );
    }
    const deployed = await deps.deployedPhase(o.stack);
    if (deployed !== undefined && deployed !== "cutover") {
      throw new CliError(
        `stack "${o.stack}" is deployed at phase "${deployed}": a progressive cutover runs in phase cutover (meshlift phase advance --stack ${o.stack})`,
      );
    }
  }
  const journal = new Journal(deps.journalDir ?? defaultJournalDir(), o.stack);
  const runId = crypto.randomUUID();
  const release = o.dryRun ? () => undefined : journal.lock(runId);
  const progress = new Progress();
  const { stop, force, dispose } = deps.signals
    ? { ...deps.signals, dispose: () => undefined }
    : interruptSignals(deps.err);
  try {
    const result = await runCutover(settings, {
      applier: new RunnerApplier(runner, {
        stack: o.stack,
        dryRun: o.dryRun,
        config: o.set,
        onEngineEvent: (e) => {
          const line = progress.onEvent(e);
          if (line) deps.err(`  ${line}\n`);
        },
      }),
      provider: (deps.provider ?? metricsProvider)(settings.provider),
      journal,
      runId,
      stop,
      force,
      onEvent: (e) => {
        if (e.type === "decision") {
          deps.out(o.json ? `${JSON.stringify(e, jsonSafe)}\n` : `${formatEvent(e)}\n`);
        } else deps.err(`${formatEvent(e)}\n`);
      },
    });
    return result.exitCode;
  } finally {
    dispose();
    release();
  }
}

/** First Ctrl-C: stop after the current step, weight left where it is. Second: stop now. */
function interruptSignals(err: (t: string) => void): {
  stop: AbortSignal;
  force: AbortSignal;
  dispose: () => void;
} {
  const stop = new AbortController();
  const force = new AbortController();
  const onInt = () => {
    if (!stop.signal.aborted) {
      err(
        "\ninterrupt: stopping after the current step; the Istio weight stays where it is (Ctrl-C again to stop at once, cancelling an update in flight)\n",
      );
      stop.abort();
    } else {
      err("\nsecond interrupt: stopping now\n");
      force.abort();
    }
  };
  process.on("SIGINT", onInt);
  return {
    stop: stop.signal,
    force: force.signal,
    dispose: () => process.removeListener("SIGINT", onInt),
  };
}

export function cutoverStatusText(
  o: { stack: string; json: boolean },
  deps: Pick<CutoverDeps, "projectDir" | "journalDir">,
): string {
  const projectDir = deps.projectDir ?? DEFAULT_PROJECT_DIR;
  const config = parseConfig(o.stack, readStackFile(projectDir, o.stack).config);
  const journal = new Journal(deps.journalDir ?? defaultJournalDir(), o.stack);
  const status = cutoverStatus({
    stack: o.stack,
    configWeight: config.cutover.istioWeight,
    entries: journal.read(),
    runningRunId: journal.runningRun()?.runId,
    journal: journal.file,
  });
  return o.json ? JSON.stringify(status, jsonSafe, 2) : renderStatus(status);
}

/** The real dependencies: the Automation API runner, the in-process plan runner, stdout and stderr. */
export function defaultCutoverDeps(): CutoverDeps {
  const automation = new AutomationRunner();
  let plan: PlanRunner | undefined;
  return {
    planRunner: () => (plan ??= new PlanRunner()),
    automation,
    deployedPhase: async (stack) => {
      if (!pulumiCli().present) return undefined;
      const phase = (await automation.outputs(stack)).phase?.value;
      return isPhase(phase) ? phase : undefined;
    },
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
  };
}

/** `meshlift cutover run` from its flags: `--set` pairs parsed and qualified; sets the exit code. */
export async function runCutoverCommand(
  o: { stack: string; dryRun: boolean; json: boolean; set: string[] },
  deps: CutoverDeps = defaultCutoverDeps(),
): Promise<void> {
  const set = Object.fromEntries(
    Object.entries(parseSet(o.set)).map(([k, v]) => [qualifyKey(k), v]),
  );
  process.exitCode = await cutoverRun(
    { stack: o.stack, dryRun: o.dryRun, json: o.json, set },
    deps,
  );
}

/** `meshlift cutover status` from its flags. */
export function runCutoverStatus(
  o: { stack: string; json: boolean },
  deps: CutoverDeps = defaultCutoverDeps(),
): void {
  process.stdout.write(`${cutoverStatusText(o, deps)}\n`);
}
