// The gateway-api target's mesh routes (GAMMA) on meshlift's fixtures: rules attached to the Service clients call, gRPC and TCP.
import * as assert from "node:assert/strict";
import { convert, validateObjects } from "../../../../appmesh";
import { findingsFor, fixture, obj, rule, rules } from "../../helpers";

describe("gateway-api mesh routes (GAMMA)", () => {
  const r = convert([fixture("shop.yaml")], { target: "gateway-api" });
  const route = obj(r, "HTTPRoute", "shop", "cart");

  it("emits only objects that validate (Gateway API, Istio and core models)", async () => {
    assert.deepEqual(await validateObjects(r.objects), []);
    assert.ok(r.objects.every((o) => o.kind !== "VirtualService"));
  });

  it("attaches the router's routes to the Service clients call", () => {
    assert.deepEqual(route.spec.parentRefs, [{ group: "", kind: "Service", name: "cart" }]);
    assert.deepEqual(
      rules(route).map((x) => x.name),
      ["beta-users", "checkout", "catch-all"],
    );
  });

  it("keeps App Mesh's weights as they are (the Gateway API weighs proportionally)", () => {
    assert.deepEqual(
      rule(route, "catch-all").backendRefs.map((b) => [b.name, b.port, b.weight]),
      [
        ["cart-v1", 9000, 3],
        ["cart-v2", 9000, 1],
      ],
    );
    assert.deepEqual(
      rule(route, "beta-users").backendRefs.map((b) => b.weight),
      [1, 1, 1],
    );
  });

  it("maps path, method, query and headers; inverted headers and schemes are findings", () => {
    const m = rule(route, "beta-users").matches![0];
    assert.deepEqual(m.path, { type: "PathPrefix", value: "/cart" });
    assert.equal(m.method, "POST");
    assert.deepEqual(m.queryParams, [{ type: "Exact", name: "region", value: "eu" }]);
    assert.deepEqual(m.headers, [
      { type: "Exact", name: "X-User-Group", value: "beta" },
      { type: "RegularExpression", name: "x-trace", value: ".*" },
      { type: "RegularExpression", name: "x-client", value: ".*\\.mobile" },
    ]);
    const invert = findingsFor(
      r,
      "VirtualRouter shop/cart-router",
      "spec.routes[1].httpRoute.match.headers[1].invert",
    );
    assert.equal(invert[0]?.severity, "warning");
    assert.deepEqual(rule(route, "checkout").matches![0].path, {
      type: "Exact",
      value: "/cart/checkout",
    });
  });

  it("carries timeouts (listener folded in, 15s default explicit) and reports retries it cannot carry", () => {
    assert.deepEqual(rule(route, "beta-users").timeouts, { request: "20s" });
    assert.deepEqual(rule(route, "checkout").timeouts, { request: "90s" });
    assert.deepEqual(rule(route, "catch-all").timeouts, { request: "15s" });
    const retry = findingsFor(
      r,
      "VirtualRouter shop/cart-router",
      "spec.routes[1].httpRoute.retryPolicy",
    );
    assert.equal(retry[0]?.severity, "warning");
    assert.match(retry[0].reason, /3 retries on 409,500,.*experimental/);
  });

  it("reports where Gateway API precedence differs from App Mesh's priority", () => {
    const f = findingsFor(r, "VirtualRouter shop/cart-router").filter((x) =>
      /orders rules by match specificity/.test(x.reason),
    );
    assert.ok(f.length >= 1, JSON.stringify(r.findings.map((x) => x.reason)));
    assert.equal(f[0].severity, "warning");
  });

  it("keeps Istio policy objects the Gateway API has no field for", () => {
    assert.deepEqual(
      (
        obj(r, "DestinationRule", "shop", "cart-v1").spec.trafficPolicy as {
          outlierDetection: unknown;
        }
      ).outlierDetection,
      { consecutive5xxErrors: 7, interval: "20s", baseEjectionTime: "45s", maxEjectionPercent: 40 },
    );
    assert.deepEqual(obj(r, "Sidecar", "shop", "cart-v1").spec.inboundConnectionPool, {
      tcp: { maxConnections: 50 },
      http: { http1MaxPendingRequests: 25 },
    });
  });
});

describe("gateway-api mesh routes: gRPC and TCP", () => {
  const g = convert([fixture("gateway.yaml")], { target: "gateway-api" });

  it("routes gRPC by service and method (GRPCRoute) and says it has no timeouts", () => {
    const prices = obj(g, "GRPCRoute", "store", "prices");
    assert.deepEqual(rule(prices, "get-price").matches, [
      {
        method: { type: "Exact", service: "store.Pricer", method: "GetPrice" },
        headers: [{ type: "RegularExpression", name: "tenant", value: "^acme.*" }],
      },
    ]);
    const f = g.findings.filter((x) => /GRPCRoute has no timeouts/.test(x.reason));
    assert.ok(f.length >= 1);
  });

  it("routes TCP with a TCPRoute on the listener's port and names the experimental channel", () => {
    const tcp = obj(g, "TCPRoute", "store", "database");
    assert.equal(tcp.apiVersion, "gateway.networking.k8s.io/v1alpha2");
    assert.deepEqual(tcp.spec.parentRefs, [
      { group: "", kind: "Service", name: "database", port: 5432 },
    ]);
    assert.ok(g.findings.some((x) => /TCPRoute .* experimental channel/.test(x.reason)));
  });
});
