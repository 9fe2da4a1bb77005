// What the Gateway API emitter's parts share: durations as GEP-2257 writes them, backend ports, ReferenceGrants.
import * as assert from "node:assert/strict";
import { readModel } from "../../../../appmesh/convert";
import {
  GATEWAY_V1,
  gatewayDuration,
  ReferenceGrants,
  servicePortFor,
} from "../../../../appmesh/emitters/gateway-api/common";
import { EmitContext } from "../../../../appmesh/emitters/shared/context";
import { fixture } from "../../helpers";

describe("gateway-api common", () => {
  it("writes durations in at most four parts, and nothing for what cannot be written", () => {
    assert.equal(gatewayDuration(250), "250ms");
    assert.equal(gatewayDuration(15000), "15s");
    assert.equal(gatewayDuration(99999000), "99999s");
    assert.equal(gatewayDuration(100000000), "27h46m40s");
    assert.equal(gatewayDuration(100000500), "27h46m40s500ms");
    assert.equal(gatewayDuration(0), undefined);
    assert.equal(gatewayDuration(Infinity), undefined);
    assert.equal(gatewayDuration(100000 * 3_600_000), undefined);
  });

  const ctx = () => new EmitContext(readModel([fixture("shop.yaml")]), []);

  it("calls a backend on the given port, else its Service's first port", () => {
    const host = { host: "cart.shop.svc.cluster.local", hostNamespace: "shop", inCluster: true };
    assert.equal(servicePortFor(ctx(), host, 9090), 9090);
    assert.equal(
      servicePortFor(ctx(), host, undefined),
      ctx().model.lookup.k8sService("shop", "cart")?.ports[0]?.port,
    );
    assert.equal(
      servicePortFor(ctx(), { ...host, host: "api.example.com", inCluster: false }, undefined),
      undefined,
    );
    assert.equal(
      servicePortFor(ctx(), { ...host, host: "nothing.shop.svc.cluster.local" }, undefined),
      undefined,
    );
  });

  it("grants one ReferenceGrant per pair of namespaces, listing each route kind once", () => {
    const c = ctx();
    const grants = new ReferenceGrants();
    grants.need("web", "HTTPRoute", { name: "cart", namespace: "shop", port: 80 });
    grants.need("web", "GRPCRoute", { name: "cart", namespace: "shop", port: 80 });
    grants.need("web", "HTTPRoute", { name: "ledger", namespace: "shop", port: 80 });
    grants.need("shop", "HTTPRoute", { name: "cart", namespace: "shop", port: 80 });
    grants.need("web", "HTTPRoute", { name: "x", port: 80 });
    grants.emit(c);
    const out = c.objects.sorted().filter((o) => o.kind === "ReferenceGrant");
    assert.equal(out.length, 1);
    assert.equal(out[0].apiVersion, GATEWAY_V1);
    assert.equal(out[0].metadata.namespace, "shop");
    assert.equal(out[0].metadata.name, "meshlift-from-web");
    assert.deepEqual(out[0].spec, {
      from: [
        { group: "gateway.networking.k8s.io", kind: "GRPCRoute", namespace: "web" },
        { group: "gateway.networking.k8s.io", kind: "HTTPRoute", namespace: "web" },
      ],
      to: [{ group: "", kind: "Service" }],
    });
  });
});
