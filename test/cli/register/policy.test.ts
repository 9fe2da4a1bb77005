// `meshlift policy check|list` as registered: check takes one plan file, list none; other arguments exit 2.
import * as assert from "node:assert/strict";
import { registerPolicy } from "../../../cli/register/policy";
import { assertRefused, registeredCommand } from "../../support/cli";

describe("registerPolicy", () => {
  it("registers policy check with one required plan file and policy list with none", () => {
    const check = registeredCommand(registerPolicy, "policy", "check");
    assert.deepEqual(
      check.registeredArguments.map((a) => [a.name(), a.required]),
      [["plan.json", true]],
    );
    assert.deepEqual(check.options, []);
    const list = registeredCommand(registerPolicy, "policy", "list");
    assert.deepEqual(list.registeredArguments, []);
  });

  it("refuses check without a file, with two, and list with an argument, exit 2", async () => {
    await assertRefused(["policy", "check"], /missing required argument 'plan\.json'/);
    await assertRefused(["policy", "check", "a.json", "b.json"], /too many arguments for 'check'/);
    await assertRefused(["policy", "list", "x"], /too many arguments for 'list'/);
  });
});
