// Pure builders of NamespaceMigration: injection labels and the restart annotation per state and phase.
import * as assert from "node:assert/strict";
import {
  APPMESH_INJECTION_LABEL,
  bothInjectors,
  DATAPLANE_MODE_LABEL,
  dataplaneIn,
  ISTIO_INJECTION_LABEL,
  namespaceLabels,
  RESTART_ANNOTATION,
  restartAnnotations,
  restartReason,
  sidecarInAmbient,
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

describe("namespaceLabels in ambient mode", () => {
  const ambient = {
    mode: "ambient" as const,
    waypointLabels: { "istio.io/use-waypoint": "waypoint" },
  };

  it("never gives a sidecar to an ambient namespace nor enables both injectors, in any state and phase", () => {
    for (const p of PHASES) {
      for (const s of NAMESPACE_STATES) {
        let labels: Record<string, string>;
        try {
          labels = namespaceLabels(s, PHASE_SPECS[p], ambient);
        } catch {
          continue; // appmesh at decommission is refused, as in sidecar mode
        }
        const where = `${s} at ${p}: ${JSON.stringify(labels)}`;
        assert.notEqual(labels[ISTIO_INJECTION_LABEL], "enabled", where);
        assert.ok(!bothInjectors(labels) && !sidecarInAmbient(labels), where);
        assert.equal(
          labels[DATAPLANE_MODE_LABEL] === "ambient",
          dataplaneIn(s, PHASE_SPECS[p], "ambient") === "ambient",
          where,
        );
      }
    }
  });

  it("labels an istio namespace ambient at workloads, with its waypoint, and drops App Mesh's label at decommission", () => {
    // Before workloads nothing differs from sidecar mode: App Mesh keeps the pods.
    assert.deepEqual(
      namespaceLabels("istio", PHASE_SPECS.parallel, ambient),
      namespaceLabels("istio", PHASE_SPECS.parallel),
    );
    assert.deepEqual(namespaceLabels("istio", PHASE_SPECS.workloads, ambient), {
      [ISTIO_INJECTION_LABEL]: "disabled",
      [APPMESH_INJECTION_LABEL]: "disabled",
      [DATAPLANE_MODE_LABEL]: "ambient",
      "istio.io/use-waypoint": "waypoint",
    });
    assert.deepEqual(namespaceLabels("istio", PHASE_SPECS.decommission, { mode: "ambient" }), {
      [ISTIO_INJECTION_LABEL]: "disabled",
      [DATAPLANE_MODE_LABEL]: "ambient",
    });
    // An appmesh namespace stays on App Mesh in ambient mode too.
    assert.deepEqual(
      namespaceLabels("appmesh", PHASE_SPECS.workloads, ambient),
      namespaceLabels("appmesh", PHASE_SPECS.workloads),
    );
  });

  it("takes only the waypoint labels from a conversion, never an injector or dataplane label", () => {
    const hostile = {
      mode: "ambient" as const,
      waypointLabels: {
        [ISTIO_INJECTION_LABEL]: "enabled",
        [DATAPLANE_MODE_LABEL]: "none",
        "istio.io/ingress-use-waypoint": "true",
        ...JSON.parse('{"__proto__": {"polluted": "yes"}}'),
      } as Record<string, string>,
    };
    assert.deepEqual(namespaceLabels("istio", PHASE_SPECS.workloads, hostile), {
      [ISTIO_INJECTION_LABEL]: "disabled",
      [APPMESH_INJECTION_LABEL]: "disabled",
      [DATAPLANE_MODE_LABEL]: "ambient",
      "istio.io/ingress-use-waypoint": "true",
    });
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it("restarts ambient namespaces only to remove the App Mesh Envoy, with a value of their own", () => {
    assert.deepEqual(restartAnnotations("istio", PHASE_SPECS.workloads, "3"), {
      [RESTART_ANNOTATION]: "istio-3",
    });
    assert.match(restartReason("ambient"), /only to remove the App Mesh Envoy/);
    assert.match(restartReason("sidecar"), /Istio sidecar/);
  });
});
