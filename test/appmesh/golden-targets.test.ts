// Golden tests of the gateway-api and ambient targets over ../shared/appmesh-examples (skipped when absent).
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { convert, Target, toYaml, validateObjects } from "../../appmesh";
import { EXAMPLES, findingsFor, obj, rule, rules, source, exampleFiles } from "./helpers";

const present = fs.existsSync(EXAMPLES);

const files = exampleFiles;

const run = (rel: string, target: Target) =>
  convert([source(path.join(EXAMPLES, rel))], { target });

describe("golden (gateway-api, ambient): ../shared/appmesh-examples", function () {
  before(function () {
    if (!present) {
      console.log(`    (skipped: ${EXAMPLES} is not present; the fixture tests still run)`);
      this.skip();
    }
  });

  for (const target of ["gateway-api", "ambient"] as const) {
    describe(`${target}: every k8s/ and api/ file converts to valid, deterministic objects`, () => {
      for (const p of [...files("k8s"), ...files("api")]) {
        it(`${path.basename(p)}`, async () => {
          const r = convert([source(p)], { target });
          assert.deepEqual(await validateObjects(r.objects), []);
          assert.equal(toYaml(convert([source(p)], { target }).objects), toYaml(r.objects));
          if (target === "ambient") assert.ok(r.objects.every((o) => o.kind !== "Sidecar"));
          assert.ok(
            r.objects.every((o) => o.kind !== "VirtualService"),
            "routes are Gateway API routes",
          );
        });
      }
    });
  }

  it("djapp: the 95/5 canary keeps its weights, one version per Service", () => {
    for (const target of ["gateway-api", "ambient"] as const) {
      const jazz = rule(
        obj(run("k8s/djapp.yaml", target), "HTTPRoute", "prod", "jazz"),
        "jazz-route",
      );
      assert.deepEqual(
        jazz.backendRefs.map((b) => [b.name, b.port, b.weight]),
        [
          ["jazz-v1", 9080, 95],
          ["jazz-v2", 9080, 5],
        ],
      );
      assert.deepEqual(jazz.timeouts, { request: "15s" });
    }
  });

  it("metrics-extension 60/40 and ipv6.dns 1:1:1:1:1 keep their ratios", () => {
    const metal = obj(
      run("k8s/howto-k8s-metrics-extension.yaml", "gateway-api"),
      "HTTPRoute",
      "howto-metrics-extension",
      "metal",
    );
    assert.deepEqual(
      rules(metal)[0].backendRefs.map((b) => b.weight),
      [60, 40],
    );
    const color = obj(
      run("k8s/howto-k8s-ipv6.dns.yaml", "ambient"),
      "HTTPRoute",
      "howto-k8s-ipv6",
      "color",
    );
    assert.deepEqual(
      rules(color)[0].backendRefs.map((b) => b.weight),
      [1, 1, 1, 1, 1],
    );
  });

  it("http-headers: header matches in App Mesh's priority order, presence as a regex", () => {
    const vs = obj(
      run("k8s/howto-k8s-http-headers.yaml", "gateway-api"),
      "HTTPRoute",
      "howto-k8s-http-headers",
      "color",
    );
    assert.deepEqual(
      rules(vs).map((x) => [x.name, x.matches?.[0].headers]),
      [
        ["color-route-blue", [{ type: "Exact", name: "color_header", value: "blue" }]],
        [
          "color-route-green",
          [{ type: "RegularExpression", name: "color_header", value: ".*green.*" }],
        ],
        ["color-route-red", [{ type: "RegularExpression", name: "color_header", value: "^red.*" }]],
        ["color-route-yellow", [{ type: "RegularExpression", name: "color_header", value: ".*" }]],
        ["color-route-white", undefined],
      ],
    );
  });

  it("retry-policy: retries are a warning (no standard-channel field), the timeout stays", () => {
    const r = run("k8s/howto-k8s-retry-policy.retries-enabled.yaml", "gateway-api");
    const f = findingsFor(
      r,
      "VirtualRouter howto-k8s-retry-policy/color",
      "spec.routes[0].httpRoute.retryPolicy",
    );
    assert.equal(f[0]?.severity, "warning");
    assert.match(
      f[0].reason,
      /^4 retries on 500,501,502,503,504,505,506,507,508,510,511,reset are not carried/,
    );
    assert.deepEqual(
      rule(obj(r, "HTTPRoute", "howto-k8s-retry-policy", "color"), "color-route").timeouts,
      {
        request: "15s",
      },
    );
  });

  it("api: the 20s route timeout becomes timeouts.request; ten retries are reported", () => {
    const t = run("api/howto-timeout-policy.colorteller-route-timeout20s.json", "gateway-api");
    assert.deepEqual(
      rule(obj(t, "HTTPRoute", "default", "colorteller-vr"), "colorteller-route").timeouts,
      { request: "20s" },
    );
    const retries = run("api/howto-http-retries.blue-route.json", "ambient");
    assert.ok(
      retries.findings.some((f) => f.severity === "warning" && /^10 retries on/.test(f.reason)),
    );
  });

  it("multiple-listeners: one route per listener port, attached with the port", () => {
    const r = run("k8s/howto-k8s-multiple-listeners.yaml", "gateway-api");
    assert.deepEqual(obj(r, "HTTPRoute", "colors", "color-headers-8080").spec.parentRefs, [
      { group: "", kind: "Service", name: "color-headers", port: 8080 },
    ]);
    assert.deepEqual(rules(obj(r, "HTTPRoute", "colors", "color-headers-8090"))[0].backendRefs, [
      { name: "color-white", port: 8090 },
    ]);
  });

  it("http-ingress-v2: Gateway, rewrites, and the waypoint carrying the router's routes for gateway traffic", () => {
    const r = run("k8s/howto-k8s-http-ingress-v2.yaml", "ambient");
    const edge = obj(r, "HTTPRoute", "howto-k8s-http-ingress-v2", "ingress-gw-routes");
    assert.equal(rules(edge)[0].name, "path-match", "priority 0 first");
    assert.deepEqual(rule(edge, "rewrite-prefix").filters?.[0].urlRewrite.path, {
      type: "ReplacePrefixMatch",
      replacePrefixMatch: "/red/",
    });
    assert.deepEqual(rule(edge, "rewrite-path").filters?.[0].urlRewrite.path, {
      type: "ReplaceFullPath",
      replaceFullPath: "/blue",
    });
    assert.deepEqual(rule(edge, "query-match").matches?.[0].queryParams, [
      { type: "Exact", name: "color_type", value: "white" },
    ]);
    assert.deepEqual(r.namespaceLabels, {
      "howto-k8s-http-ingress-v2": {
        "istio.io/use-waypoint": "waypoint",
        "istio.io/ingress-use-waypoint": "true",
      },
    });
    // App Mesh tried header-match before method-match; Gateway API precedence prefers a method match.
    assert.ok(
      findingsFor(r, "GatewayRoute howto-k8s-http-ingress-v2/header-match").some((f) =>
        /orders rules by match specificity/.test(f.reason),
      ),
    );
  });

  it("grpc: GRPCRoute method match to the version's own Service; no timeouts is reported", () => {
    const r = run("k8s/howto-k8s-grpc.yaml", "gateway-api");
    const g = rule(obj(r, "GRPCRoute", "howto-k8s-grpc", "color"), "route");
    assert.deepEqual(g.matches, [
      { method: { type: "Exact", service: "color.ColorService", method: "GetColor" } },
    ]);
    // Service `server` selects exactly the node's pods (app=color,version=server), unlike `color` (app=color).
    assert.deepEqual(g.backendRefs, [{ name: "server", port: 8080 }]);
    assert.ok(
      findingsFor(r, "VirtualRouter howto-k8s-grpc/color", "spec.routes[0].grpcRoute.timeout")
        .length === 1,
    );
  });

  it("outlier-detection: the Cloud Map node whose Service has no selector gets its own Service and the DestinationRule", () => {
    const r = run("k8s/howto-k8s-outlier-detection.yaml", "ambient");
    assert.deepEqual(
      obj(r, "Service", "howto-k8s-outlier-detection", "colorapp-pods").spec.selector,
      { app: "colorapp" },
    );
    const dr = obj(r, "DestinationRule", "howto-k8s-outlier-detection", "colorapp-pods");
    assert.deepEqual((dr.spec.trafficPolicy as { outlierDetection: unknown }).outlierDetection, {
      consecutive5xxErrors: 5,
      interval: "10s",
      baseEjectionTime: "10s",
      maxEjectionPercent: 50,
    });
    assert.deepEqual(
      rules(obj(r, "HTTPRoute", "howto-k8s-outlier-detection", "colorapp"))[0].backendRefs,
      [{ name: "colorapp-pods", port: 8080 }],
    );
    const istio = run("k8s/howto-k8s-outlier-detection.yaml", "istio");
    assert.ok(
      findingsFor(istio, "VirtualNode howto-k8s-outlier-detection/colorapp").some(
        (f) => f.severity === "blocker",
      ),
    );
  });

  it("connection-pools: server-side pools at the waypoint, gateway pools on the Istio-deployed gateway pods", () => {
    const r = run("k8s/howto-k8s-connection-pools.yaml", "ambient");
    assert.deepEqual(
      obj(r, "DestinationRule", "howto-k8s-connection-pools", "color-green").spec.trafficPolicy,
      {
        connectionPool: { tcp: { maxConnections: 10 }, http: { http1MaxPendingRequests: 10 } },
      },
    );
    assert.deepEqual(
      obj(r, "DestinationRule", "howto-k8s-connection-pools", "ingress-gw-color-paths").spec
        .workloadSelector,
      {
        matchLabels: { "gateway.networking.k8s.io/gateway-name": "ingress-gw" },
      },
    );
  });

  it("tls-acm and egress: what ambient cannot carry is a finding", () => {
    const acm = run("k8s/howto-k8s-tls-acm.yaml", "ambient");
    assert.ok(
      findingsFor(
        acm,
        "VirtualNode howto-k8s-tls-acm/blue",
        "spec.listeners[0].tls.certificate.acm",
      ).length === 1,
    );
    const egress = run("k8s/howto-k8s-egress.yaml", "ambient");
    assert.equal(
      findingsFor(egress, "Mesh howto-k8s-egress", "spec.egressFilter.type")[0]?.severity,
      "warning",
    );
  });
});
