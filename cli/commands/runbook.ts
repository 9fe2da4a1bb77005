// `meshlift runbook`: prints the Markdown runbook of a stack's configured phase, from its offline plan.
import { Command } from "commander";
import { loadStack } from "../../config/load";
import { PROJECT_DIR, runOfflinePlan } from "../../plan/offline";
import { renderRunbook } from "../../plan/runbook";
import { planPhase } from "../../phases/plan";
import { parseSet } from "./plan";

export function registerRunbook(program: Command): void {
  program
    .command("runbook")
    .description(
      "Print a Markdown runbook for the stack's configured phase: checks, how to advance, how to roll back",
    )
    .requiredOption("-s, --stack <stack>", "stack name (stacks/Pulumi.<stack>.yaml)")
    .option("--set <key=value...>", "override a config key (meshlift: is implied)", [])
    .action(async (o: { stack: string; set: string[] }) => {
      // Read and parsed once: the plan and the runbook work from the same loaded stack.
      const loaded = loadStack(o.stack, { projectDir: PROJECT_DIR, set: parseSet(o.set) });
      const { document } = await runOfflinePlan({ stack: o.stack, loaded });
      const phase = planPhase(loaded.config, {
        known: false,
        reason: "runbook: the offline plan knows no deployed state",
      });
      process.stdout.write(
        `${renderRunbook({ stack: o.stack, config: loaded.config, phase, plan: document })}\n`,
      );
    });
}
