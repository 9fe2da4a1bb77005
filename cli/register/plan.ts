// Registers `meshlift plan` (flags and help only); the work is in cli/commands/plan.ts, loaded when it runs.
import { Command, Option } from "commander";
import type { PlanFlags } from "../commands/plan";
import { PHASES } from "../../phases/phases";

/** The command's work, loaded only when it runs (see cli/main.ts). */
const work = () => require("../commands/plan") as typeof import("../commands/plan");

export function registerPlan(program: Command): void {
  program
    .command("plan")
    .description(
      "Show what a stack would create at a phase, offline (no AWS credentials, no Pulumi CLI)",
    )
    .requiredOption("-s, --stack <stack>", "stack name (stacks/Pulumi.<stack>.yaml)")
    .addOption(
      new Option("-p, --phase <phase>", "plan this phase instead of the configured one").choices(
        PHASES,
      ),
    )
    .option("--set <key=value...>", "override a config key (meshlift: is implied)", [])
    .option("--json <file>", "write the plan document as JSON")
    .option("--out <dir>", "write every Kubernetes object and Helm release as YAML")
    .addOption(
      new Option(
        "--diff-phase <phase>",
        "instead of the tree, show what moving to this phase would create, update, replace and delete",
      ).choices(PHASES),
    )
    .option("--policy", "also check the plan against the mesh policy pack (exit 3 on a violation)")
    .action((o: PlanFlags) => work().runPlan(o));
}
