// Pure builders of the migration phases: DNS weights, NLB zones, injection labels, restart annotations, cleanup list.
import * as assert from "node:assert/strict";
import fc from "fast-check";
import {
  APPMESH_INJECTION_LABEL,
  bothInjectors,
  cutoverWeights,
  dnsRecordsIn,
  FULL_WEIGHT,
  ISTIO_INJECTION_LABEL,
  manualCleanup,
  namespaceLabels,
  nlbHostedZoneId,
  NLB_HOSTED_ZONE_IDS,
  restartAnnotations,
} from "../../components/cutover-spec";
import { NAMESPACE_STATES } from "../../config/sections/migration";
import { PHASES, PHASE_SPECS } from "../../phases/phases";

describe("cutoverWeights", () => {
  it("always sums to the full weight, for every phase and every allowed istioWeight", () => {
    fc.assert(
      fc.property(fc.constantFrom(...PHASES), fc.integer({ min: 0, max: 100 }), (p, w) => {
        const r = cutoverWeights(PHASE_SPECS[p], { istioWeight: w });
        assert.equal(r.appmesh + r.istio, FULL_WEIGHT);
        assert.ok(r.appmesh >= 0 && r.istio >= 0);
      }),
    );
  });

  it("gives Istio 0 before cutover, the config weight in cutover, everything at decommission", () => {
    const at = (p: (typeof PHASES)[number], w: number) =>
      cutoverWeights(PHASE_SPECS[p], { istioWeight: w });
    assert.deepEqual(at("parallel", 40), { appmesh: 100, istio: 0 });
    assert.deepEqual(at("workloads", 40), { appmesh: 100, istio: 0 });
    assert.deepEqual(at("cutover", 40), { appmesh: 60, istio: 40 });
    assert.deepEqual(at("cutover", 0), { appmesh: 100, istio: 0 });
    assert.deepEqual(at("cutover", 100), { appmesh: 0, istio: 100 });
    assert.deepEqual(at("decommission", 0), { appmesh: 0, istio: 100 });
  });

  it("rejects a weight outside 0-100 or not an integer, naming the key and the value", () => {
    for (const w of [-1, 101, 12.5]) {
      assert.throws(
        () => cutoverWeights(PHASE_SPECS.cutover, { istioWeight: w }),
        new RegExp(`cutover\\.istioWeight: ${w}`),
      );
    }
  });

  it("keeps the Istio record from parallel on and drops the App Mesh record only at decommission", () => {
    assert.deepEqual(dnsRecordsIn(PHASE_SPECS.discovery), { appmesh: true, istio: false });
    for (const p of ["parallel", "workloads", "cutover"] as const)
      assert.deepEqual(dnsRecordsIn(PHASE_SPECS[p]), { appmesh: true, istio: true });
    assert.deepEqual(dnsRecordsIn(PHASE_SPECS.decommission), { appmesh: false, istio: true });
  });
});

describe("nlbHostedZoneId", () => {
  it("knows the NLB alias zone of the commercial regions", () => {
    assert.equal(nlbHostedZoneId("us-east-1"), "Z26RNL4JYFTOTI");
    assert.equal(nlbHostedZoneId("eu-west-1"), "Z2IFOLAFXWLO4F");
    assert.ok(Object.keys(NLB_HOSTED_ZONE_IDS).length >= 30);
    for (const [region, id] of Object.entries(NLB_HOSTED_ZONE_IDS)) {
      assert.match(region, /^[a-z]{2}-[a-z]+-\d$/);
      assert.match(id, /^Z[A-Z0-9]+$/);
    }
  });

  it("fails for an unknown region, naming it", () => {
    assert.throws(
      () => nlbHostedZoneId("xx-nowhere-9"),
      /"xx-nowhere-9".*known commercial regions/,
    );
  });
});

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

describe("manualCleanup", () => {
  it("lists CRs, the controller, the CRDs and delete-mesh when the controller is not adopted", () => {
    const steps = manualCleanup({ controllerAdopted: false, meshes: ["m1"], namespaces: ["a"] });
    assert.match(steps[0], /for ns in a;.*virtualnodes\.appmesh\.k8s\.aws/);
    assert.ok(steps.some((s) => s.startsWith("helm uninstall appmesh-controller")));
    assert.ok(steps.some((s) => /crd.*appmesh\.k8s\.aws/.test(s)));
    assert.equal(steps.at(-1), "aws appmesh delete-mesh --mesh-name m1");
  });

  it("leaves the controller out when the stack uninstalls it", () => {
    const steps = manualCleanup({ controllerAdopted: true, meshes: [], namespaces: [] });
    assert.ok(!steps.some((s) => s.startsWith("helm uninstall")));
    assert.ok(steps.includes("aws appmesh delete-mesh --mesh-name <mesh-name>"));
  });
});
