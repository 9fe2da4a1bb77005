// VirtualNodes resolved: pod selectors, the host traffic reaches them by, and the node a client SAN names.
import * as assert from "node:assert/strict";
import { readModel } from "../../../appmesh/convert";
import { nodeBySan, selectorLabels } from "../../../appmesh/model/nodes";
import { fixture } from "../helpers";

describe("appmesh model nodes", () => {
  it("reads pod selector labels, and none for an empty selector", () => {
    assert.deepEqual(selectorLabels({ matchLabels: { app: "cart" } }), { app: "cart" });
    assert.equal(selectorLabels({ matchLabels: {} }), undefined);
    assert.equal(selectorLabels(undefined), undefined);
  });

  it("gives each node its in-cluster host and the Service behind it", () => {
    const m = readModel([fixture("shop.yaml")]);
    const web = m.lookup.node("shop", "web");
    assert.equal(web?.target.host, "web.shop.svc.cluster.local");
    assert.equal(web?.target.inCluster, true);
    assert.deepEqual(web?.podLabels, web?.spec.podSelector?.matchLabels);
  });

  it("finds the node a SAN names by its DNS hostname, case-insensitively", () => {
    const m = readModel([fixture("shop.yaml")]);
    assert.equal(nodeBySan(m.nodes, "CART-V1.shop.svc.cluster.local")?.name, "cart-v1");
    assert.equal(nodeBySan(m.nodes, "nobody.example.com"), undefined);
  });
});
