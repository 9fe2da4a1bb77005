// The istio target on the shop fixture: VirtualServices from routers, DestinationRules, Sidecars and security policies.
import * as assert from "node:assert/strict";
import { convert, toYaml, validateIstioObjects } from "../../../../appmesh";
import { findingsFor, fixture, httpRoute, httpRoutes, obj } from "../../helpers";

describe("istio target: VirtualRouter -> VirtualService", () => {
  const r = convert([fixture("shop.yaml")]);
  const vs = obj(r, "VirtualService", "shop", "cart");

  it("emits only objects that validate against the Istio schemas", async () => {
    assert.deepEqual(await validateIstioObjects(r.objects), []);
    for (const o of r.objects) {
      assert.ok(["networking.istio.io/v1", "security.istio.io/v1"].includes(o.apiVersion));
    }
  });

  it("uses the awsName default <name>.<namespace> as the cluster FQDN host", () => {
    assert.deepEqual(vs.spec.hosts, ["cart.shop.svc.cluster.local"]);
  });

  it("orders routes by priority, unprioritized last, and reports the chosen order", () => {
    assert.deepEqual(
      httpRoutes(vs).map((x) => x.name),
      ["beta-users", "checkout", "catch-all"],
    );
    assert.equal(
      findingsFor(r, "VirtualRouter shop/cart-router", "spec.routes[].priority").length,
      1,
    );
  });

  it("normalises weights to 100 keeping the ratio (3:1 -> 75/25, 1:1:1 -> 34/33/33, 100:0)", () => {
    assert.deepEqual(
      httpRoute(vs, "catch-all").route.map((d) => [d.destination.host, d.weight]),
      [
        ["cart-v1.shop.svc.cluster.local", 75],
        ["cart-v2.shop.svc.cluster.local", 25],
      ],
    );
    assert.deepEqual(
      httpRoute(vs, "beta-users").route.map((d) => d.weight),
      [34, 33, 33],
    );
    assert.deepEqual(
      httpRoute(vs, "checkout").route.map((d) => d.weight),
      [100, 0],
    );
  });

  it("maps prefix/path/method/query and header exact, presence, suffix and invert matches", () => {
    const m = httpRoute(vs, "beta-users").match![0];
    assert.deepEqual(m.uri, { prefix: "/cart" });
    assert.deepEqual(m.method, { exact: "POST" });
    assert.deepEqual(m.queryParams, { region: { exact: "eu" } });
    assert.deepEqual(m.headers, {
      "x-user-group": { exact: "beta" },
      "x-trace": {},
      "x-client": { regex: ".*\\.mobile" },
    });
    assert.deepEqual(m.withoutHeaders, { "x-debug": {} });
    const lower = findingsFor(
      r,
      "VirtualRouter shop/cart-router",
      "spec.routes[1].httpRoute.match.headers[0].name",
    );
    assert.equal(lower[0]?.severity, "info");
    assert.deepEqual(httpRoute(vs, "checkout").match![0].uri, { exact: "/cart/checkout" });
  });

  it("maps retry events to Envoy retryOn codes as App Mesh renders them", () => {
    assert.deepEqual(httpRoute(vs, "beta-users").retries, {
      attempts: 3,
      perTryTimeout: "250ms",
      retryOn:
        "409,500,501,502,503,504,505,506,507,508,510,511,connect-failure,refused-stream,reset",
    });
  });

  it("makes App Mesh's default retry policy and 15s timeout explicit", () => {
    const c = httpRoute(vs, "catch-all");
    assert.deepEqual(c.retries, {
      attempts: 2,
      retryOn: "503,connect-failure,refused-stream,unavailable",
    });
    assert.equal(c.timeout, "15s");
  });

  it("folds target listener timeouts into the route (the smaller wins) and reports it", () => {
    // Route asks 20s; cart-v1's listener allows 30s: 20s stays.
    assert.equal(httpRoute(vs, "beta-users").timeout, "20s");
    // Route asks 90s; the only weighted target (cart-v2) has no listener timeout, cart-v1 has weight 0.
    assert.equal(httpRoute(vs, "checkout").timeout, "90s");
    const notes = findingsFor(
      r,
      "VirtualRouter shop/cart-router",
      "spec.routes[2].httpRoute.timeout",
    );
    assert.ok(
      notes.some((f) => /15s listener default/.test(f.reason)),
      JSON.stringify(notes),
    );
  });

  it("puts outlier detection in a DestinationRule for the target host", () => {
    const dr = obj(r, "DestinationRule", "shop", "cart-v1");
    assert.equal(dr.spec.host, "cart-v1.shop.svc.cluster.local");
    assert.deepEqual((dr.spec.trafficPolicy as { outlierDetection: unknown }).outlierDetection, {
      consecutive5xxErrors: 7,
      interval: "20s",
      baseEjectionTime: "45s",
      maxEjectionPercent: 40,
    });
  });

  it("turns backends into Sidecar egress hosts and DROP_ALL into REGISTRY_ONLY", () => {
    const sc = obj(r, "Sidecar", "shop", "web");
    assert.deepEqual(sc.spec.workloadSelector, { labels: { app: "web" } });
    const hosts = (sc.spec.egress as { hosts: string[] }[])[0].hosts;
    assert.ok(hosts.includes("shop/cart.shop.svc.cluster.local"));
    assert.ok(hosts.includes("shop/cart-v2.shop.svc.cluster.local"));
    assert.deepEqual(sc.spec.outboundTrafficPolicy, { mode: "REGISTRY_ONLY" });
    // Expanded from BackendGroup extras; the ledger service is not in the input, so it is reported.
    assert.ok(hosts.includes("bank/ledger.bank.svc.cluster.local"), hosts.join(","));
    assert.ok(
      findingsFor(r, "VirtualNode shop/web", "spec.backendGroups[0]").some((f) =>
        /bank\/ledger/.test(f.reason),
      ),
    );
  });

  it("applies a listener connection pool on the server side (Sidecar inboundConnectionPool)", () => {
    assert.deepEqual(obj(r, "Sidecar", "shop", "cart-v1").spec.inboundConnectionPool, {
      tcp: { maxConnections: 50 },
      http: { http1MaxPendingRequests: 25 },
    });
  });

  it("turns listener TLS into PeerAuthentication and allowed SANs into an AuthorizationPolicy", () => {
    const pa = obj(r, "PeerAuthentication", "shop", "cart-v1");
    assert.deepEqual(pa.spec, {
      selector: { matchLabels: { app: "cart", version: "v1" } },
      mtls: { mode: "STRICT" },
    });
    const ap = obj(r, "AuthorizationPolicy", "shop", "cart-v1");
    assert.equal(ap.spec.action, "ALLOW");
    assert.deepEqual(ap.spec.rules, [
      {
        from: [{ source: { principals: ["cluster.local/ns/shop/sa/web-sa"] } }],
        to: [{ operation: { ports: ["9000"] } }],
      },
    ]);
  });

  it("reports health checks it cannot carry over, with the readinessProbe equivalent", () => {
    const f = findingsFor(r, "VirtualNode shop/cart-v1", "spec.listeners[0].healthCheck");
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, "warning");
    assert.match(
      f[0].reason,
      /periodSeconds=5, timeoutSeconds=2, successThreshold=2, failureThreshold=3/,
    );
    assert.equal(f[0].file, "fixtures/shop.yaml");
    assert.equal(f[0].document, 3);
  });

  it("is deterministic: converting twice gives identical YAML", () => {
    const again = convert([fixture("shop.yaml")]);
    assert.equal(toYaml(again.objects), toYaml(r.objects));
    assert.deepEqual(again.findings, r.findings);
  });
});
