// The pure rules of the operator runner: which config patch a change is, and what a Stack's status says of one update.
import { strict as assert } from "node:assert";
import { configPatch, statusView, updateOutcome } from "../../fleet/stack-status";

const want = { generation: 3, request: "meshlift-r2" };

function stack(status: Record<string, unknown>, generation = 3) {
  return statusView({ metadata: { name: "meshlift-dev", generation }, status });
}

describe("Stack status rules", () => {
  it("patches whole keys for top-level changes and one field for dotted ones", () => {
    const current = { "meshlift:cutover": { istioWeight: 0, records: [{ name: "a" }] } };
    assert.deepEqual(configPatch(current, { "meshlift:phase": "cutover" }), {
      "meshlift:phase": "cutover",
    });
    assert.deepEqual(
      configPatch(current, { "meshlift:allowPhaseSkip": "true" }),
      { "meshlift:allowPhaseSkip": "true" },
      "scalars stay strings",
    );
    assert.deepEqual(
      configPatch(current, {
        "meshlift:cutover.istioWeight": "50",
        "meshlift:cutover.healthCheck": "true",
      }),
      {
        "meshlift:cutover": { istioWeight: 50, healthCheck: true },
      },
    );
    assert.deepEqual(configPatch({}, { "meshlift:istio": '{"mode":"sidecar"}' }), {
      "meshlift:istio": { mode: "sidecar" },
    });
  });

  it("refuses keys that would replace a stack-file value or are not keys", () => {
    assert.throws(
      () => configPatch({}, { "meshlift:cutover.istioWeight": "5" }),
      /does not carry meshlift:cutover inline/,
    );
    for (const k of [
      "phase",
      "meshlift:",
      "meshlift:a..b",
      "meshlift:__proto__",
      "meshlift:cutover.constructor",
    ]) {
      assert.throws(
        () => configPatch({ "meshlift:cutover": {} }, { [k]: "1" }),
        /not a config key/,
        k,
      );
    }
  });

  it("counts only the operator's record of this update", () => {
    const done = (generation: number, reconcileRequest: string, state: string) =>
      stack({
        lastUpdate: {
          generation,
          reconcileRequest,
          state,
          name: "u1",
          message: "boom",
          failures: 2,
        },
        outputs: { phase: "cutover" },
      });
    assert.deepEqual(updateOutcome(stack({}), want), { done: false });
    assert.deepEqual(
      updateOutcome(done(2, "meshlift-r2", "succeeded"), want),
      { done: false },
      "an older generation",
    );
    assert.deepEqual(
      updateOutcome(done(3, "meshlift-r1", "succeeded"), want),
      { done: false },
      "another request",
    );
    const ok = updateOutcome(done(3, "meshlift-r2", "succeeded"), want);
    assert.ok(ok.done && ok.ok && ok.outputs.phase === "cutover");
    const failed = updateOutcome(done(4, "meshlift-r2", "failed"), want);
    assert.ok(
      failed.done &&
        !failed.ok &&
        /update u1 failed: boom \(failure 2; the operator retries with backoff\)/.test(
          failed.message,
        ),
    );
  });

  it("takes a stall as the end only once the operator saw this generation", () => {
    const stalled = (observedGeneration: number) =>
      stack({
        observedGeneration,
        conditions: [{ type: "Stalled", status: "True", reason: "SpecInvalid", message: "bad" }],
      });
    assert.deepEqual(updateOutcome(stalled(2), want), { done: false });
    const s = updateOutcome(stalled(3), want);
    assert.ok(s.done && !s.ok && /stalled on the Stack \(SpecInvalid: bad\)/.test(s.message));
  });

  it("reads a status of any shape without throwing", () => {
    for (const bad of [
      null,
      5,
      "x",
      [],
      { status: { conditions: "no", lastUpdate: 3, outputs: [] } },
    ]) {
      assert.deepEqual(updateOutcome(statusView(bad), want), { done: false });
    }
  });
});
