// Registers `meshlift convert` (flags and help only); the work is in cli/commands/convert.ts, loaded when it runs.
import { Command } from "commander";
import type { ConvertFlags } from "../commands/convert";
import { collect, stackTargetOption, targetOption } from "./options";

/** The command's work, loaded only when it runs (see cli/main.ts). */
const work = () => require("../commands/convert") as typeof import("../commands/convert");

export function registerConvert(program: Command): void {
  program
    .command("convert")
    .description(
      "Convert App Mesh configuration (k8s CRDs, AWS API JSON, CloudFormation) to Istio or Gateway API YAML",
    )
    .option(
      "-f, --filename <path>",
      "input file, directory or - for stdin (repeatable)",
      collect,
      [],
    )
    .option(
      "-o, --output <dir|->",
      "write YAML to this directory (one file per namespace) or - for stdout",
      "-",
    )
    .option("--report <file.json>", "write the findings (what could not be carried over) as JSON")
    .option("-n, --namespace <ns>", "namespace for objects whose input names none", "default")
    .addOption(
      targetOption(
        "what to emit: istio (sidecar-mode Istio APIs), gateway-api (Gateway API routes, sidecar mode) or ambient (Gateway API routes in waypoints); default: the --stack's mode, else istio",
      ),
    )
    .addOption(stackTargetOption())
    .action((o: ConvertFlags) => work().runConvert(o));
}
