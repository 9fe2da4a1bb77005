// What the model builder's steps share: label comparisons, emptiness, and lookups over the inventory.
import * as assert from "node:assert/strict";
import {
  BuildContext,
  isEmpty,
  located,
  sameLabels,
  subsetOf,
} from "../../../appmesh/model/context";
import { readInventory } from "../../../appmesh/read/inventory";

const NODE = `apiVersion: appmesh.k8s.aws/v1beta2
kind: VirtualNode
metadata: {name: cart, namespace: shop}
spec:
  podSelector: {matchLabels: {app: cart}}
  listeners: [{portMapping: {port: 8080, protocol: http}}]
  serviceDiscovery: {dns: {hostname: cart.shop.svc.cluster.local}}
---
apiVersion: v1
kind: Service
metadata: {name: cart, namespace: shop}
spec: {selector: {app: cart}, ports: [{port: 80, targetPort: 8080}]}
---
apiVersion: v1
kind: Service
metadata: {name: ledger, namespace: pay}
spec: {ports: [{port: 80}]}
`;

describe("appmesh build context", () => {
  it("compares label maps as subsets and as equals, and tells empty from not", () => {
    assert.equal(subsetOf({ app: "cart" }, { app: "cart", v: "1" }), true);
    assert.equal(subsetOf({ app: "cart", v: "2" }, { app: "cart", v: "1" }), false);
    assert.equal(subsetOf({}, {}), true);
    assert.equal(sameLabels({ a: "1", b: "2" }, { b: "2", a: "1" }), true);
    assert.equal(sameLabels({ a: "1" }, { a: "1", b: "2" }), false);
    assert.equal(isEmpty(undefined), true);
    assert.equal(isEmpty({}), true);
    assert.equal(isEmpty({ a: undefined }), false);
  });

  it("knows the inventory's namespaces, its Services by namespace and name, and the nodes added", () => {
    const inv = readInventory([{ path: "shop.yaml", content: NODE }], "default");
    const ctx = new BuildContext(inv);
    assert.deepEqual([...ctx.namespaces].sort(), ["pay", "shop"]);
    assert.deepEqual([...ctx.serviceNamespaces].sort(), ["pay", "shop"]);
    assert.equal(ctx.k8sService("shop", "cart")?.name, "cart");
    assert.equal(ctx.k8sService("pay", "cart"), undefined);
    assert.equal(ctx.node("shop", "cart"), undefined, "nodes are added by the builder");
    const [n] = inv.nodes;
    const named = located(n);
    assert.equal(named.source, "VirtualNode shop/cart");
    assert.deepEqual(named.origin, n.origin);
  });
});
