// `meshlift phase status|advance|rollback` at work: show the plan diff, confirm, set the phase and run `up` with live progress.
import * as readline from "node:readline/promises";
import { pulumiCli } from "../../automation/prerequisites";
import { AutomationRunner } from "../../automation/runners/local";
import { Progress } from "../../automation/runners/progress";
import { DEFAULT_PROJECT_DIR, Runner } from "../../automation/runners/runner";
import { atPhase, LoadedStack, loadStack } from "../../config/load";
import { DeployGuardError } from "../../phases/guards";
import { isPhase, Phase, previousPhase, StackPosition } from "../../phases/phases";
import { planPhase } from "../../phases/plan";
import { diffPlans, renderDiff } from "../../plan/diff";
import { runOfflinePlan } from "../../plan/offline";
import { CliError, EXIT } from "../errors";

/** What the phase commands need from the outside world; tests pass their own. */
export interface PhaseDeps {
  readonly runner: Runner;
  /** The phase the stack last deployed, or undefined when unknown (never deployed, no CLI). */
  readonly deployedPhase: (stack: string) => Promise<Phase | undefined>;
  readonly out: (text: string) => void;
  /** Whether a person can answer a question on stdin. */
  readonly interactive: boolean;
  readonly ask: (question: string) => Promise<string>;
  /** Rewrite one progress line in place (a terminal) instead of a line per step (a log). */
  readonly live?: boolean;
  readonly projectDir?: string;
}

export interface PhaseStatus extends StackPosition {
  readonly stack: string;
}

/** The stack file, read and parsed once for the whole command, and where the stack stands. */
async function standing(
  stack: string,
  deps: PhaseDeps,
): Promise<{ loaded: LoadedStack; status: PhaseStatus }> {
  const loaded = loadStack(stack, { projectDir: deps.projectDir ?? DEFAULT_PROJECT_DIR });
  const deployed = await deps.deployedPhase(stack);
  const plan = planPhase(
    loaded.config,
    deployed
      ? { known: true, outputs: { phase: deployed } }
      : { known: false, reason: "no deployed phase recorded" },
  );
  return { loaded, status: { stack, ...plan.position } };
}

export async function phaseStatus(stack: string, deps: PhaseDeps): Promise<PhaseStatus> {
  return (await standing(stack, deps)).status;
}

export function renderPhaseStatus(s: PhaseStatus, cliPresent: boolean): string {
  const deployed = s.deployed
    ? s.deployed
    : cliPresent
      ? "none recorded (never deployed, or deployed before phases were output)"
      : "unknown: the Pulumi CLI is not installed (`meshlift doctor`)";
  return [
    `Stack ${s.stack}`,
    `  configured phase: ${s.configured} (stacks/Pulumi.${s.stack}.yaml)`,
    `  deployed phase:   ${deployed}`,
    `  next step:        ${s.next ? `meshlift phase advance --stack ${s.stack}  (-> ${s.next})` : "none: this is the last phase"}`,
    `  rollback to:      ${s.rollbackTo.length ? s.rollbackTo.join(", ") : "none: this is the first phase"}`,
  ].join("\n");
}

export interface PhaseChangeOptions {
  readonly stack: string;
  readonly direction: "advance" | "rollback";
  /** For rollback: the phase to return to. @default the previous phase */
  readonly to?: Phase;
  readonly yes: boolean;
  readonly signal?: AbortSignal;
}

/** Diff, confirm, `up` with progress. Returns the phase reached. */
export async function changePhase(o: PhaseChangeOptions, deps: PhaseDeps): Promise<Phase> {
  const { loaded, status } = await standing(o.stack, deps);
  const from = status.current;
  let to: Phase;
  if (o.direction === "advance") {
    if (!status.next)
      throw new CliError(
        `stack "${o.stack}" is at "${from}", the last phase: nothing to advance to`,
      );
    to = status.next;
  } else {
    const back = o.to ?? previousPhase(from);
    if (back === undefined)
      throw new CliError(
        `stack "${o.stack}" is at "${from}", the first phase: nothing to roll back to`,
      );
    to = back;
    if (!status.rollbackTo.includes(to))
      throw new CliError(
        `--to "${to}": a rollback from "${from}" goes to an earlier phase (${status.rollbackTo.join(", ")})`,
      );
  }

  if (o.direction === "rollback") {
    // App Mesh is past its end of life: say whether pods go back to it; the program refuses if so.
    const target = planPhase(atPhase(loaded, to).config, { known: true, outputs: { phase: from } });
    if (target.refused instanceof DeployGuardError) throw new CliError(target.refused.message);
    deps.out(`Rollback ${from} -> ${to}: ${target.guard.appmeshRestart}\n`);
  }

  // Both plans start from the stack loaded above: nothing is read or parsed again.
  const fromPlan = (await runOfflinePlan({ stack: o.stack, loaded, phase: from })).document;
  const toPlan = (await runOfflinePlan({ stack: o.stack, loaded, phase: to, deployedPhase: from }))
    .document;
  deps.out(`${renderDiff(diffPlans(fromPlan, toPlan))}\n`);

  const missing = deps.runner.unavailable("up");
  if (missing) throw new CliError(`${missing.message} (\`meshlift doctor\`)`, EXIT.prerequisite);

  if (!o.yes) {
    if (!deps.interactive) {
      throw new CliError(
        `refusing to ${o.direction} stack "${o.stack}" (${from} -> ${to}) without confirmation: ` +
          "stdin is not a terminal; re-run with --yes to confirm",
      );
    }
    const answer = await deps.ask(
      `Move stack ${o.stack} from ${from} to ${to} and run \`up\`? [y/N] `,
    );
    if (!/^y(es)?$/i.test(answer.trim())) throw new CliError("not confirmed: nothing was changed");
  }

  deps.out(`Setting meshlift:phase=${to} and running up on stack ${o.stack}...\n`);
  const progress = new Progress(toPlan.resources.length);
  const result = await deps.runner.run({
    stack: o.stack,
    kind: "up",
    phase: to,
    currentPhase: from,
    signal: o.signal ?? new AbortController().signal,
    onEvent: (e) => {
      const line = progress.onEvent(e);
      if (!line) return;
      if (deps.live && line.startsWith("[")) deps.out(`\r\x1b[K${line}`);
      else deps.out(`${deps.live ? "\r\x1b[K" : ""}${line}\n`);
    },
  });
  if (deps.live) deps.out(`\r\x1b[K${progress.line()}\n`);
  const reached = result.outputs?.phase?.value;
  deps.out(`Stack ${o.stack} is now at phase ${isPhase(reached) ? reached : to}.\n`);
  return isPhase(reached) ? reached : to;
}

/** The real dependencies: the Automation API runner, stdout, a TTY question. */
export function defaultPhaseDeps(): PhaseDeps {
  const runner = new AutomationRunner();
  return {
    runner,
    deployedPhase: async (stack) => {
      if (!pulumiCli().present) return undefined;
      const phase = (await runner.outputs(stack)).phase?.value;
      return isPhase(phase) ? phase : undefined;
    },
    out: (t) => process.stdout.write(t),
    interactive: Boolean(process.stdin.isTTY),
    live: Boolean(process.stdout.isTTY),
    ask: async (q) => {
      const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
      try {
        return await rl.question(q);
      } finally {
        rl.close();
      }
    },
  };
}

export async function runPhaseStatus(o: { stack: string }, d: PhaseDeps = defaultPhaseDeps()) {
  d.out(`${renderPhaseStatus(await phaseStatus(o.stack, d), pulumiCli().present)}\n`);
}

/** `phase advance|rollback` from the command line: Ctrl-C cancels the update. */
export async function runPhaseChange(
  direction: "advance" | "rollback",
  o: { stack: string; yes: boolean; to?: Phase },
  deps: () => PhaseDeps = defaultPhaseDeps,
): Promise<void> {
  const controller = new AbortController();
  const onInt = () => {
    process.stderr.write("\ninterrupt: cancelling the update (Ctrl-C again to force)\n");
    controller.abort();
  };
  process.once("SIGINT", onInt);
  try {
    await changePhase({ ...o, direction, signal: controller.signal }, deps());
  } finally {
    process.removeListener("SIGINT", onInt);
  }
}
