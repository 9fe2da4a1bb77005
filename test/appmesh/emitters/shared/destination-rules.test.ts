// DestinationRules gathered per host: named after the Service (or the external host), written only when they carry something.
import * as assert from "node:assert/strict";
import { readModel } from "../../../../appmesh/convert";
import { EmitContext } from "../../../../appmesh/emitters/shared/context";
import { DestinationRules } from "../../../../appmesh/emitters/shared/destination-rules";
import { fixture } from "../../helpers";

const inCluster = { host: "cart.shop.svc.cluster.local", hostNamespace: "shop", inCluster: true };
const external = { host: "api.example.com", hostNamespace: "shop", inCluster: false };

describe("appmesh DestinationRules", () => {
  const ctx = () => new EmitContext(readModel([fixture("shop.yaml")]), ["DestinationRule"]);

  it("gives one contribution per host, named after its Service or the external host", () => {
    const drs = new DestinationRules();
    const a = drs.of(inCluster);
    assert.equal(drs.of(inCluster), a, "the same host, the same DestinationRule");
    assert.equal(a.name, "cart");
    assert.equal(a.namespace, "shop");
    assert.equal(drs.of(external).name, "api.example.com");
  });

  it("writes only DestinationRules with subsets or a traffic policy, subsets sorted, from their sources", () => {
    const c = ctx();
    const drs = new DestinationRules();
    drs.of(external);
    const dr = drs.of(inCluster);
    dr.subsets.set("v2", { labels: { version: "v2" } });
    dr.subsets.set("v1", {
      labels: { version: "v1" },
      trafficPolicy: { tls: { mode: "ISTIO_MUTUAL" } },
    });
    dr.sources.add("VirtualNode shop/cart-v2").add("VirtualNode shop/cart-v1");
    drs.emit(c);
    const out = c.objects.sorted();
    assert.equal(out.length, 1);
    assert.equal(out[0].metadata.name, "cart");
    assert.deepEqual(out[0].spec, {
      host: "cart.shop.svc.cluster.local",
      subsets: [
        { name: "v1", labels: { version: "v1" }, trafficPolicy: { tls: { mode: "ISTIO_MUTUAL" } } },
        { name: "v2", labels: { version: "v2" } },
      ],
    });
    assert.equal(
      out[0].metadata.annotations?.["meshlift.io/converted-from"],
      "VirtualNode shop/cart-v1, VirtualNode shop/cart-v2",
    );
  });
});
