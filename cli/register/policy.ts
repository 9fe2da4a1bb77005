// Registers `meshlift policy check|list` (flags and help only); the work is in cli/commands/policy.ts, loaded when it runs.
import { Command } from "commander";

/** The command's work, loaded only when it runs (see cli/main.ts). */
const work = () => require("../commands/policy") as typeof import("../commands/policy");

export function registerPolicy(program: Command): void {
  const policy = program
    .command("policy")
    .description("The mesh policy pack (also run by pulumi preview --policy-pack policy)");
  policy
    .command("check")
    .description(
      "Check a plan document (meshlift plan --json) against the mesh policies; exit 3 on a violation",
    )
    .argument("<plan.json>", "plan document written by meshlift plan --json")
    .action((file: string) => work().runPolicyCheck(file));
  policy
    .command("list")
    .description("List the mesh policies (all mandatory)")
    .action(() => work().runPolicyList());
}
