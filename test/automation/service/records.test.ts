// Tests the operation record helpers: which statuses are final, and what to do after an interruption.
import * as assert from "node:assert/strict";
import {
  interruptedGuidance,
  isTerminal,
  OPERATION_STATUSES,
} from "../../../automation/service/records";

describe("operation records", () => {
  it("treats only queued and running as unfinished", () => {
    assert.deepEqual(
      OPERATION_STATUSES.filter((s) => !isTerminal(s)),
      ["queued", "running"],
    );
  });

  it("tells a queued operation it changed nothing, and why one with secrets was not resumed", () => {
    const q = { stack: "dev", kind: "up" as const, status: "queued" as const };
    assert.match(interruptedGuidance(q), /never started and changed nothing; submit it again/);
    assert.match(
      interruptedGuidance({ ...q, configRedacted: true }),
      /secret values, which are never stored, so it was not resumed/,
    );
  });

  it("sends an interrupted up to cancel and refresh on its own stack, and a plan or preview to resubmit", () => {
    const up = interruptedGuidance({ stack: "prod-use1", kind: "up", status: "running" });
    assert.match(up, /pulumi cancel --stack prod-use1/);
    assert.match(up, /pulumi refresh --stack prod-use1/);
    assert.match(
      interruptedGuidance({ stack: "dev", kind: "plan", status: "running" }),
      /changes nothing/,
    );
    assert.match(
      interruptedGuidance({ stack: "dev", kind: "preview", status: "running" }),
      /changes no resources/,
    );
  });
});
