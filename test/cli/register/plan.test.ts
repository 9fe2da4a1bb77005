// `meshlift plan` as registered: its flags, the phases it accepts, and a bad phase refused before any work.
import * as assert from "node:assert/strict";
import { registerPlan } from "../../../cli/register/plan";
import { assertRefused, optionLines, registeredCommand } from "../../support/cli";

const PHASES = "discovery|parallel|workloads|cutover|decommission";

describe("registerPlan", () => {
  it("registers plan with its flags, the stack mandatory and the phases as choices", () => {
    assert.deepEqual(optionLines(registeredCommand(registerPlan, "plan")), [
      "-s, --stack <stack> mandatory",
      `-p, --phase <phase> choices ${PHASES}`,
      "--set <key=value...> default []",
      "--json <file>",
      "--out <dir>",
      `--diff-phase <phase> choices ${PHASES}`,
      "--policy",
    ]);
  });

  it("refuses an unknown phase, an unknown --diff-phase and a missing --stack with exit 2", async () => {
    await assertRefused(
      ["plan", "--stack", "dev", "--phase", "later"],
      /--phase <phase>' argument 'later' is invalid/,
    );
    await assertRefused(
      ["plan", "--stack", "dev", "--diff-phase", "__proto__"],
      /--diff-phase <phase>' argument '__proto__' is invalid/,
    );
    await assertRefused(["plan"], /required option '-s, --stack <stack>' not specified/);
  });
});
