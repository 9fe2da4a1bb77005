// The appmesh.k8s.aws/v1beta2 spec schemas: what the CRD accepts, and fields it does not define.
import * as assert from "node:assert/strict";
import {
  APPMESH_KINDS,
  durationSchema,
  routeSchema,
  SPEC_SCHEMAS,
} from "../../../appmesh/read/schema";

const route = (weight: number, extra: Record<string, unknown> = {}) => ({
  name: "r",
  httpRoute: {
    match: { prefix: "/" },
    action: { weightedTargets: [{ virtualNodeRef: { name: "cart" }, weight }] },
  },
  ...extra,
});

describe("appmesh spec schemas", () => {
  it("has a schema for every App Mesh kind, and one for an API route", () => {
    assert.deepEqual(Object.keys(SPEC_SCHEMAS).sort(), [...APPMESH_KINDS, "Route"].sort());
  });

  it("reads durations in s or ms, whole and not negative", () => {
    assert.deepEqual(durationSchema.parse({ value: 15, unit: "s" }), { value: 15, unit: "s" });
    for (const bad of [
      { value: 1, unit: "m" },
      { value: -1, unit: "s" },
      { value: 1.5, unit: "ms" },
      { value: 1 },
    ])
      assert.equal(durationSchema.safeParse(bad).success, false, JSON.stringify(bad));
  });

  it("holds weights to 0..100, priorities to 0..1000, and names required", () => {
    assert.equal(routeSchema.safeParse(route(100)).success, true);
    assert.equal(routeSchema.safeParse(route(101)).success, false);
    assert.equal(routeSchema.safeParse(route(1, { priority: 1001 })).success, false);
    assert.equal(routeSchema.safeParse({ ...route(1), name: "" }).success, false);
  });

  it("refuses fields the CRD does not define, naming them", () => {
    const r = routeSchema.safeParse(route(1, { retryPolicyy: {} }));
    assert.equal(r.success, false);
    assert.ok(JSON.stringify(r.error?.issues).includes("retryPolicyy"));
  });

  it("takes a reference's namespace only as a Kubernetes namespace name", () => {
    const vs = (namespace: string) => ({
      provider: { virtualRouter: { virtualRouterRef: { name: "r", namespace } } },
    });
    assert.equal(SPEC_SCHEMAS.VirtualService.safeParse(vs("shop")).success, true);
    assert.equal(SPEC_SCHEMAS.VirtualService.safeParse(vs("Shop_1")).success, false);
  });
});
