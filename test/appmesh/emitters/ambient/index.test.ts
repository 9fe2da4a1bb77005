// The ambient target on meshlift's own fixtures: waypoints where L7 is needed, L4 policy elsewhere, no Sidecars.
import * as assert from "node:assert/strict";
import { convert, validateObjects } from "../../../../appmesh";
import { findingsFor, fixture, obj, rule } from "../../helpers";

describe("ambient target", () => {
  const shop = convert([fixture("shop.yaml")], { target: "ambient" });
  const gw = convert([fixture("gateway.yaml")], { target: "ambient" });
  const l4 = convert([fixture("l4-only.yaml")], { target: "ambient" });

  it("emits only valid objects and never a Sidecar", async () => {
    for (const r of [shop, gw, l4]) {
      assert.deepEqual(await validateObjects(r.objects), []);
      assert.deepEqual(
        r.objects.filter((o) => o.kind === "Sidecar" || o.kind === "VirtualService"),
        [],
      );
    }
  });

  it("puts a waypoint in each namespace whose converted routes need L7, and asks for the label", () => {
    const wp = obj(shop, "Gateway", "shop", "waypoint");
    assert.equal(wp.spec.gatewayClassName, "istio-waypoint");
    assert.deepEqual(wp.spec.listeners, [
      {
        name: "mesh",
        port: 15008,
        protocol: "HBONE",
        allowedRoutes: { namespaces: { from: "Same" } },
      },
    ]);
    assert.deepEqual(shop.namespaceLabels, { shop: { "istio.io/use-waypoint": "waypoint" } });
    assert.deepEqual(rule(obj(shop, "HTTPRoute", "shop", "cart"), "catch-all").timeouts, {
      request: "15s",
    });
  });

  it("binds L7 AuthorizationPolicies to the waypoint through targetRefs, never both ways", () => {
    const ap = obj(shop, "AuthorizationPolicy", "shop", "cart-v1");
    assert.equal(ap.spec.selector, undefined);
    assert.deepEqual(ap.spec.targetRefs, [
      { group: "", kind: "Service", name: "cart" },
      { group: "", kind: "Service", name: "cart-v1" },
    ]);
    assert.equal(
      findingsFor(
        shop,
        "VirtualNode shop/cart-v1",
        "spec.listeners[].tls.validation.subjectAlternativeNames",
      ).some((f) => f.severity === "warning"),
      true,
    );
  });

  it("keeps L4 policy at ztunnel where no waypoint is needed", () => {
    assert.deepEqual(l4.namespaceLabels, {});
    assert.equal(
      l4.objects.some((o) => o.kind === "Gateway"),
      false,
    );
    const ap = obj(l4, "AuthorizationPolicy", "vault", "api");
    assert.deepEqual(ap.spec.selector, { matchLabels: { app: "api" } });
    assert.deepEqual(ap.spec.rules, [
      {
        from: [{ source: { principals: ["cluster.local/ns/vault/sa/vault-client"] } }],
        to: [{ operation: { ports: ["8200"] } }],
      },
    ]);
    assert.deepEqual(obj(l4, "PeerAuthentication", "vault", "api").spec.mtls, { mode: "STRICT" });
    assert.ok(
      findingsFor(l4, "VirtualNode vault/client", "spec.backends").some((f) =>
        /no per-workload egress/.test(f.reason),
      ),
    );
  });

  it("applies listener connection pools at the waypoint (server side) instead of a Sidecar", () => {
    const dr = obj(shop, "DestinationRule", "shop", "cart-v1");
    assert.deepEqual((dr.spec.trafficPolicy as { connectionPool: unknown }).connectionPool, {
      tcp: { maxConnections: 50 },
      http: { http1MaxPendingRequests: 25 },
    });
  });

  it("sends gateway traffic through the waypoint of a router-backed service (ingress-use-waypoint)", () => {
    const doc = (kind: string, name: string, spec: unknown) =>
      JSON.stringify({
        apiVersion: "appmesh.k8s.aws/v1beta2",
        kind,
        metadata: { name, namespace: "web" },
        spec,
      });
    const content = [
      doc("VirtualNode", "ui-v1", {
        podSelector: { matchLabels: { app: "ui", v: "1" } },
        listeners: [{ portMapping: { port: 80, protocol: "http" } }],
        serviceDiscovery: { dns: { hostname: "ui-v1.web.svc.cluster.local" } },
      }),
      doc("VirtualRouter", "ui", {
        listeners: [{ portMapping: { port: 80, protocol: "http" } }],
        routes: [
          {
            name: "all",
            httpRoute: {
              match: { prefix: "/" },
              action: { weightedTargets: [{ virtualNodeRef: { name: "ui-v1" }, weight: 1 }] },
            },
          },
        ],
      }),
      doc("VirtualService", "ui", {
        awsName: "ui.web.svc.cluster.local",
        provider: { virtualRouter: { virtualRouterRef: { name: "ui" } } },
      }),
      doc("VirtualGateway", "edge", {
        podSelector: { matchLabels: { app: "edge" } },
        listeners: [{ portMapping: { port: 8080, protocol: "http" } }],
      }),
      doc("GatewayRoute", "to-ui", {
        httpRoute: {
          match: { prefix: "/" },
          action: { target: { virtualService: { virtualServiceRef: { name: "ui" } } } },
        },
      }),
    ].join("\n---\n");
    const amb = convert([{ path: "ui.yaml", content }], { target: "ambient" });
    assert.deepEqual(amb.namespaceLabels, {
      web: { "istio.io/use-waypoint": "waypoint", "istio.io/ingress-use-waypoint": "true" },
    });
    assert.ok(
      findingsFor(amb, "GatewayRoute web/to-ui").some(
        (f) => f.severity === "info" && /run in waypoint web\/waypoint/.test(f.reason),
      ),
    );
    // In sidecar mode the same route skips the router's routes: a warning says so.
    const side = convert([{ path: "ui.yaml", content }], { target: "gateway-api" });
    assert.ok(
      findingsFor(side, "GatewayRoute web/to-ui").some(
        (f) => f.severity === "warning" && /sidecar traffic only/.test(f.reason),
      ),
    );
    assert.ok(gw.objects.some((o) => o.kind === "GRPCRoute" && o.metadata.name === "prices"));
    assert.ok(obj(gw, "Gateway", "store", "waypoint"));
  });
});
