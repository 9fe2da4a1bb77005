// Converter behaviour on meshlift's own fixtures across read and emit: kubectl Lists, Cloud Map, external hosts, API/CFN input, invalid input.
import * as assert from "node:assert/strict";
import { convert, InputError, validateIstioObjects } from "../../appmesh";
import { findingsFor, fixture, httpRoute, obj } from "./helpers";

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
