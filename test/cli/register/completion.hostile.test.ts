// Hostile input to `meshlift completion` and `--version`: unknown, odd and injected shell names, extra arguments; one clear error, exit 2.
import * as assert from "node:assert/strict";
import { cli } from "../../support/cli";

describe("meshlift completion (hostile input)", () => {
  for (const shell of [
    "tcsh",
    "BASH",
    "",
    "bash;rm -rf /",
    "$(id)",
    "__proto__",
    "constructor",
    "bash\u200b",
    "b".repeat(10_000),
  ]) {
    it(`refuses the shell ${JSON.stringify(shell.slice(0, 20))} with exit 2, naming the choices`, async () => {
      const r = await cli("completion", shell);
      assert.equal(r.code, 2, r.err);
      assert.equal(r.out, "", "no script printed");
      assert.match(r.err, /Allowed choices are bash, zsh, fish/);
      assert.doesNotMatch(r.err, /\n\s+at .+:\d+:\d+/, "no stack trace");
    });
  }

  it("refuses a missing shell and extra arguments with exit 2", async () => {
    const none = await cli("completion");
    assert.equal(none.code, 2);
    assert.match(none.err, /missing required argument 'shell'/);
    const extra = await cli("completion", "bash", "zsh");
    assert.equal(extra.code, 2);
    assert.match(extra.err, /too many arguments/);
    assert.equal(extra.out, "");
  });

  it("refuses unknown flags of completion and of --version", async () => {
    const r = await cli("completion", "bash", "--shell-path", "/bin/sh");
    assert.equal(r.code, 2);
    assert.match(r.err, /unknown option '--shell-path'/);
    // --version answers as soon as it is read (as git does): the rest of the line is not looked at.
    const v = await cli("--version", "--bogus");
    assert.equal(v.code, 0, v.err);
    assert.match(v.out, /^meshlift \d+\.\d+\.\d+\n/);
  });
});
