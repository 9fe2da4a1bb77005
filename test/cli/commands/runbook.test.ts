// `meshlift runbook` in-process: the stack file and its exports are read and parsed once for the whole command.
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { PROJECT_DIR } from "../../../plan/offline";
import { countReads } from "../../support/reads";
import { cli } from "../../support/cli";

describe("meshlift runbook", () => {
  it("reads and parses the stack file and each export once", async () => {
    const stackFile = path.join(PROJECT_DIR, "stacks/Pulumi.dev.yaml");
    const shop = path.join(PROJECT_DIR, "stacks/appmesh-exports/dev/shop.yaml");
    let r: Awaited<ReturnType<typeof cli>> | undefined;
    const reads = await countReads([stackFile, shop], async () => {
      r = await cli("runbook", "--stack", "dev");
    });
    assert.equal(r?.code, 0, r?.err);
    assert.match(r?.out ?? "", /^# meshlift runbook: stack `dev`, phase `discovery`/);
    assert.deepEqual(reads, { [stackFile]: 1, [shop]: 1 });
  });
});
