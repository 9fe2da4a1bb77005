// The offline phase diff: what moving a stack between phases creates and removes.
import { strict as assert } from "node:assert";
import { diffPlans, phaseDiff, renderDiff } from "../../plan/phase-diff";
import { PlanDocument, PlanResource } from "../../plan/offline";

const res = (name: string, type: string): PlanResource => ({
  urn: `urn:pulumi:dev::meshlift::${type}::${name}`,
  type,
  name,
  parent: null,
  inputs: {},
  dependsOn: [],
  provider: null,
  protect: false,
  options: {},
});
const doc = (phase: PlanDocument["phase"], resources: PlanResource[]): PlanDocument => ({
  project: "meshlift",
  stack: "dev",
  phase,
  resources,
  outputs: {},
});

describe("phase diff", () => {
  it("counts created, removed and kept resources by type", () => {
    const d = diffPlans(
      doc("parallel", [res("a", "t:x"), res("b", "t:y"), res("e", "t:z")]),
      doc("workloads", [
        res("a", "t:x"),
        res("c", "t:y"),
        res("d", "t:y"),
        { ...res("e", "t:z"), inputs: { weight: 10 } },
      ]),
    );
    assert.deepEqual(d.changed, ["urn:pulumi:dev::meshlift::t:z::e"]);
    assert.equal(d.created.length, 2);
    assert.equal(d.removed.length, 1);
    assert.equal(d.kept, 2);
    assert.deepEqual(d.byType, [["t:y", 2, 1]]);
    assert.match(
      renderDiff(d),
      /parallel -> workloads.*2 to create, 1 to remove, 1 with changed inputs, 2 kept\n {2}\+2 -1 +t:y\n {2}~ +t:z e/,
    );
  });

  it("plans both phases of a real stack", async () => {
    const { diff, fromPlan, toPlan } = await phaseDiff({
      stack: "dev",
      from: "discovery",
      to: "parallel",
    });
    assert.equal(fromPlan.phase, "discovery");
    assert.equal(toPlan.phase, "parallel");
    assert.equal(diff.kept + diff.created.length, toPlan.resources.length);
    assert.equal(diff.kept + diff.removed.length, fromPlan.resources.length);
  });
});
