// Registers `meshlift runbook` (flags and help only); the work is in cli/commands/runbook.ts, loaded when it runs.
import { Command } from "commander";
import type { RunbookFlags } from "../commands/runbook";

/** The command's work, loaded only when it runs (see cli/main.ts). */
const work = () => require("../commands/runbook") as typeof import("../commands/runbook");

export function registerRunbook(program: Command): void {
  program
    .command("runbook")
    .description(
      "Print a Markdown runbook for the stack's configured phase: checks, how to advance, how to roll back",
    )
    .requiredOption("-s, --stack <stack>", "stack name (stacks/Pulumi.<stack>.yaml)")
    .option("--set <key=value...>", "override a config key (meshlift: is implied)", [])
    .action((o: RunbookFlags) => work().runRunbook(o));
}
