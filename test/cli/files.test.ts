// File errors of the CLI's flags: a FileError becomes one line naming the flag; anything else passes through.
import * as assert from "node:assert/strict";
import { FileError } from "../../config/files";
import { CliError } from "../../cli/errors";
import { forFlag } from "../../cli/files";

describe("forFlag", () => {
  it("returns what the function returns", () => {
    assert.equal(
      forFlag("--report", () => 42),
      42,
    );
  });

  it("turns a FileError into a CliError (exit 2) that starts with the flag", () => {
    assert.throws(
      () =>
        forFlag("--report", () => {
          throw new FileError("out/r.json", "no such file or directory (ENOENT)", "ENOENT");
        }),
      (e: unknown) =>
        e instanceof CliError &&
        e.exitCode === 2 &&
        e.message === "--report out/r.json: no such file or directory (ENOENT)",
    );
  });

  it("lets other errors through unchanged", () => {
    const bug = new TypeError("x is undefined");
    assert.throws(
      () =>
        forFlag("--json", () => {
          throw bug;
        }),
      (e: unknown) => e === bug,
    );
  });
});
