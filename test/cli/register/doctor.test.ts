// `meshlift doctor` as registered: one --json flag, and anything else refused before any check runs.
import * as assert from "node:assert/strict";
import { registerDoctor } from "../../../cli/register/doctor";
import { assertRefused, optionLines, registeredCommand } from "../../support/cli";

describe("registerDoctor", () => {
  it("registers doctor with --json only", () => {
    assert.deepEqual(optionLines(registeredCommand(registerDoctor, "doctor")), ["--json"]);
  });

  it("refuses an unknown flag and an argument with exit 2", async () => {
    await assertRefused(["doctor", "--fix"], /unknown option '--fix'/);
    await assertRefused(["doctor", "pulumi"], /too many arguments for 'doctor'/);
  });
});
