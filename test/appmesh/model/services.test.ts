// VirtualServices resolved: the host clients call (awsName, default <name>.<namespace>) and whether it is in the cluster.
import * as assert from "node:assert/strict";
import { readModel } from "../../../appmesh/convert";
import { serviceHost } from "../../../appmesh/model/services";
import type { Entity } from "../../../appmesh/read/inventory";
import type { VirtualServiceSpec } from "../../../appmesh/read/schema";

const vs = (name: string, awsName?: string) =>
  ({
    name,
    namespace: "shop",
    spec: { ...(awsName ? { awsName } : {}) },
  }) as unknown as Entity<VirtualServiceSpec>;

describe("appmesh model services", () => {
  it("takes <name>.<namespace> by default, a Service name as its cluster FQDN, other names as they are", () => {
    const known = new Set(["shop", "pay"]);
    assert.deepEqual(serviceHost(vs("cart"), known), {
      host: "cart.shop.svc.cluster.local",
      inCluster: true,
    });
    assert.deepEqual(serviceHost(vs("x", "ledger.pay.svc.cluster.local"), known), {
      host: "ledger.pay.svc.cluster.local",
      inCluster: true,
    });
    assert.deepEqual(serviceHost(vs("x", "API.Example.com"), known), {
      host: "api.example.com",
      inCluster: false,
    });
  });

  it("resolves a VirtualService to its router, and reports a provider missing from the input", () => {
    const m = readModel([
      {
        path: "vs.yaml",
        content:
          "apiVersion: appmesh.k8s.aws/v1beta2\nkind: VirtualService\nmetadata: {name: cart, namespace: shop}\nspec:\n  provider: {virtualRouter: {virtualRouterRef: {name: gone}}}\n",
      },
    ]);
    const s = m.lookup.service("shop", "cart");
    assert.equal(s?.host, "cart.shop.svc.cluster.local");
    assert.equal(s?.provider.kind, "missing");
    assert.ok(
      m.findings.some(
        (f) =>
          f.source === "VirtualService shop/cart" &&
          f.field === "spec.provider.virtualRouter.virtualRouterRef" &&
          /VirtualRouter shop\/gone is not in the input/.test(f.reason),
      ),
    );
  });
});
