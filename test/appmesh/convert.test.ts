// Converter behaviour on meshlift's own fixtures (routes, retries, timeouts, TLS, gateways, API/CFN input).
import * as assert from "node:assert/strict";
import { convert, InputError, toYaml, validateIstioObjects } from "../../appmesh";
import { findingsFor, fixture, httpRoute, httpRoutes, obj } from "./helpers";

describe("convert: VirtualRouter -> VirtualService", () => {
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

describe("convert: VirtualGateway and GatewayRoutes", () => {
  const r = convert([fixture("gateway.yaml")]);

  it("validates", async () => {
    assert.deepEqual(await validateIstioObjects(r.objects), []);
  });

  it("emits a Gateway from the listeners with the pod selector; ACM certificates are blockers", () => {
    const gw = obj(r, "Gateway", "store", "edge");
    assert.deepEqual(gw.spec.selector, { app: "edge-gw" });
    assert.deepEqual(gw.spec.servers, [
      {
        port: { number: 8443, name: "https-8443", protocol: "HTTPS" },
        hosts: ["*"],
        tls: { mode: "SIMPLE", credentialName: "edge-8443-tls" },
      },
    ]);
    const f = findingsFor(r, "VirtualGateway store/edge", "spec.listeners[0].tls.certificate.acm");
    assert.equal(f[0]?.severity, "blocker");
  });

  it("binds one VirtualService per gateway and host, priority first, then most specific", () => {
    const vs = obj(r, "VirtualService", "store", "edge-routes");
    assert.deepEqual(vs.spec.gateways, ["store/edge"]);
    assert.deepEqual(vs.spec.hosts, ["*"]);
    assert.deepEqual(
      httpRoutes(vs).map((x) => x.name),
      ["api-v2-keep-path", "legacy", "api-default"],
    );
    const admin = obj(r, "VirtualService", "store", "edge-admin.example.com");
    assert.deepEqual(admin.spec.hosts, ["admin.example.com"]);
  });

  it("makes App Mesh's default prefix and Host rewrites explicit, and honours overrides", () => {
    const vs = obj(r, "VirtualService", "store", "edge-routes");
    assert.deepEqual(httpRoute(vs, "api-default").rewrite, {
      uri: "/",
      authority: "catalog.store.svc.cluster.local",
    });
    assert.equal(httpRoute(vs, "api-v2-keep-path").rewrite, undefined);
    const legacy = httpRoute(vs, "legacy");
    assert.deepEqual(legacy.rewrite, {
      uri: "/items",
      authority: "catalog.store.svc.cluster.local",
    });
    assert.deepEqual(legacy.route[0].destination.port, { number: 7000 });
  });

  it("maps gRPC service/method and metadata matches and gRPC retry events", () => {
    const route = httpRoute(obj(r, "VirtualService", "store", "prices"), "get-price");
    assert.deepEqual(route.match, [
      { uri: { exact: "/store.Pricer/GetPrice" }, headers: { tenant: { prefix: "acme" } } },
    ]);
    assert.deepEqual(route.retries, {
      attempts: 2,
      perTryTimeout: "1s",
      retryOn: "deadline-exceeded,unavailable",
    });
  });

  it("warns when a gRPC listener sits behind a Service port Istio would not read as gRPC", () => {
    const f = findingsFor(r, "VirtualNode store/pricer", "spec.listeners[0].portMapping.protocol");
    assert.equal(f[0]?.severity, "warning");
    assert.match(f[0].reason, /name it grpc-50051 or set appProtocol: grpc/);
  });

  it("maps tcp routes and their idle timeout; warns on fields the CRD does not define", () => {
    const vs = obj(r, "VirtualService", "store", "database");
    assert.deepEqual(vs.spec.tcp, [
      { match: [{ port: 5432 }], route: [{ destination: { host: "db.store.svc.cluster.local" } }] },
    ]);
    assert.deepEqual(obj(r, "DestinationRule", "store", "db").spec.trafficPolicy, {
      connectionPool: { tcp: { idleTimeout: "600s" } },
    });
    const f = findingsFor(
      r,
      "VirtualRouter store/database",
      "spec.routes[0].tcpRoute.match.prefix",
    );
    assert.equal(f[0]?.severity, "warning");
  });
});

describe("convert: kubectl List, Cloud Map, external hosts", () => {
  const r = convert([fixture("cloudmap-list.yaml")]);

  it("validates", async () => {
    assert.deepEqual(await validateIstioObjects(r.objects), []);
  });

  it("routes Cloud Map nodes sharing a Service to subsets from their pod selectors", () => {
    const route = httpRoute(obj(r, "VirtualService", "bank", "ledger"), "split");
    assert.deepEqual(
      route.route.map((d) => [d.destination.host, d.destination.subset, d.weight]),
      [
        ["ledger.bank.svc.cluster.local", "ledger-blue", 90],
        ["ledger.bank.svc.cluster.local", "ledger-green", 10],
        ["ledger-archive.bank.svc.cluster.local", undefined, 0],
      ],
    );
    const dr = obj(r, "DestinationRule", "bank", "ledger");
    assert.deepEqual(dr.spec.subsets, [
      { name: "ledger-blue", labels: { app: "ledger", color: "blue" } },
      { name: "ledger-green", labels: { app: "ledger", color: "green" } },
    ]);
  });

  it("reports a route to an undefined node and Cloud Map without a Service as a blocker", () => {
    const undef = findingsFor(r, "VirtualRouter bank/ledger").filter((f) =>
      f.reason.includes("ledger-archive"),
    );
    assert.equal(undef[0]?.severity, "warning");
    const teller = findingsFor(r, "VirtualNode bank/teller", "spec.serviceDiscovery.awsCloudMap");
    assert.equal(teller[0]?.severity, "blocker");
  });

  it("turns an external DNS node into a MESH_EXTERNAL ServiceEntry and allows it in the caller's Sidecar", () => {
    const se = obj(r, "ServiceEntry", "bank", "rates-api");
    assert.deepEqual(se.spec, {
      hosts: ["api.rates.example.com"],
      ports: [{ number: 443, name: "tcp-443", protocol: "TCP" }],
      location: "MESH_EXTERNAL",
      resolution: "DNS",
    });
    const hosts = (obj(r, "Sidecar", "bank", "teller").spec.egress as { hosts: string[] }[])[0]
      .hosts;
    assert.ok(hosts.includes("*/api.rates.example.com"), hosts.join(","));
  });

  it("warns on clientPolicy.tls.mode (not in the CRD) and maps client TLS to the DestinationRules", () => {
    const f = findingsFor(
      r,
      "VirtualNode bank/teller",
      "spec.backendDefaults.clientPolicy.tls.mode",
    );
    assert.equal(f[0]?.severity, "warning");
    assert.equal(f[0]?.document, 0);
    const ext = obj(r, "DestinationRule", "bank", "api.rates.example.com");
    assert.deepEqual(ext.spec.trafficPolicy, {
      tls: { mode: "SIMPLE", caCertificates: "/certs/ca.pem" },
    });
  });
});

describe("convert: AWS API JSON and CloudFormation", () => {
  const r = convert([fixture("api-route.json"), fixture("cfn.json")], { namespace: "payments" });

  it("validates, in the namespace given for input that has none", async () => {
    assert.deepEqual(await validateIstioObjects(r.objects), []);
    assert.ok(r.objects.every((o) => o.metadata.namespace === "payments"));
  });

  it("converts a lone API route: names become DNS names, weights, retries survive, range is flagged", () => {
    const vs = obj(r, "VirtualService", "payments", "card-router");
    const route = httpRoute(vs, "card-route");
    assert.deepEqual(
      route.route.map((d) => [d.destination.host, d.weight]),
      [
        ["cardv1.payments.svc.cluster.local", 60],
        ["cardv2.payments.svc.cluster.local", 40],
      ],
    );
    assert.deepEqual(route.retries, {
      attempts: 5,
      perTryTimeout: "2s",
      retryOn: "502,503,504,reset",
    });
    assert.equal(route.timeout, undefined, "perRequest 0 disables the timeout");
    assert.deepEqual(route.match![0].headers, { "x-tenant": { regex: "^(1|2|3)$" } });
    const src = "Route payments/card-router/card-route";
    assert.ok(findingsFor(r, src, "spec.httpRoute.match.headers[0].match.range").length === 1);
    assert.ok(findingsFor(r, src, "spec.httpRoute.timeout.idle").length === 1);
    assert.ok(
      findingsFor(r, "VirtualRouter payments/card-router").length >= 1,
      "made-up router reported",
    );
  });

  it("resolves CloudFormation Ref/Sub/Join/GetAtt and string numbers", () => {
    const vs = obj(r, "VirtualService", "payments", "ledger.prod.svc.cluster.local");
    assert.deepEqual(vs.spec.hosts, ["ledger.prod.svc.cluster.local"]);
    const route = httpRoute(vs, "main");
    assert.deepEqual(route.route, [{ destination: { host: "ledger.prod.svc.cluster.local" } }]);
    assert.deepEqual(route.retries, {
      attempts: 1,
      perTryTimeout: "3s",
      retryOn: "500,501,502,503,504,505,506,507,508,510,511,reset",
    });
  });
});

describe("convert: invalid input", () => {
  it("names a misspelt field next to the required one it should have been", () => {
    const content = [
      "apiVersion: appmesh.k8s.aws/v1beta2",
      "kind: VirtualNode",
      "metadata: {name: x, namespace: y}",
      "spec:",
      "  listeners:",
      "    - portMapping: {port: 80, protocol: http}",
      "      tls: {mode: STRICT, certificate: {acm: {certificateArn: 'arn:x'}}}",
    ].join("\n");
    assert.throws(
      () => convert([{ path: "n.yaml", content }]),
      (e: unknown) =>
        e instanceof InputError &&
        e.reason.includes("spec.listeners[0].tls.certificate.acm.certificateARN") &&
        e.reason.includes(
          "spec.listeners[0].tls.certificate.acm.certificateArn: not defined by the CRD",
        ),
    );
  });

  it("rejects v1beta1 with an upgrade hint, naming the file and document", () => {
    assert.throws(
      () => convert([fixture("v1beta1.yaml")]),
      (e: unknown) =>
        e instanceof InputError &&
        e.file === "fixtures/v1beta1.yaml" &&
        e.document === 0 &&
        /appmesh.k8s.aws\/v1beta1.*upgrade to appmesh.k8s.aws\/v1beta2/.test(e.reason),
    );
  });

  it("rejects an out-of-range weight naming the object, the field and the limit", () => {
    assert.throws(
      () => convert([fixture("bad-weight.yaml")]),
      (e: unknown) =>
        e instanceof InputError &&
        e.document === 1 &&
        e.reason.includes("VirtualRouter ns/r") &&
        e.reason.includes("spec.routes[0].httpRoute.action.weightedTargets[0].weight") &&
        e.reason.includes("(given: 150)") &&
        /100/.test(e.reason),
    );
  });

  it("rejects YAML syntax errors and non-App Mesh documents with the document index", () => {
    assert.throws(
      () => convert([{ path: "x.yaml", content: "a: 1\n---\nkey: [unclosed\n" }]),
      (e: unknown) =>
        e instanceof InputError && e.document === 1 && /not valid YAML/.test(e.reason),
    );
    assert.throws(
      () =>
        convert([{ path: "y.yaml", content: "apiVersion: v1\nkind: ConfigMap\n---\nfoo: bar\n" }]),
      (e: unknown) =>
        e instanceof InputError && e.document === 1 && /not an App Mesh document/.test(e.reason),
    );
  });
});
