// Validation of every emitted object against the kubernetes-models schemas plus the structural rules.
import * as assert from "node:assert/strict";
import type { K8sObject } from "../../appmesh/types";
import { istioModel, validateIstioObjects, validateObjects } from "../../appmesh/validate";

const vs = (spec: Record<string, unknown>, name = "cart"): K8sObject => ({
  apiVersion: "networking.istio.io/v1",
  kind: "VirtualService",
  metadata: { name, namespace: "shop" },
  spec,
});

describe("appmesh validate", () => {
  it("accepts a valid object and reports schema and structural problems by object", async () => {
    assert.deepEqual(await validateObjects([vs({ hosts: ["cart"] })]), []);
    const problems = await validateObjects([
      vs({ hosts: ["cart"], exportTo: 5 }, "a"),
      vs({ hosts: ["cart"] }, "Bad_Name"),
    ]);
    assert.ok(
      problems.some((p) => p.object === "VirtualService shop/a"),
      JSON.stringify(problems),
    );
    assert.ok(
      problems.some(
        (p) =>
          p.object === "VirtualService shop/Bad_Name" &&
          p.message === 'metadata.name "Bad_Name" is not a DNS-1123 subdomain',
      ),
    );
  });

  it("reports an object the schema refuses without running the structural rules on it", async () => {
    for (const spec of [{ hosts: "cart" }, { hosts: ["cart"], http: "x" }, { hosts: [1] }]) {
      const problems = await validateObjects([vs(spec)]);
      assert.equal(problems.length, 1, JSON.stringify(spec));
      assert.equal(problems[0]?.object, "VirtualService shop/cart");
    }
  });

  it("names a kind meshlift does not emit", async () => {
    assert.deepEqual(
      await validateObjects([
        { apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" }, spec: {} },
      ]),
      [{ object: "Widget /w", message: "example.com/v1/Widget is not a kind meshlift emits" }],
    );
  });

  it("finds the schema model of Istio kinds only", async () => {
    assert.equal(typeof (await istioModel("networking.istio.io/v1", "VirtualService")), "function");
    assert.equal(await istioModel("gateway.networking.k8s.io/v1", "HTTPRoute"), undefined);
    assert.equal(validateIstioObjects, validateObjects);
  });
});
