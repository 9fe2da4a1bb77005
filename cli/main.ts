#!/usr/bin/env node
// The meshlift command line: parses argv, dispatches to cli/commands/*, maps errors to exit codes.
//
// Start-up cost is the user's first impression, so this file and cli/register/* import only
// commander and tiny constant modules. A command's work (cli/commands/<name>.ts, which may load
// the Pulumi SDK) is loaded by its action with `require(...)`, only when that command runs.
// test/cli/lazy-load.test.ts checks that `--help` of every command loads none of it.
import { Command, CommanderError } from "commander";
import { fsReason } from "../config/files";
import { EXIT } from "./exit";
import { registerPlan } from "./register/plan";
import { registerServe } from "./register/serve";
import { registerPhase } from "./register/phase";
import { registerDoctor } from "./register/doctor";
import { registerRunbook } from "./register/runbook";
import { registerConvert } from "./register/convert";
import { registerPrecheck } from "./register/precheck";
import { registerFleet } from "./register/fleet";
import { registerPolicy } from "./register/policy";
import { registerDiscover } from "./register/discover";
import { registerCutover } from "./register/cutover";
import { registerVerify } from "./register/verify";
import { registerCompletion } from "./register/completion";
import { versionText } from "./version";

export function buildCli(): Command {
  const program = new Command("meshlift")
    .description("Move an EKS platform from AWS App Mesh to Istio, one reversible phase at a time.")
    .version(
      versionText(),
      "-V, --version",
      "print the meshlift version and its pinned Istio, chart and Kubernetes versions",
    )
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
  registerCutover(program);
  registerVerify(program);
  registerCompletion(program);
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
    // The error classes it knows are loaded only now that there is an error to map.
    const { exitCodeFor } = require("./errors") as typeof import("./errors");
    const { code, message } = exitCodeFor(e);
    process.stderr.write(`meshlift: ${message}\n`);
    return code;
  }
}

/** Runs the CLI as a process: the `meshlift` bin (dist/cli/main.js), `npm run meshlift` and tsx. */
export function run(argv: readonly string[]): void {
  // A closed pipe (`| head`) ends the output on purpose; a full or broken stdout is the user's to fix.
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(EXIT.ok);
    process.stderr.write(`meshlift: cannot write to standard output: ${fsReason(e)}\n`);
    process.exit(EXIT.invalid);
  });
  main([...argv]).then(
    (code) => process.exit(code),
    (e) => {
      process.stderr.write(`meshlift: internal error: ${String(e)}\n`);
      process.exit(EXIT.internal);
    },
  );
}

if (require.main === module) run(process.argv.slice(2));
