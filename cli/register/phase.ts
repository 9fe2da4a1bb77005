// Registers `meshlift phase status|advance|rollback` (flags and help only); the work is in cli/commands/phase.ts, loaded when it runs.
import { Command, Option } from "commander";
import { Phase, PHASES } from "../../phases/phases";

/** The command's work, loaded only when it runs (see cli/main.ts). */
const work = () => require("../commands/phase") as typeof import("../commands/phase");

export function registerPhase(program: Command): void {
  const phase = program
    .command("phase")
    .description("Show a stack's phase, or move it one step with `up` through the Automation API");
  phase
    .command("status")
    .description("configured and deployed phase, next step, rollback targets")
    .requiredOption("-s, --stack <stack>", "stack name")
    .action((o: { stack: string }) => work().runPhaseStatus(o));
  for (const direction of ["advance", "rollback"] as const) {
    const cmd = phase
      .command(direction)
      .description(
        direction === "advance"
          ? "move to the next phase: plan diff, confirmation, then `up` with live progress"
          : "move back to an earlier phase: plan diff, confirmation, then `up` with live progress",
      )
      .requiredOption("-s, --stack <stack>", "stack name")
      .option("-y, --yes", "do not ask for confirmation", false);
    if (direction === "rollback")
      cmd.addOption(
        new Option("--to <phase>", "phase to return to (default: the previous one)").choices(
          PHASES,
        ),
      );
    cmd.action((o: { stack: string; yes: boolean; to?: Phase }) =>
      work().runPhaseChange(direction, o),
    );
  }
}
