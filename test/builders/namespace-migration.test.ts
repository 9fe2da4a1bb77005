// Pure builders of NamespaceMigration: injection labels and the restart annotation per state and phase.
import * as assert from "node:assert/strict";
import {
  APPMESH_INJECTION_LABEL,
  bothInjectors,
  ISTIO_INJECTION_LABEL,
  namespaceLabels,
  restartAnnotations,
} from "../../builders/namespace-migration";
import { NAMESPACE_STATES } from "../../config/sections/migration";
import { PHASES, PHASE_SPECS } from "../../phases/phases";

describe("namespaceLabels", () => {
  it("never enables both injectors, in any state and phase", () => {
    for (const p of PHASES) {
      for (const s of NAMESPACE_STATES) {
        let labels: Record<string, string>;
        try {
          labels = namespaceLabels(s, PHASE_SPECS[p]);
        } catch {
          continue; // appmesh at decommission is refused (tested below)
        }
        assert.ok(!bothInjectors(labels), `${s} at ${p}: ${JSON.stringify(labels)}`);
      }
    }
  });

  it("moves an istio namespace at workloads and drops the App Mesh label at decommission", () => {
    assert.deepEqual(
      namespaceLabels("istio", PHASE_SPECS.discovery),
      namespaceLabels("istio", PHASE_SPECS.parallel),
    );
    assert.deepEqual(namespaceLabels("istio", PHASE_SPECS.parallel), {
      [APPMESH_INJECTION_LABEL]: "enabled",
      [ISTIO_INJECTION_LABEL]: "disabled",
    });
    assert.deepEqual(namespaceLabels("istio", PHASE_SPECS.workloads), {
      [ISTIO_INJECTION_LABEL]: "enabled",
      [APPMESH_INJECTION_LABEL]: "disabled",
    });
    assert.deepEqual(namespaceLabels("istio", PHASE_SPECS.decommission), {
      [ISTIO_INJECTION_LABEL]: "enabled",
    });
  });

  it("keeps an appmesh namespace on App Mesh and refuses it at decommission", () => {
    assert.equal(
      namespaceLabels("appmesh", PHASE_SPECS.cutover)?.[APPMESH_INJECTION_LABEL],
      "enabled",
    );
    assert.throws(() => namespaceLabels("appmesh", PHASE_SPECS.decommission), /decommission/);
  });

  it("rolls back by value: an earlier phase gives the earlier labels", () => {
    assert.deepEqual(
      namespaceLabels("istio", PHASE_SPECS.parallel),
      namespaceLabels("appmesh", PHASE_SPECS.workloads),
    );
  });
});

describe("restartAnnotations", () => {
  it("restarts only istio namespaces from workloads on, with a value that a re-run does not change", () => {
    assert.equal(restartAnnotations("istio", PHASE_SPECS.parallel, "1"), undefined);
    assert.equal(restartAnnotations("appmesh", PHASE_SPECS.cutover, "1"), undefined);
    const a = restartAnnotations("istio", PHASE_SPECS.workloads, "1");
    assert.deepEqual(a, restartAnnotations("istio", PHASE_SPECS.cutover, "1"));
    assert.notDeepEqual(a, restartAnnotations("istio", PHASE_SPECS.workloads, "2"));
    assert.deepEqual(restartAnnotations("istio", PHASE_SPECS.workloads), {
      "meshlift.io/sidecar-restart": "istio",
    });
  });
});
