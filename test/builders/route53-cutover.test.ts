// Pure builders of Route53Cutover: DNS weights per phase, which records exist, the NLB alias zones.
import * as assert from "node:assert/strict";
import fc from "fast-check";
import {
  cutoverWeights,
  dnsRecordsIn,
  FULL_WEIGHT,
  nlbHostedZoneId,
  NLB_HOSTED_ZONE_IDS,
} from "../../builders/route53-cutover";
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
