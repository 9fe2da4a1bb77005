// A router's routes as Istio VirtualService entries: one http entry per HTTP route in App Mesh's order, tcp routes apart.
import * as assert from "node:assert/strict";
import { readModel } from "../../../../appmesh/convert";
import { virtualServiceRoutes } from "../../../../appmesh/emitters/istio/routes";
import { EmitContext } from "../../../../appmesh/emitters/shared/context";
import { DestinationRules } from "../../../../appmesh/emitters/shared/destination-rules";
import { fixture } from "../../helpers";

describe("istio router routes", () => {
  it("writes each HTTP route of the shop router as one named http entry, in the router's order", () => {
    const m = readModel([fixture("shop.yaml")]);
    const [router] = m.routers;
    const ctx = new EmitContext(m, []);
    const { http, tcp } = virtualServiceRoutes(ctx, new DestinationRules(), router);
    assert.equal(tcp.length, 0);
    assert.equal(http.length, router.routes.length);
    assert.deepEqual(
      http.map((h) => h.name),
      router.routes.map((r) => r.name),
    );
    for (const h of http)
      assert.ok(Array.isArray(h.route) && h.route.length > 0, JSON.stringify(h));
  });

  it("writes a tcp route as a tcp entry", () => {
    const m = readModel([fixture("gateway.yaml")]);
    const router = m.routers.find((r) => r.routes.some((x) => x.protocol === "tcp"));
    assert.ok(router, "the fixture has a tcp router");
    const { http, tcp } = virtualServiceRoutes(
      new EmitContext(m, []),
      new DestinationRules(),
      router,
    );
    assert.equal(tcp.length, router.routes.filter((x) => x.protocol === "tcp").length);
    assert.equal(http.length, router.routes.length - tcp.length);
  });
});
