// Progress: resources done over the estimate, failures, and the current step, from engine events.
import { strict as assert } from "node:assert";
import { Progress } from "../../../automation/runners/progress";

describe("Progress", () => {
  it("counts resources done over the estimate and names the current step", () => {
    const p = new Progress(3);
    const meta = (urn: string) => ({ metadata: { op: "create", urn, type: "aws:ec2/vpc:Vpc" } });
    assert.equal(
      p.onEvent({ resourcePreEvent: meta("urn:pulumi:dev::m::aws:ec2/vpc:Vpc::main") }),
      "[0/3] create aws:ec2/vpc:Vpc main",
    );
    assert.equal(
      p.onEvent({ resOutputsEvent: meta("urn:pulumi:dev::m::aws:ec2/vpc:Vpc::main") }),
      "[1/3] create aws:ec2/vpc:Vpc main",
    );
    assert.equal(
      p.onEvent({ resOpFailedEvent: meta("urn:x::b") }),
      "[2/3, 1 failed] create aws:ec2/vpc:Vpc main",
    );
    assert.equal(
      p.onEvent({ diagnosticEvent: { severity: "error", message: "boom\n" } }),
      "error: boom",
    );
    assert.equal(p.onEvent({ stdoutEvent: { message: "x" } }), undefined);
  });
});
