// The runners' shared contract: where the project is, and the error a cancelled run ends with.
import { strict as assert } from "node:assert";
import { PROJECT_DIR } from "../../../plan/offline";
import { DEFAULT_PROJECT_DIR } from "../../../automation/runners/runner";

describe("runners", () => {
  it("agree with the offline plan on where the project is", () => {
    assert.equal(DEFAULT_PROJECT_DIR, PROJECT_DIR);
  });
});
