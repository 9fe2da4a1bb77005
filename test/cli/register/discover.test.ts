// `meshlift discover` as registered: its flags, repeatable -n and the request timeout's parser; refused values exit 2 before any API call.
import * as assert from "node:assert/strict";
import { registerDiscover } from "../../../cli/register/discover";
import { assertRefused, optionLines, parsedFlags, registeredCommand } from "../../support/cli";

describe("registerDiscover", () => {
  it("registers discover with its flags, -n repeatable and a 30-second request timeout", () => {
    assert.deepEqual(optionLines(registeredCommand(registerDiscover, "discover")), [
      "--out <dir>",
      "--kubeconfig <file>",
      "--context <name>",
      "-n, --namespace <ns> default []",
      "--request-timeout <seconds> default 30",
      "--print-cluster-role",
    ]);
  });

  it("collects each -n and parses the timeout as a number", () => {
    const flags = parsedFlags(registeredCommand(registerDiscover, "discover"), [
      "-n",
      "shop",
      "-n",
      "pay",
      "--request-timeout",
      "90",
    ]);
    assert.deepEqual(flags.namespace, ["shop", "pay"]);
    assert.equal(flags.requestTimeout, 90);
  });

  it("refuses a timeout out of range with exit 2, saying what is allowed", async () => {
    for (const t of ["0", "3601", "abc"])
      await assertRefused(
        ["discover", "--request-timeout", t],
        /--request-timeout <seconds>' argument '.*' is invalid\. expected seconds between 0 and 3600/,
      );
  });
});
