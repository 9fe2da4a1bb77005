// The istio config section: defaults, chart and image sources, mode, ingress API and conversion target, and errors that name the key.
import * as assert from "node:assert/strict";
import { ConfigError } from "../../../config/errors";
import { conversionTarget, needsGatewayApi } from "../../../config/sections/istio";
import { GATEWAY_API } from "../../../config/versions";
import { parseStack as parse, stackProblems as problems } from "../../support/config";

describe("config: istio", () => {
  it("defaults to sidecar mode, HA istiod, JSON access logs and an internet-facing gateway", () => {
    const c = parse({});
    assert.equal(c.istio.mode, "sidecar");
    assert.equal(c.istio.istiod.autoscaleMin, 2);
    assert.equal(c.istio.istiod.autoscaleMax, 5);
    assert.equal(c.istio.accessLog.file, "/dev/stdout");
    assert.equal(c.istio.accessLog.encoding, "JSON");
    assert.equal(c.istio.proxy.concurrency, 2);
    assert.equal(c.istio.gateway.namespace, "istio-ingress");
    assert.equal(c.istio.gateway.scheme, "internet-facing");
    assert.equal(c.istio.gateway.dedicatedNodes, undefined);
  });

  it("takes Istio's charts from blob.istio.io and its images from docker.io/istio unless mirrored", () => {
    const c = parse({});
    assert.equal(c.istio.chartRepository, "https://blob.istio.io/istio-release/charts");
    assert.equal(c.istio.hub, "docker.io/istio");
    const m = parse({
      "meshlift:istio.chartRepository": "oci://registry.corp.example/istio/charts/",
      "meshlift:istio.hub": "registry.corp.example:5000/istio",
    });
    assert.equal(m.istio.chartRepository, "oci://registry.corp.example/istio/charts");
    assert.equal(m.istio.hub, "registry.corp.example:5000/istio");
  });

  it("refuses a retired Istio host anywhere in the config, saying where to point instead", () => {
    const msg = problems({
      "meshlift:istio.chartRepository": "https://istio-release.storage.googleapis.com/charts",
      "meshlift:istio.hub": "gcr.io/istio-release",
      "meshlift:appmesh": JSON.stringify({
        controller: {
          version: "1.13.1",
          values: { sidecar: { image: { repository: "registry.istio.io/release/proxyv2" } } },
        },
      }),
    });
    assert.match(
      msg,
      /meshlift:istio\.chartRepository \(given: "https:\/\/istio-release\.storage\.googleapis\.com\/charts"\): points at istio-release\.storage\.googleapis\.com, which is gone: .*https:\/\/blob\.istio\.io\/istio-release\/charts .*oci:\/\/ghcr\.io\/istio\/release\/charts.*docker\.io\/istio/,
    );
    assert.match(
      msg,
      /meshlift:istio\.hub \(given: "gcr\.io\/istio-release"\): points at gcr\.io\/istio-release/,
    );
    assert.match(
      msg,
      /meshlift:appmesh\.controller\.values\.sidecar\.image\.repository .*points at registry\.istio\.io/,
    );
    assert.match(problems({ "meshlift:istio.hub": "https://docker.io/istio" }), /without a scheme/);
    assert.match(
      problems({ "meshlift:istio.chartRepository": "http://charts.example.com" }),
      /https:\/\/ Helm repository or an oci:\/\/ registry/,
    );
    // Look-alike hosts are not retired ones.
    assert.equal(
      parse({ "meshlift:istio.hub": "myregistry.istio.io.example.com/istio" }).istio.hub.length > 0,
      true,
    );
  });

  it("reads the dotted key meshlift:istio.mode", () => {
    assert.equal(parse({ "meshlift:istio.mode": "ambient" }).istio.mode, "ambient");
  });

  it("rejects an unknown mode, a single istiod and numeric CPU, naming each key", () => {
    const msg = problems({
      "meshlift:istio": JSON.stringify({
        mode: "sidecarless",
        istiod: { autoscaleMin: 1 },
        gateway: { resources: { limits: { cpu: 2 } } },
      }),
    });
    assert.match(
      msg,
      /meshlift:istio\.mode \(given: "sidecarless"\): must be one of: "sidecar", "ambient"/,
    );
    assert.match(msg, /meshlift:istio\.istiod\.autoscaleMin \(given: 1\): must be >= 2/);
    assert.match(msg, /meshlift:istio\.gateway\.resources\.limits\.cpu \(given: 2\)/);
  });

  it("rejects max below min and suggests the right key for a typo", () => {
    const msg = problems({
      "meshlift:istio": JSON.stringify({
        istiod: { autoscaleMin: 4, autoscaleMax: 3 },
        gatway: {},
      }),
    });
    assert.match(msg, /istio\.istiod\.autoscaleMax \(given: 3\): must be >= autoscaleMin \(4\)/);
    assert.match(msg, /istio\.gatway.*did you mean meshlift:istio\.gateway/);
  });
});

describe("istio.ingressApi and the conversion target", () => {
  const istio = (v: unknown) => ({ "meshlift:istio": JSON.stringify(v) });

  it("defaults to Istio APIs in sidecar mode and Gateway API in ambient mode", () => {
    const sidecar = parse({});
    assert.equal(sidecar.istio.ingressApi, undefined);
    assert.equal(conversionTarget(sidecar.istio), "istio");
    assert.equal(needsGatewayApi(sidecar.istio), false);
    assert.equal(conversionTarget(parse(istio({ mode: "ambient" })).istio), "ambient");
    const gw = parse(istio({ ingressApi: "gateway-api" })).istio;
    assert.equal(conversionTarget(gw), "gateway-api");
    assert.equal(needsGatewayApi(gw), true);
    assert.equal(gw.gatewayApiCrds.install, true);
    assert.equal(gw.gatewayApiCrds.manifest, GATEWAY_API.manifest);
    const mirrored = "https://artifacts.example.com/gateway-api/v1.5.1/standard-install.yaml";
    assert.equal(
      parse(istio({ ingressApi: "gateway-api", gatewayApiCrds: { manifest: mirrored } })).istio
        .gatewayApiCrds.manifest,
      mirrored,
    );
  });

  it("refuses an unknown ingress API, and Istio APIs in ambient mode, naming the key", () => {
    for (const [v, msg] of [
      [{ ingressApi: "ingress-nginx" }, /meshlift:istio\.ingressApi.*"ingress-nginx"/s],
      [{ ingressApi: { __proto__: "x" } }, /meshlift:istio\.ingressApi/],
      [{ mode: "ambient", ingressApi: "istio" }, /must be "gateway-api" in ambient mode/],
      [{ gatewayApiCrds: { install: "yes" } }, /meshlift:istio\.gatewayApiCrds\.install/],
      [
        { gatewayApiCrds: { manifest: "http://mirror.example.com/standard-install.yaml" } },
        /meshlift:istio\.gatewayApiCrds\.manifest.*must be an https:\/\/ URL or a path of a \.yaml file/s,
      ],
      [
        { gatewayApiCrds: { manifest: "x".repeat(5000) } },
        /meshlift:istio\.gatewayApiCrds\.manifest/,
      ],
      [{ gatewayApiCrds: { manifest: ["a.yaml"] } }, /meshlift:istio\.gatewayApiCrds\.manifest/],
    ] as const) {
      assert.throws(
        () => parse(istio(v)),
        (e: unknown) => e instanceof ConfigError && msg.test(e.message),
        JSON.stringify(v),
      );
    }
  });
});
