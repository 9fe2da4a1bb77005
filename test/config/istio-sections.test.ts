// Tests the istio, security and observability config sections: defaults, and errors that name the key.
import * as assert from "node:assert/strict";
import { GATEWAY_API } from "../../config/versions";
import { ConfigError } from "../../config/errors";
import { parseConfig } from "../../config/load";
import {
  observabilityProblems,
  observabilitySchema,
  resolveObservability,
} from "../../config/sections/observability";
import { conversionTarget, needsGatewayApi } from "../../config/sections/istio";

const BASE: Record<string, string> = {
  "aws:region": "eu-west-1",
  "meshlift:environment": "dev",
  "meshlift:cluster": JSON.stringify({ mode: "existing", name: "c" }),
};

function parse(extra: Record<string, string>) {
  return parseConfig("test", { ...BASE, ...extra });
}

function problems(extra: Record<string, string>): string {
  try {
    parse(extra);
  } catch (e) {
    if (e instanceof ConfigError) return e.message;
    throw e;
  }
  assert.fail("expected a ConfigError");
}

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

describe("config: security", () => {
  it("defaults to no strict mTLS, no policies", () => {
    const s = parse({}).security;
    assert.deepEqual(s, { strictMtls: false, defaultDenyNamespaces: [], allow: [], jwt: [] });
  });

  it("refuses an allow rule without a source and a plain-http JWKS URI", () => {
    const msg = problems({
      "meshlift:security": JSON.stringify({
        allow: [{ name: "open", namespace: "shop", methods: ["GET"] }],
        jwt: [{ name: "a", issuer: "i", jwksUri: "http://x/jwks" }],
      }),
    });
    assert.match(msg, /security\.allow\.0\.principals: an allow rule needs at least one source/);
    assert.match(msg, /security\.jwt\.0\.jwksUri .*https/);
  });
});

describe("config: observability", () => {
  it("turns everything on in dev and off elsewhere unless set", () => {
    const dev = resolveObservability("dev", observabilitySchema.parse({}));
    assert.deepEqual(
      [dev.prometheus, dev.kiali, dev.tracing, dev.containerInsights],
      [true, true, true, true],
    );
    const prod = resolveObservability("prod", observabilitySchema.parse({}));
    assert.deepEqual(
      [prod.prometheus, prod.kiali, prod.tracing, prod.containerInsights],
      [false, false, false, false],
    );
    const some = resolveObservability(
      "prod",
      observabilitySchema.parse({ containerInsights: { enabled: true } }),
    );
    assert.equal(some.containerInsights, true);
    assert.equal(some.samplingPercentage, 1);
  });

  it("refuses Kiali without any Prometheus", () => {
    const problems = observabilityProblems(
      resolveObservability("dev", observabilitySchema.parse({ prometheus: { enabled: false } })),
    );
    assert.deepEqual(
      problems.map((p) => p.key),
      ["meshlift:observability.kiali.enabled"],
    );
    assert.match(problems[0].message, /Kiali needs Prometheus/);
    assert.throws(
      () =>
        parseConfig("s", {
          ...BASE,
          "meshlift:observability": JSON.stringify({ prometheus: { enabled: false } }),
        }),
      (e: unknown) =>
        e instanceof ConfigError &&
        /meshlift:observability\.kiali\.enabled.*Kiali needs Prometheus/.test(e.message),
    );
  });

  it("rejects a sampling rate above 100", () => {
    assert.match(
      problems({
        "meshlift:observability": JSON.stringify({ tracing: { samplingPercentage: 150 } }),
      }),
      /observability\.tracing\.samplingPercentage \(given: 150\): must be <= 100/,
    );
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
