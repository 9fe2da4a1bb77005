// The namespace parts of a PhasePlan: which sidecar settings apply in each mode, and the workloads' restarts in rollout order.
import * as assert from "node:assert/strict";
import { sidecarSettings, workloadsPlan } from "../../phases/plan-namespaces";
import { devConfig, devPlan } from "../support/phase-plan";

describe("plan namespaces", () => {
  it("names the sidecar's start and drain settings in sidecar mode, and none in ambient mode", () => {
    const sidecar = sidecarSettings(devConfig("workloads"));
    assert.match(sidecar, /^sidecar mode: /);
    assert.match(sidecar, /holdApplicationUntilProxyStarts true/);
    assert.match(sidecar, /drain for 20s or until their last connection closes/);
    assert.match(sidecar, /global\.proxy\.excludeIPRanges/);
    const ambient = sidecarSettings(devConfig("workloads", { "istio.mode": "ambient" }));
    assert.match(ambient, /^ambient mode: none of the sidecar settings apply/);
    assert.match(ambient, /migration\.namespaces\[\]\.proxy is ignored/);
  });

  it("orders the restarts of this phase, at most maxParallelRestarts at once", () => {
    const one = devConfig("workloads");
    assert.deepEqual(workloadsPlan(one, devPlan("workloads")).restarts, [
      { namespace: "shop", deployment: "cart" },
      {
        namespace: "shop",
        deployment: "storefront",
        after: { namespace: "shop", deployment: "cart" },
      },
      {
        namespace: "payments",
        deployment: "ledger",
        after: { namespace: "shop", deployment: "storefront" },
      },
    ]);
    const set = { "migration.maxParallelRestarts": "2" };
    const two = workloadsPlan(devConfig("workloads", set), devPlan("workloads", set));
    assert.equal(two.maxParallelRestarts, 2);
    assert.deepEqual(two.restarts, [
      { namespace: "shop", deployment: "cart" },
      { namespace: "shop", deployment: "storefront" },
      {
        namespace: "payments",
        deployment: "ledger",
        after: { namespace: "shop", deployment: "cart" },
      },
    ]);
  });

  it("restarts nothing where no namespace restarts", () => {
    const c = devConfig("parallel");
    const w = workloadsPlan(c, devPlan("parallel"));
    assert.deepEqual(w.restarts, []);
    assert.deepEqual(w.findings, []);
    assert.equal(w.sidecarSettings, sidecarSettings(c));
  });
});
