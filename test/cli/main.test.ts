// The command line's wiring: every command registered once, help and version exit 0, usage errors exit 2, a thrown error becomes one line.
import * as assert from "node:assert/strict";
import { buildCli } from "../../cli/main";
import { versionText } from "../../cli/version";
import { cli } from "../support/cli";

describe("cli/main", () => {
  it("registers each command once, the hidden stack lister included", () => {
    const names = buildCli().commands.map((c) => c.name());
    assert.deepEqual(names, [
      "plan",
      "serve",
      "phase",
      "doctor",
      "runbook",
      "convert",
      "precheck",
      "fleet",
      "policy",
      "discover",
      "cutover",
      "verify",
      "completion",
      "__stacks",
    ]);
  });

  it("answers --help and --version with exit 0", async () => {
    const help = await cli("--help");
    assert.equal(help.code, 0, help.err);
    assert.match(help.out, /^Usage: meshlift \[options\] \[command\]/);
    const version = await cli("-V");
    assert.equal(version.code, 0);
    assert.equal(version.out, `${versionText()}\n`);
  });

  it("exits 2 on a usage error, after commander's message", async () => {
    const r = await cli("plna", "--stack", "dev");
    assert.equal(r.code, 2);
    assert.equal(r.out, "");
    assert.match(r.err, /^error: unknown command 'plna'/);
  });

  it("prints a command's user error as one meshlift: line and exits with its code", async () => {
    const r = await cli("runbook", "--stack", "no-such-stack");
    assert.equal(r.code, 2);
    assert.equal(r.out, "");
    assert.match(
      r.err,
      /^meshlift: unknown stack "no-such-stack": no stacks\/Pulumi\.no-such-stack\.yaml \(stacks: [^\n]*\bdev\b[^\n]*\)\n$/,
    );
  });
});
