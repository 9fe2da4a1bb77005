// `meshlift runbook` as registered: its flags, and a missing stack or unknown flag refused before any work.
import * as assert from "node:assert/strict";
import { registerRunbook } from "../../../cli/register/runbook";
import { assertRefused, optionLines, registeredCommand } from "../../support/cli";

describe("registerRunbook", () => {
  it("registers runbook with a mandatory stack and repeatable --set", () => {
    assert.deepEqual(optionLines(registeredCommand(registerRunbook, "runbook")), [
      "-s, --stack <stack> mandatory",
      "--set <key=value...> default []",
    ]);
  });

  it("refuses a missing --stack and an unknown flag with exit 2", async () => {
    await assertRefused(["runbook"], /required option '-s, --stack <stack>' not specified/);
    await assertRefused(
      ["runbook", "--stack", "dev", "--phase", "cutover"],
      /unknown option '--phase'/,
    );
  });
});
