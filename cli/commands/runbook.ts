// `meshlift runbook`: prints the Markdown runbook of a stack's configured phase, from its offline plan.
import { Command } from "commander";
import { planConfig, runOfflinePlan } from "../../plan/offline";
import { renderRunbook } from "../../plan/runbook";
import { parseConfig } from "../../config/load";
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
      const set = parseSet(o.set);
      const config = parseConfig(o.stack, planConfig({ stack: o.stack, set }).config);
      const { document } = await runOfflinePlan({ stack: o.stack, set });
      process.stdout.write(`${renderRunbook({ stack: o.stack, config, plan: document })}\n`);
    });
}
