// The exit codes and the user error type every command can throw cheaply.
import * as assert from "node:assert/strict";
import { CliError, EXIT } from "../../cli/exit";

describe("cli/exit", () => {
  it("numbers the exit codes the README documents", () => {
    assert.deepEqual(EXIT, { ok: 0, internal: 1, invalid: 2, blocked: 3, prerequisite: 4 });
  });

  it("makes a CliError invalid input unless told otherwise", () => {
    const e = new CliError("--stack: unknown stack");
    assert.ok(e instanceof Error);
    assert.equal(e.name, "CliError");
    assert.equal(e.message, "--stack: unknown stack");
    assert.equal(e.exitCode, EXIT.invalid);
    assert.equal(new CliError("no pulumi", EXIT.prerequisite).exitCode, 4);
  });
});
