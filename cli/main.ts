// The meshlift command line: parses argv, dispatches to cli/commands/*, maps errors to exit codes.
import { Command, CommanderError } from "commander";
import { fsReason } from "../config/files";
import { EXIT, exitCodeFor } from "./errors";
import { registerPlan } from "./commands/plan";
import { registerServe } from "./commands/serve";
import { registerPhase } from "./commands/phase";
import { registerDoctor } from "./commands/doctor";
import { registerRunbook } from "./commands/runbook";
import { registerConvert } from "./commands/convert";
import { registerPrecheck } from "./commands/precheck";
import { registerFleet } from "./commands/fleet";
import { registerPolicy } from "./commands/policy";
import { registerDiscover } from "./commands/discover";

export function buildCli(): Command {
  const program = new Command("meshlift")
    .description("Move an EKS platform from AWS App Mesh to Istio, one reversible phase at a time.")
    .showHelpAfterError()
    .exitOverride();
  registerPlan(program);
  registerServe(program);
  registerPhase(program);
  registerDoctor(program);
  registerRunbook(program);
  registerConvert(program);
  registerPrecheck(program);
  registerFleet(program);
  registerPolicy(program);
  registerDiscover(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildCli().parseAsync(argv, { from: "user" });
    return process.exitCode === undefined ? EXIT.ok : Number(process.exitCode);
  } catch (e) {
    if (e instanceof CommanderError) {
      // Commander already printed the usage message; help and version are not errors.
      return e.exitCode === 0 ? EXIT.ok : EXIT.invalid;
    }
    const { code, message } = exitCodeFor(e);
    process.stderr.write(`meshlift: ${message}\n`);
    return code;
  }
}

if (require.main === module) {
  // A closed pipe (`| head`) ends the output on purpose; a full or broken stdout is the user's to fix.
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(EXIT.ok);
    process.stderr.write(`meshlift: cannot write to standard output: ${fsReason(e)}\n`);
    process.exit(EXIT.invalid);
  });
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      process.stderr.write(`meshlift: internal error: ${String(e)}\n`);
      process.exit(EXIT.internal);
    },
  );
}
