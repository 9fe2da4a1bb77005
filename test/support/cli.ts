// Runs the meshlift CLI in-process, capturing stdout and stderr and resetting process.exitCode; reads what a command registers.
import * as assert from "node:assert/strict";
import { Command } from "commander";
import { main } from "../../cli/main";

export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

export async function cli(...argv: string[]): Promise<CliRun> {
  let out = "";
  let err = "";
  const w1 = process.stdout.write.bind(process.stdout);
  const w2 = process.stderr.write.bind(process.stderr);
  process.stdout.write = (s: string) => ((out += s), true);
  process.stderr.write = (s: string) => ((err += s), true);
  try {
    const code = await main(argv);
    return { code, out, err };
  } finally {
    process.stdout.write = w1;
    process.stderr.write = w2;
    process.exitCode = undefined;
  }
}

/** The command at `path` (e.g. `fleet render`) that `register` adds to an empty program, built on its own. */
export function registeredCommand(
  register: (program: Command) => void,
  ...path: string[]
): Command {
  const program = new Command("meshlift");
  register(program);
  let at = program;
  for (const name of path) {
    const next = at.commands.find((c) => c.name() === name);
    if (!next)
      throw new Error(
        `no command ${path.join(" ")}; have: ${at.commands.map((c) => c.name()).join(", ")}`,
      );
    at = next;
  }
  return at;
}

/** A command's options as one line each: flags, then "mandatory", the choices and the default when set. */
export function optionLines(command: Command): string[] {
  return command.options.map((o) =>
    [
      o.flags,
      o.mandatory ? "mandatory" : "",
      o.argChoices ? `choices ${o.argChoices.join("|")}` : "",
      o.defaultValue !== undefined ? `default ${JSON.stringify(o.defaultValue)}` : "",
    ]
      .filter(Boolean)
      .join(" "),
  );
}

/** Runs argv through the CLI and asserts it is refused before any work: exit 2, one error line matching `re`, nothing on stdout, no trace. */
export async function assertRefused(argv: readonly string[], re: RegExp): Promise<CliRun> {
  const r = await cli(...argv);
  assert.equal(r.code, 2, `${argv.join(" ")}: ${r.err}`);
  assert.equal(r.out, "", "nothing on stdout");
  const errors = r.err.split("\n").filter((l) => /^(error|meshlift): /.test(l));
  assert.equal(errors.length, 1, r.err);
  assert.match(errors[0], re);
  assert.doesNotMatch(r.err, /\n\s+at .+:\d+:\d+/, "no stack trace");
  return r;
}

/** The options `argv` gives `command` (from `registeredCommand`), parsed without running its work. */
export function parsedFlags(command: Command, argv: readonly string[]): Record<string, unknown> {
  command.exitOverride().action(() => undefined);
  command.parse([...argv], { from: "user" });
  return command.opts();
}
