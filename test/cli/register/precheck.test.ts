// `meshlift precheck` as registered: repeatable -f, the targets it accepts (all included), a bad one refused with exit 2.
import * as assert from "node:assert/strict";
import { registerPrecheck } from "../../../cli/register/precheck";
import { assertRefused, optionLines, parsedFlags, registeredCommand } from "../../support/cli";

describe("registerPrecheck", () => {
  it("registers precheck with repeatable -f, a default namespace and every target plus all", () => {
    assert.deepEqual(optionLines(registeredCommand(registerPrecheck, "precheck")), [
      "-f, --filename <path> default []",
      "--json",
      '-n, --namespace <ns> default "default"',
      "-t, --target <target> choices istio|gateway-api|ambient|all",
      "-s, --stack <stack>",
    ]);
  });

  it("collects each -f in order", () => {
    const flags = parsedFlags(registeredCommand(registerPrecheck, "precheck"), [
      "-f",
      "a.yaml",
      "-f",
      "dir/",
    ]);
    assert.deepEqual(flags.filename, ["a.yaml", "dir/"]);
  });

  it("refuses an unknown target with exit 2, naming the choices", async () => {
    await assertRefused(
      ["precheck", "-f", "x.yaml", "-t", "linkerd"],
      /argument 'linkerd' is invalid\. Allowed choices are istio, gateway-api, ambient, all/,
    );
  });
});
