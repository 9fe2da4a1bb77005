// The guard of a phase change against what the stack last deployed: the move it allows, the refusal that names the next step, and what it would check offline.
import * as assert from "node:assert/strict";
import { guardPhase, TransitionError } from "../../phases/deployed";

describe("deployed-phase guard", () => {
  it("guards against the deployed phase and explains the next step", () => {
    assert.throws(
      () => guardPhase({ known: true, outputs: { phase: "parallel" } }, "cutover", false),
      (e: unknown) => e instanceof TransitionError && /next step is "workloads"/.test(e.message),
    );
    assert.match(
      guardPhase({ known: true, outputs: { phase: "cutover" } }, "parallel", false).summary,
      /rollback: cutover -> parallel/,
    );
    assert.match(guardPhase({ known: true, outputs: {} }, "discovery", false).summary, /initial/);
  });

  it("reports what it would check when the deployed phase is unknown (offline)", () => {
    const g = guardPhase({ known: false, reason: "offline plan" }, "cutover", false);
    assert.equal(g.deployedPhase, undefined);
    assert.match(g.summary, /not checked \(offline plan\)/);
    assert.match(g.summary, /may move to "cutover"/);
  });

  it("names the move it allows and carries the refused transition on its error", () => {
    const g = guardPhase({ known: true, outputs: { phase: "parallel" } }, "workloads", false);
    assert.equal(g.deployedPhase, "parallel");
    assert.equal(g.summary, "advance: parallel -> workloads");
    assert.equal(g.transition?.ok, true);
    try {
      guardPhase({ known: true, outputs: { phase: "discovery" } }, "workloads", false);
      assert.fail("a skip was allowed");
    } catch (e) {
      assert.ok(e instanceof TransitionError);
      assert.equal(e.name, "TransitionError");
      assert.equal(e.transition.ok, false);
      assert.equal(e.message, e.transition.message);
    }
    // allowPhaseSkip lets the same move through.
    assert.equal(
      guardPhase({ known: true, outputs: { phase: "discovery" } }, "workloads", true).deployedPhase,
      "discovery",
    );
  });

  it("reads an unknown deployed phase output as a new stack", () => {
    const g = guardPhase({ known: true, outputs: { phase: "not-a-phase" } }, "discovery", false);
    assert.equal(g.deployedPhase, undefined);
    assert.match(g.summary, /\(new stack\) -> discovery$/);
  });
});
