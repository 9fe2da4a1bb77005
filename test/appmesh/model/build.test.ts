// The inventory resolved into one model: nodes, services, routers and gateways, lookups, and mesh-level findings.
import * as assert from "node:assert/strict";
import { assumedRouterHost, buildModel } from "../../../appmesh/model/build";
import { readInventory } from "../../../appmesh/read/inventory";
import { fixture } from "../helpers";

const MESH = `apiVersion: appmesh.k8s.aws/v1beta2
kind: Mesh
metadata: {name: shared}
spec:
  meshOwner: "111122223333"
  awsName: shared-mesh
  egressFilter: {type: DROP_ALL}
  serviceDiscovery: {ipPreference: IPv6_PREFERRED}
`;

describe("appmesh model build", () => {
  it("resolves the shop fixture into nodes, services and routers, with lookups by namespace and name", () => {
    const m = buildModel(readInventory([fixture("shop.yaml")], "default"));
    assert.deepEqual(m.nodes.map((n) => n.name).sort(), [
      "cart-canary",
      "cart-v1",
      "cart-v2",
      "web",
    ]);
    assert.deepEqual(
      m.services.map((s) => `${s.namespace}/${s.name}`),
      ["shop/cart"],
    );
    assert.deepEqual(
      m.routers.map((r) => r.name),
      ["cart-router"],
    );
    assert.equal(m.lookup.node("shop", "web")?.name, "web");
    assert.equal(m.lookup.service("shop", "cart")?.provider.kind, "router");
    assert.equal(m.lookup.k8sService("shop", "cart")?.name, "cart");
    assert.equal(m.lookup.node("other", "web"), undefined);
  });

  it("reports what a mesh sets that Istio has no field for, and DROP_ALL", () => {
    const m = buildModel(readInventory([{ path: "mesh.yaml", content: MESH }], "default"));
    assert.equal(m.dropAll, true);
    const mesh = m.findings.filter((f) => f.source === "Mesh shared");
    assert.deepEqual(
      mesh.map((f) => [f.severity, f.field]),
      [
        ["warning", "spec.meshOwner"],
        ["info", "spec.awsName"],
        ["info", "spec.serviceDiscovery.ipPreference"],
      ],
    );
  });

  it("assumes a router's host from its name in its namespace", () => {
    const m = buildModel(readInventory([fixture("shop.yaml")], "default"));
    assert.equal(assumedRouterHost(m.routers[0]), "cart-router.shop.svc.cluster.local");
  });
});
