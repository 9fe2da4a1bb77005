// The istio target's gateways: a Gateway per VirtualGateway and its GatewayRoutes as bound VirtualServices, with App Mesh's rewrites.
import * as assert from "node:assert/strict";
import { convert, validateIstioObjects } from "../../../../appmesh";
import { findingsFor, fixture, httpRoute, httpRoutes, obj } from "../../helpers";

describe("istio target: VirtualGateway and GatewayRoutes", () => {
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
