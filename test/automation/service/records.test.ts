// Tests the operation record helpers: which statuses are final, and what to do after an interruption.
import * as assert from "node:assert/strict";
import {
  cancelGuidance,
  failureGuidance,
  interruptedGuidance,
  isTerminal,
  OPERATION_STATUSES,
  OperationRecord,
  redactOutputs,
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

  it("asks for a refresh after a cancelled or failed change, and for a fix after a failed plan", () => {
    const op = (kind: OperationRecord["kind"]) => ({ kind, stack: "dev" }) as OperationRecord;
    assert.equal(cancelGuidance(op("preview")), undefined);
    assert.match(cancelGuidance(op("up")) ?? "", /refresh --stack dev`\) before the next up/);
    assert.match(failureGuidance(op("plan")) ?? "", /Fix the config or phase/);
    assert.match(failureGuidance(op("destroy")) ?? "", /pulumi cancel --stack dev/);
  });

  it("replaces secret outputs and serialized secrets at any depth before anything is stored", () => {
    const sig = "4dabf18193072939515e22adb298388d";
    const shown = redactOutputs({
      kubeconfig: { value: "apiVersion: v1 token: abc", secret: true },
      access: {
        value: { peers: [{ token: { [sig]: "1b47061264138c4ac30d75fd1eb44270", value: "t" } }] },
        secret: false,
      },
      phase: { value: "parallel", secret: false },
    });
    assert.deepEqual(shown, {
      kubeconfig: "[secret]",
      access: { peers: [{ token: "[secret]" }] },
      phase: "parallel",
    });
  });
});
