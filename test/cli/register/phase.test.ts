// `meshlift phase status|advance|rollback` as registered: their flags, rollback's --to choices; bad values refused with exit 2.
import * as assert from "node:assert/strict";
import { registerPhase } from "../../../cli/register/phase";
import { assertRefused, optionLines, registeredCommand } from "../../support/cli";

describe("registerPhase", () => {
  it("registers status with a mandatory stack, advance with --yes, rollback with --yes and --to a phase", () => {
    assert.deepEqual(optionLines(registeredCommand(registerPhase, "phase", "status")), [
      "-s, --stack <stack> mandatory",
    ]);
    assert.deepEqual(optionLines(registeredCommand(registerPhase, "phase", "advance")), [
      "-s, --stack <stack> mandatory",
      "-y, --yes default false",
    ]);
    assert.deepEqual(optionLines(registeredCommand(registerPhase, "phase", "rollback")), [
      "-s, --stack <stack> mandatory",
      "-y, --yes default false",
      "--to <phase> choices discovery|parallel|workloads|cutover|decommission",
    ]);
  });

  it("refuses an unknown --to, --to on advance and a missing --stack with exit 2", async () => {
    await assertRefused(
      ["phase", "rollback", "-s", "dev", "--to", "appmesh"],
      /--to <phase>' argument 'appmesh' is invalid\. Allowed choices are discovery, parallel/,
    );
    await assertRefused(
      ["phase", "advance", "-s", "dev", "--to", "parallel"],
      /unknown option '--to'/,
    );
    await assertRefused(["phase", "status"], /required option '-s, --stack <stack>' not specified/);
  });
});
