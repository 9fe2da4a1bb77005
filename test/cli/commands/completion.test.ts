// `meshlift completion bash|zsh|fish`: scripts generated from the registered commands, tried in a real bash; hostile shells and arguments.
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { commandSpecs, completionScript, runListStacks } from "../../../cli/commands/completion";
import { buildCli } from "../../../cli/main";
import { listStacks } from "../../../config/stack-file";
import { PHASES } from "../../../phases/phases";
import { PROJECT_ROOT } from "../../../config/project";
import { cli } from "../../support/cli";

const bashPresent = spawnSync("bash", ["--version"]).status === 0;

describe("meshlift completion", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "meshlift-completion-"));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  // A `meshlift` on PATH for the scripts' stack lookup: the sources through tsx, as in a checkout.
  const binDir = path.join(tmp, "bin");
  fs.mkdirSync(binDir);
  fs.writeFileSync(
    path.join(binDir, "meshlift"),
    `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(require.resolve("tsx/cli"))} ${JSON.stringify(path.join(PROJECT_ROOT, "cli/main.ts"))} "$@"\n`,
    { mode: 0o755 },
  );

  /** What the bash script offers for the command line `line` (the cursor at its end). */
  function complete(script: string, line: string): string[] {
    const file = path.join(tmp, "meshlift.bash");
    fs.writeFileSync(file, script);
    const words = line.split(" ");
    const probe = `source ${JSON.stringify(file)}
COMP_WORDS=(${words.map((w) => JSON.stringify(w)).join(" ")})
COMP_CWORD=${words.length - 1}
_meshlift
printf '%s\\n' "\${COMPREPLY[@]}"`;
    const r = spawnSync("bash", ["--norc", "--noprofile", "-c", probe], {
      cwd: tmp,
      encoding: "utf8",
      timeout: 60_000,
      env: { ...process.env, PATH: `${binDir}${path.delimiter}${process.env.PATH ?? ""}` },
    });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.split("\n").filter(Boolean).sort();
  }

  it("prints a bash script that completes commands, subcommands, flags, choices, stacks and files", async function () {
    if (!bashPresent) {
      console.log("      (bash not installed: skipping the bash run)");
      this.skip();
    }
    const r = await cli("completion", "bash");
    assert.equal(r.code, 0, r.err);
    const script = r.out;
    assert.deepEqual(complete(script, "meshlift p"), ["phase", "plan", "policy", "precheck"]);
    assert.deepEqual(complete(script, "meshlift phase "), ["advance", "rollback", "status"]);
    assert.deepEqual(complete(script, "meshlift plan --di"), ["--diff-phase"]);
    assert.deepEqual(complete(script, "meshlift plan --phase "), [...PHASES].sort());
    assert.deepEqual(
      complete(script, "meshlift phase rollback --stack dev --to "),
      [...PHASES].sort(),
    );
    // Stack names are read when completing, from stacks/.
    assert.deepEqual(complete(script, "meshlift plan -s "), listStacks(PROJECT_ROOT));
    assert.deepEqual(complete(script, "meshlift runbook --stack prod-u"), [
      "prod-use1",
      "prod-usw2",
    ]);
    fs.writeFileSync(path.join(tmp, "mesh-export.yaml"), "");
    assert.deepEqual(complete(script, "meshlift convert -f mesh-"), ["mesh-export.yaml"]);
    assert.deepEqual(complete(script, "meshlift completion "), []);
    assert.ok(complete(script, "meshlift --").includes("--version"));
    // A flag without a value: the next word is a flag or nothing, never a value list.
    // (the flags as precheck registers them, so a flag added there needs no edit here)
    const precheck = buildCli().commands.find((c) => c.name() === "precheck");
    assert.ok(precheck, "precheck is registered");
    const precheckFlags = precheck.options.flatMap((o) => (o.long ? [o.long] : []));
    assert.ok(precheckFlags.includes("--filename") && precheckFlags.includes("--json"));
    assert.deepEqual(
      complete(script, "meshlift precheck --json --"),
      [...precheckFlags, "--help"].sort(),
    );
  });

  it("covers every registered command and flag, so new commands complete without editing it", () => {
    const program = buildCli();
    const specs = commandSpecs(program);
    const bash = completionScript("bash", program);
    const fish = completionScript("fish", program);
    for (const s of specs) {
      assert.ok(bash.includes(`"${s.path.join(" ")}")`), `bash misses ${s.path.join(" ")}`);
      for (const f of s.flags) {
        if (f.long)
          assert.ok(bash.includes(f.long) && fish.includes(`-l ${f.long.slice(2)}`), f.long);
      }
    }
    assert.ok(!bash.includes('__stacks"'), "the hidden stack lister is not offered as a command");
  });

  it("prints a zsh script (through bashcompinit) and a fish script", async () => {
    const zsh = await cli("completion", "zsh");
    assert.equal(zsh.code, 0, zsh.err);
    assert.match(zsh.out, /^#compdef meshlift\n/);
    assert.match(zsh.out, /bashcompinit/);
    assert.match(zsh.out, /complete -F _meshlift meshlift/);
    const fish = await cli("completion", "fish");
    assert.equal(fish.code, 0, fish.err);
    assert.match(fish.out, /complete -c meshlift -n '__fish_use_subcommand' -a plan -d /);
    assert.match(fish.out, /-l stack -s s -x -a '\(command meshlift __stacks 2>\/dev\/null\)'/);
    for (const shell of ["zsh", "fish"]) {
      const r = spawnSync(shell, ["-n"], { input: shell === "zsh" ? zsh.out : fish.out });
      if (r.error)
        console.log(`      (${shell} not installed: its script's syntax is not checked here)`);
      else assert.equal(r.status, 0, `${shell} -n: ${String(r.stderr)}`);
    }
  });

  it("lists the stacks one a line for the scripts (__stacks), and nothing where there are none", async () => {
    const r = await cli("__stacks");
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(r.out.split("\n").filter(Boolean), listStacks(PROJECT_ROOT));
    let out = "";
    const w = process.stdout.write.bind(process.stdout);
    process.stdout.write = (s: string) => ((out += s), true);
    try {
      runListStacks(tmp);
    } finally {
      process.stdout.write = w;
    }
    assert.equal(out, "");
  });
});
