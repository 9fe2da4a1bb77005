// Golden tests over the real App Mesh corpus in ../shared/appmesh-examples (skipped with a note when absent).
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { convert, InputError, toYaml, validateIstioObjects } from "../../appmesh";
import { EXAMPLES, findingsFor, httpRoute, httpRoutes, obj, source, exampleFiles } from "./helpers";

const present = fs.existsSync(EXAMPLES);

const files = exampleFiles;

function run(rel: string) {
  return convert([source(path.join(EXAMPLES, rel))]);
}

describe("golden: ../shared/appmesh-examples", function () {
  before(function () {
    if (!present) {
      console.log(`    (skipped: ${EXAMPLES} is not present; the fixture tests still run)`);
      this.skip();
    }
  });

  describe("every k8s/ and api/ file converts to valid, deterministic Istio", () => {
    for (const dir of ["k8s", "api"]) {
      // Listed at load time: the suite is defined even when the folder is absent (then it is skipped).
      for (const p of files(dir)) {
        it(`${dir}/${path.basename(p)}`, async () => {
          const r = convert([source(p)]);
          assert.deepEqual(await validateIstioObjects(r.objects), []);
          assert.ok(r.findings.every((f) => f.reason.length > 0 && f.source.length > 0));
          assert.equal(toYaml(convert([source(p)]).objects), toYaml(r.objects));
        });
      }
    }
  });

  it("converts the whole corpus at once (name clashes across files get distinct names)", async () => {
    const all = [...files("k8s"), ...files("api")].map(source);
    const r = convert(all);
    assert.deepEqual(await validateIstioObjects(r.objects), []);
    const ids = r.objects.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`);
    assert.equal(new Set(ids).size, ids.length);
  });

  it("djapp: 95/5 canary weights survive", () => {
    const r = run("k8s/djapp.yaml");
    const route = httpRoute(obj(r, "VirtualService", "prod", "jazz"), "jazz-route");
    assert.deepEqual(
      route.route.map((d) => [d.destination.host, d.weight]),
      [
        ["jazz-v1.prod.svc.cluster.local", 95],
        ["jazz-v2.prod.svc.cluster.local", 5],
      ],
    );
  });

  it("metrics-extension: 60/40 weights survive", () => {
    const r = run("k8s/howto-k8s-metrics-extension.yaml");
    const vs = obj(r, "VirtualService", "howto-metrics-extension", "metal");
    assert.deepEqual(
      httpRoutes(vs)[0].route.map((d) => d.weight),
      [60, 40],
    );
  });

  it("ipv6.dns: five equal targets become 20 each", () => {
    const r = run("k8s/howto-k8s-ipv6.dns.yaml");
    const vs = obj(r, "VirtualService", "howto-k8s-ipv6", "color");
    assert.deepEqual(
      httpRoutes(vs)[0].route.map((d) => d.weight),
      [20, 20, 20, 20, 20],
    );
  });

  it("http-headers: header matches, presence check and priority order survive", () => {
    const r = run("k8s/howto-k8s-http-headers.yaml");
    const vs = obj(r, "VirtualService", "howto-k8s-http-headers", "color");
    assert.deepEqual(
      httpRoutes(vs).map((x) => [x.name, x.match?.[0].headers]),
      [
        ["color-route-blue", { color_header: { exact: "blue" } }],
        ["color-route-green", { color_header: { regex: ".*green.*" } }],
        ["color-route-red", { color_header: { prefix: "red" } }],
        ["color-route-yellow", { color_header: {} }],
        ["color-route-white", undefined],
      ],
    );
  });

  it("retry-policy: 4 retries, 2000ms per try, server-error codes + reset", () => {
    const r = run("k8s/howto-k8s-retry-policy.retries-enabled.yaml");
    const route = httpRoute(
      obj(r, "VirtualService", "howto-k8s-retry-policy", "color"),
      "color-route",
    );
    assert.deepEqual(route.retries, {
      attempts: 4,
      perTryTimeout: "2000ms",
      retryOn: "500,501,502,503,504,505,506,507,508,510,511,reset",
    });
  });

  it("timeout-policy: 60s route and listener timeouts survive; Cloud Map hosts are blockers", () => {
    const r = run("k8s/howto-k8s-timeout-policy.yaml");
    const vs = obj(r, "VirtualService", "howto-k8s-timeout-policy", "colorapp");
    assert.equal(httpRoute(vs, "color-route").timeout, "60s");
    assert.ok(
      findingsFor(r, "VirtualService howto-k8s-timeout-policy/colorapp", "spec.awsName").some(
        (f) => f.severity === "blocker",
      ),
    );
  });

  it("multiple-listeners: ports on matches and destinations survive", () => {
    const r = run("k8s/howto-k8s-multiple-listeners.yaml");
    const vs = obj(r, "VirtualService", "colors", "color-headers");
    assert.deepEqual(
      httpRoutes(vs).map((x) => [x.match?.[0].port, x.route[0].destination.port]),
      [
        [8080, { number: 8080 }],
        [8090, { number: 8090 }],
      ],
    );
  });

  it("http-ingress-v2: gateway route order, default and explicit rewrites", () => {
    const r = run("k8s/howto-k8s-http-ingress-v2.yaml");
    const vs = obj(r, "VirtualService", "howto-k8s-http-ingress-v2", "ingress-gw-routes");
    assert.deepEqual(vs.spec.gateways, ["howto-k8s-http-ingress-v2/ingress-gw"]);
    const names = httpRoutes(vs).map((x) => x.name);
    assert.equal(names[0], "path-match", "priority 0 first");
    assert.ok(
      names.indexOf("prefix-match") < names.indexOf("method-match"),
      "/paths before catch-all /",
    );
    assert.deepEqual(httpRoute(vs, "rewrite-prefix").rewrite?.uri, "/red/");
    assert.deepEqual(httpRoute(vs, "rewrite-path").rewrite?.uri, "/blue");
    assert.deepEqual(httpRoute(vs, "prefix-match").rewrite, {
      uri: "/",
      authority: "color-paths.howto-k8s-http-ingress-v2.svc.cluster.local",
    });
    assert.deepEqual(httpRoute(vs, "query-match").match?.[0].queryParams, {
      color_type: { exact: "white" },
    });
  });

  it("grpc: service/method match becomes the gRPC path", () => {
    const r = run("k8s/howto-k8s-grpc.yaml");
    const route = httpRoute(obj(r, "VirtualService", "howto-k8s-grpc", "color"), "route");
    assert.deepEqual(route.match?.[0].uri, { exact: "/color.ColorService/GetColor" });
  });

  it("outlier-detection and connection-pools: values survive", () => {
    const od = run("k8s/howto-k8s-outlier-detection.yaml");
    const dr = obj(od, "DestinationRule", "howto-k8s-outlier-detection", "colorapp");
    assert.deepEqual((dr.spec.trafficPolicy as { outlierDetection: unknown }).outlierDetection, {
      consecutive5xxErrors: 5,
      interval: "10s",
      baseEjectionTime: "10s",
      maxEjectionPercent: 50,
    });
    const cp = run("k8s/howto-k8s-connection-pools.yaml");
    assert.deepEqual(
      obj(cp, "Sidecar", "howto-k8s-connection-pools", "green").spec.inboundConnectionPool,
      {
        tcp: { maxConnections: 10 },
        http: { http1MaxPendingRequests: 10 },
      },
    );
  });

  it("connection-pools: the gateway listener pool becomes a DestinationRule selecting the gateway pods", () => {
    const r = run("k8s/howto-k8s-connection-pools.yaml");
    const dr = obj(r, "DestinationRule", "howto-k8s-connection-pools", "ingress-gw-color-paths");
    assert.deepEqual(dr.spec, {
      host: "color-paths.howto-k8s-connection-pools.svc.cluster.local",
      workloadSelector: { matchLabels: { app: "ingress-gw" } },
      exportTo: ["."],
      trafficPolicy: {
        connectionPool: { tcp: { maxConnections: 5 }, http: { http1MaxPendingRequests: 5 } },
      },
    });
  });

  it("egress: DROP_ALL becomes REGISTRY_ONLY", () => {
    const r = run("k8s/howto-k8s-egress.yaml");
    assert.deepEqual(obj(r, "Sidecar", "howto-k8s-egress", "front").spec.outboundTrafficPolicy, {
      mode: "REGISTRY_ONLY",
    });
  });

  it("api: retries, header prefix and the 20s timeout survive", () => {
    const retries = run("api/howto-http-retries.blue-route.json");
    assert.deepEqual(httpRoutes(retries.objects[0])[0].retries, {
      attempts: 10,
      perTryTimeout: "100ms",
      retryOn: "500,501,502,503,504,505,506,507,508,510,511,reset",
    });
    const headers = run("api/howto-http-headers.color-route.json");
    assert.deepEqual(httpRoutes(headers.objects[0])[0].match?.[0].headers, {
      color_header: { prefix: "redorgreen" },
    });
    const timeout = run("api/howto-timeout-policy.colorteller-route-timeout20s.json");
    const t = httpRoutes(timeout.objects[0])[0];
    assert.equal(t.timeout, "20s");
    assert.equal(t.route[0].destination.host, "colortellerwhite.default.svc.cluster.local");
  });

  it("cfn: resolves the template and reports what only deployment knows", () => {
    const r = run("api/cfn.howto-ecs-basics.3-routing.json");
    const vs = r.objects.find((o) => o.kind === "VirtualService")!;
    assert.deepEqual(
      httpRoutes(vs)[0].route.map((d) => d.weight),
      [50, 50],
    );
    assert.ok(r.findings.some((f) => /Fn::GetAtt ColorServiceRegistry.Name/.test(f.reason)));
  });

  it("invalid/: rejected with the file, the document index and a reason", () => {
    for (const p of files("invalid")) {
      assert.throws(
        () => convert([source(p)]),
        (e: unknown) =>
          e instanceof InputError && e.file === p && e.document === 0 && /line \d+/.test(e.reason),
      );
    }
  });
});
