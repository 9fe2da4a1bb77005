// `meshlift cutover run|status` as registered: their flags and defaults; a missing stack or unknown flag refused with exit 2.
import * as assert from "node:assert/strict";
import { registerCutover } from "../../../cli/register/cutover";
import { assertRefused, optionLines, registeredCommand } from "../../support/cli";

describe("registerCutover", () => {
  it("registers cutover run with a mandatory stack, dry run and JSON off, and repeatable --set", () => {
    assert.deepEqual(optionLines(registeredCommand(registerCutover, "cutover", "run")), [
      "-s, --stack <stack> mandatory",
      "--dry-run default false",
      "--json default false",
      "--set <key=value...> default []",
    ]);
  });

  it("registers cutover status with a mandatory stack and --json", () => {
    assert.deepEqual(optionLines(registeredCommand(registerCutover, "cutover", "status")), [
      "-s, --stack <stack> mandatory",
      "--json default false",
    ]);
  });

  it("refuses a missing --stack, an unknown flag and an unknown subcommand with exit 2", async () => {
    await assertRefused(["cutover", "run"], /required option '-s, --stack <stack>' not specified/);
    await assertRefused(
      ["cutover", "status", "-s", "dev", "--dry-run"],
      /unknown option '--dry-run'/,
    );
    await assertRefused(["cutover", "go", "-s", "dev"], /unknown command 'go'/);
  });
});
