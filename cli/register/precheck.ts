// Registers `meshlift precheck` (flags and help only); the work is in cli/commands/precheck.ts, loaded when it runs.
import { Command } from "commander";
import type { PrecheckFlags } from "../commands/precheck";
import { collect, stackTargetOption, targetOption } from "./options";

/** The command's work, loaded only when it runs (see cli/main.ts). */
const work = () => require("../commands/precheck") as typeof import("../commands/precheck");

export function registerPrecheck(program: Command): void {
  program
    .command("precheck")
    .description(
      "Report what App Mesh configuration cannot be carried over exactly, per target (exit 3 on blockers)",
    )
    .option(
      "-f, --filename <path>",
      "input file, directory or - for stdin (repeatable)",
      collect,
      [],
    )
    .option("--json", "print the findings as JSON instead of a table")
    .option("-n, --namespace <ns>", "namespace for objects whose input names none", "default")
    .addOption(
      targetOption(
        "the target to check: istio, gateway-api, ambient, or all (each in turn); default: the --stack's mode, else istio",
        true,
      ),
    )
    .addOption(stackTargetOption())
    .action((o: PrecheckFlags) => work().runPrecheck(o));
}
