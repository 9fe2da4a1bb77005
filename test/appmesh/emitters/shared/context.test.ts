// What an emitter's functions share: the model's findings carried on, and Istio objects in their API group.
import * as assert from "node:assert/strict";
import { EmitContext, NETWORKING, SECURITY } from "../../../../appmesh/emitters/shared/context";
import { readModel } from "../../../../appmesh/convert";

describe("appmesh emit context", () => {
  const model = readModel([
    {
      path: "mesh.yaml",
      content:
        "apiVersion: appmesh.k8s.aws/v1beta2\nkind: Mesh\nmetadata: {name: m}\nspec: {egressFilter: {type: DROP_ALL}}\n",
    },
  ]);

  it("starts from the model's findings without changing them", () => {
    const ctx = new EmitContext(model, []);
    assert.deepEqual(ctx.findings, model.findings);
    ctx.at("info", "s", { file: "f", document: 0 }, "", "r");
    assert.equal(ctx.findings.length, model.findings.length + 1);
    assert.notEqual(ctx.findings, model.findings);
  });

  it("writes PeerAuthentication and AuthorizationPolicy to security.istio.io, the rest to networking.istio.io", () => {
    const ctx = new EmitContext(model, ["PeerAuthentication", "VirtualService"]);
    assert.equal(ctx.istio("PeerAuthentication", "shop", "pa", {}, "x").apiVersion, SECURITY);
    assert.equal(ctx.istio("AuthorizationPolicy", "shop", "ap", {}, "x").apiVersion, SECURITY);
    assert.equal(ctx.istio("VirtualService", "shop", "vs", {}, "x").apiVersion, NETWORKING);
    assert.deepEqual(
      ctx.objects.sorted().map((o) => o.kind),
      ["PeerAuthentication", "VirtualService", "AuthorizationPolicy"],
    );
  });
});
