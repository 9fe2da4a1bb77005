// `meshlift verify` as registered: its flags and the request timeout's parser, refused values exit 2 before any API call.
import * as assert from "node:assert/strict";
import { registerVerify } from "../../../cli/register/verify";
import { assertRefused, optionLines, parsedFlags, registeredCommand } from "../../support/cli";

describe("registerVerify", () => {
  it("registers verify with a mandatory stack and a 30-second request timeout", () => {
    const verify = registeredCommand(registerVerify, "verify");
    assert.deepEqual(optionLines(verify), [
      "-s, --stack <stack> mandatory",
      "--phase <phase>",
      "--kubeconfig <file>",
      "--context <name>",
      "--request-timeout <seconds> default 30",
      "--json",
    ]);
  });

  it("parses --request-timeout as seconds above 0 and up to 3600", () => {
    const flags = parsedFlags(registeredCommand(registerVerify, "verify"), [
      "--stack",
      "dev",
      "--request-timeout",
      "2.5",
    ]);
    assert.equal(flags.requestTimeout, 2.5);
  });

  it("refuses timeouts that are not seconds in range with exit 2, saying what is allowed", async () => {
    for (const t of ["0", "-1", "3601", "1e3", "30s", "NaN", " 5", "٣"])
      await assertRefused(
        ["verify", "--stack", "dev", "--request-timeout", t],
        /--request-timeout <seconds>' argument '.*' is invalid\. expected seconds between 0 and 3600, e\.g\. 30/,
      );
    await assertRefused(["verify"], /required option '-s, --stack <stack>' not specified/);
  });
});
