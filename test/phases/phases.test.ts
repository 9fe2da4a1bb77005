// The phase transition rule: the full table, what each phase deploys, and how a new stack starts (the guard against the deployed phase: deployed.test.ts).
import * as assert from "node:assert/strict";
import { checkTransition, nextPhase, PHASES, PHASE_SPECS, Phase } from "../../phases/phases";

describe("phase transitions", () => {
  // Expected kind for every (from, to) pair without allowPhaseSkip: "x" = refused.
  const table: Record<Phase, Record<Phase, string>> = {
    discovery: {
      discovery: "unchanged",
      parallel: "advance",
      workloads: "x",
      cutover: "x",
      decommission: "x",
    },
    parallel: {
      discovery: "rollback",
      parallel: "unchanged",
      workloads: "advance",
      cutover: "x",
      decommission: "x",
    },
    workloads: {
      discovery: "rollback",
      parallel: "rollback",
      workloads: "unchanged",
      cutover: "advance",
      decommission: "x",
    },
    cutover: {
      discovery: "rollback",
      parallel: "rollback",
      workloads: "rollback",
      cutover: "unchanged",
      decommission: "advance",
    },
    decommission: {
      discovery: "rollback",
      parallel: "rollback",
      workloads: "rollback",
      cutover: "rollback",
      decommission: "unchanged",
    },
  };
  for (const from of PHASES) {
    for (const to of PHASES) {
      const want = table[from][to];
      it(`${from} -> ${to}: ${want === "x" ? "refused" : want}`, () => {
        const t = checkTransition(from, to);
        if (want === "x") {
          assert.equal(t.ok, false);
          if (t.ok) return;
          assert.equal(t.next, nextPhase(from));
          assert.match(t.message, new RegExp(`the next step is "${nextPhase(from)}"`));
          assert.match(t.message, /allowPhaseSkip/);
          assert.equal(checkTransition(from, to, { allowPhaseSkip: true }).ok, true);
        } else {
          assert.equal(t.ok, true);
          assert.equal(t.ok && t.kind, want);
        }
      });
    }
  }

  it("starts a new stack at discovery unless skipping is allowed", () => {
    assert.equal(checkTransition(undefined, "discovery").ok, true);
    const t = checkTransition(undefined, "parallel");
    assert.equal(t.ok, false);
    assert.match(!t.ok ? t.message : "", /a new stack starts at phase "discovery"/);
    assert.equal(checkTransition(undefined, "parallel", { allowPhaseSkip: true }).ok, true);
  });

  it("marks what each phase deploys, monotonically up to decommission", () => {
    assert.equal(PHASE_SPECS.discovery.istioInstalled, false);
    assert.equal(PHASE_SPECS.parallel.istioInstalled, true);
    assert.equal(PHASE_SPECS.parallel.workloadsMigrate, false);
    assert.equal(PHASE_SPECS.workloads.workloadsMigrate, true);
    assert.equal(PHASE_SPECS.workloads.dnsWeightsFromConfig, false);
    assert.equal(PHASE_SPECS.cutover.dnsWeightsFromConfig, true);
    assert.equal(PHASES.filter((p) => PHASE_SPECS[p].appmeshRemoved).join(), "decommission");
  });
});
