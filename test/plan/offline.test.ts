// The plan document is a contract other tools read: its shape on the dev stack, phases, and the guard.
import * as assert from "node:assert/strict";
import { PROJECT_DIR, runOfflinePlan } from "../../plan/offline";
import { loadStack } from "../../config/load";
import { TransitionError } from "../../phases/deployed";
import { ConfigError } from "../../config/errors";
import { listStacks } from "../../config/stack-file";
import { checkSubject, formatViolations } from "../../policy/run";
import { subjectFromPlan } from "../../policy/subject";
import { PHASES } from "../../phases/phases";
import { named, plan } from "../support/plan";

describe("offline plan", () => {
  it("produces the documented JSON contract for the dev stack", async () => {
    const doc = await plan({ stack: "dev" });
    assert.deepEqual(Object.keys(doc).sort(), [
      "outputs",
      "phase",
      "project",
      "resources",
      "stack",
    ]);
    assert.equal(doc.project, "meshlift");
    assert.equal(doc.stack, "dev");
    assert.equal(doc.phase, "discovery");
    const urns = new Set(doc.resources.map((r) => r.urn));
    for (const r of doc.resources) {
      assert.deepEqual(Object.keys(r).sort(), [
        "dependsOn",
        "inputs",
        "name",
        "options",
        "parent",
        "protect",
        "provider",
        "type",
        "urn",
      ]);
      assert.match(r.urn, /^urn:pulumi:dev::meshlift::/);
      assert.ok(
        r.parent === null || urns.has(r.parent),
        `${r.name}: parent ${r.parent} is in the plan`,
      );
      for (const d of r.dependsOn)
        assert.ok(urns.has(d), `${r.name}: dependency ${d} is in the plan`);
      assert.equal(typeof r.protect, "boolean");
    }
    const roots = doc.resources.filter((r) => r.parent === null);
    assert.deepEqual(
      roots.map((r) => r.type),
      ["pulumi:pulumi:Stack"],
    );
    assert.equal(doc.outputs.phase, "discovery");
    assert.equal(doc.outputs.kubeconfig, "[secret]", "secret outputs are redacted");
    assert.equal(
      JSON.parse(JSON.stringify(doc)).resources.length,
      doc.resources.length,
      "serialisable",
    );
  });

  it("replaces secret inputs by [secret]", async () => {
    const doc = await plan({ stack: "dev" });
    assert.equal(named(doc, "cluster-k8s").inputs.kubeconfig, "[secret]");
  });

  it("is deterministic: two runs give the same document", async () => {
    const a = await plan({ stack: "dev" });
    const b = await plan({ stack: "dev" });
    assert.deepEqual(a, b);
  });

  for (const stack of listStacks(PROJECT_DIR)) {
    for (const phase of PHASES) {
      it(`plans stack ${stack} at phase ${phase}, within the mesh policy pack`, async () => {
        const doc = await plan({ stack, phase });
        assert.equal(doc.phase, phase);
        assert.ok(doc.resources.length > 2);
        assert.deepEqual(formatViolations(checkSubject(subjectFromPlan(doc))), []);
      });
    }
  }

  it("applies --set overrides and validates them before running", () => {
    const set = { "cluster.nodeGroups": '{"core":{"maxSize":7}}' };
    const c = loadStack("dev", { projectDir: PROJECT_DIR, set });
    assert.equal(c.flat["meshlift:cluster.nodeGroups"], '{"core":{"maxSize":7}}');
    assert.equal(c.config.cluster.mode === "create" && c.config.cluster.nodeGroups.core.maxSize, 7);
    assert.throws(
      () => loadStack("dev", { projectDir: PROJECT_DIR, set: { phase: "later" } }),
      ConfigError,
    );
  });

  it("checks the transition guard when a deployed phase is given", async () => {
    await assert.rejects(
      runOfflinePlan({ stack: "dev", phase: "cutover", deployedPhase: "parallel" }),
      (e: unknown) => e instanceof TransitionError && /next step is "workloads"/.test(e.message),
    );
    const ok = await plan({ stack: "dev", phase: "workloads", deployedPhase: "cutover" });
    assert.match(String(ok.outputs.phaseGuard), /rollback: cutover -> workloads/);
  });

  it("says offline that the guard was not checked", async () => {
    const doc = await plan({ stack: "dev", phase: "cutover" });
    assert.match(String(doc.outputs.phaseGuard), /not checked/);
  });
});
