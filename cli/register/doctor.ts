// Registers `meshlift doctor` (flags and help only); the work is in cli/commands/doctor.ts, loaded when it runs.
import { Command } from "commander";

/** The command's work, loaded only when it runs (see cli/main.ts). */
const work = () => require("../commands/doctor") as typeof import("../commands/doctor");

export function registerDoctor(program: Command): void {
  program
    .command("doctor")
    .description(
      "List the prerequisites (Pulumi CLI, AWS credentials, kubectl) and which are present",
    )
    .option("--json", "print the list as JSON")
    .action((o: { json?: boolean }) => work().runDoctor(o));
}
