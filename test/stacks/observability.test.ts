// Whole-stack test of Observability's part of the plan: what each environment installs, the Container Insights add-on, Grafana and Kiali secrets (the component alone: test/components/observability.test.ts; the values: test/builders/observability.test.ts).
import * as assert from "node:assert/strict";
import { PlanDocument } from "../../plan/offline";
import { HELM_RELEASE } from "../../plan/metrics";
import { kialiValues, TRACING_PROVIDER } from "../../builders/observability";
import {
  observabilityProblems,
  observabilitySchema,
  resolveObservability,
} from "../../config/sections/observability";
import { loadKeys, unknownKeys } from "../support/chart-keys";
import { named, ofType, plan, transitiveDeps } from "../support/plan";

const devObs = resolveObservability("dev", observabilitySchema.parse({}));

describe("Observability in the plan", () => {
  let dev: PlanDocument;
  let prod: PlanDocument;
  before(async () => {
    dev = await plan({ stack: "dev", phase: "parallel" });
    prod = await plan({ stack: "prod", phase: "parallel" });
  });

  it("is all on in dev: Prometheus, Kiali, Jaeger, Telemetry, Container Insights", () => {
    const charts = ofType(dev, HELM_RELEASE).map((r) => r.inputs.chart);
    assert.ok(charts.includes("kube-prometheus-stack"));
    assert.ok(charts.includes("kiali-server"));
    named(dev, "observability-jaeger");
    named(dev, "observability-servicemonitor-istio-component-monitor");
    named(dev, "observability-podmonitor-envoy-stats-monitor");
    const telemetry = named(dev, "observability-telemetry-mesh-default");
    assert.ok(transitiveDeps(dev, telemetry).has(named(dev, "istio-istiod").urn));
    const istiod = named(dev, "istio-istiod").inputs.values as {
      meshConfig: { extensionProviders?: { name: string }[]; accessLogEncoding: string };
    };
    assert.equal(istiod.meshConfig.extensionProviders?.[0].name, TRACING_PROVIDER);
    assert.equal(istiod.meshConfig.accessLogEncoding, "JSON");
  });

  it("runs Container Insights as the EKS add-on with its own IRSA role", () => {
    const addon = named(dev, "observability-cloudwatch");
    assert.equal(addon.type, "aws:eks/addon:Addon");
    assert.equal(addon.inputs.addonName, "amazon-cloudwatch-observability");
    const role = named(dev, "observability-cloudwatch-irsa-role");
    assert.ok(addon.dependsOn.includes(role.urn) || transitiveDeps(dev, addon).has(role.urn));
    assert.match(
      String(role.inputs.assumeRolePolicy),
      /system:serviceaccount:amazon-cloudwatch:cloudwatch-agent/,
    );
    // The add-on makes its own ServiceAccount: IrsaRole must not create a competing one.
    const irsa = named(dev, "observability-cloudwatch-irsa").urn;
    assert.ok(!dev.resources.some((r) => r.parent === irsa && r.type.includes("ServiceAccount")));
    for (const ng of ofType(dev, "eks:index:ManagedNodeGroup")) {
      assert.ok(transitiveDeps(dev, addon).has(ng.urn));
    }
  });

  it("is off by default outside dev", () => {
    const charts = ofType(prod, HELM_RELEASE).map((r) => r.inputs.chart);
    assert.ok(!charts.includes("kube-prometheus-stack") && !charts.includes("kiali-server"));
    assert.equal(ofType(prod, "aws:eks/addon:Addon").length, 0);
    assert.equal(ofType(prod, "kubernetes:telemetry.istio.io/v1:Telemetry").length, 0);
  });
});

describe("Observability secrets", () => {
  let dev: PlanDocument;
  let grafana: PlanDocument;
  before(async () => {
    dev = await plan({ stack: "dev", phase: "parallel" });
    grafana = await plan({
      stack: "dev",
      phase: "parallel",
      set: { "observability.grafana.enabled": "true" },
    });
  });

  const promValues = (doc: PlanDocument) =>
    named(doc, "observability-prometheus").inputs.values as {
      grafana: { enabled: boolean; adminPassword?: unknown; admin?: Record<string, string> };
    };

  it("leaves Grafana (and its well-known admin password) out unless asked for", () => {
    assert.deepEqual(promValues(dev).grafana, { enabled: false });
    assert.equal(
      ofType(dev, "random:index/randomPassword:RandomPassword").length,
      1,
      "Kiali's only",
    );
  });

  it("gives Grafana a generated admin password, as a secret in the Secret the chart reads", () => {
    const g = promValues(grafana).grafana;
    assert.equal(g.enabled, true);
    assert.equal(g.adminPassword, undefined, "never in the release values");
    assert.deepEqual(g.admin, {
      existingSecret: "grafana-admin",
      userKey: "admin-user",
      passwordKey: "admin-password",
    });
    const secret = named(grafana, "observability-grafana-admin");
    assert.equal(secret.type, "kubernetes:core/v1:Secret");
    assert.equal(secret.inputs.stringData, "[secret]");
    const pw = named(grafana, "observability-grafana-admin-password");
    assert.equal(pw.type, "random:index/randomPassword:RandomPassword");
    assert.equal(pw.inputs.length, 32);
    assert.ok(secret.dependsOn.includes(pw.urn));
    assert.ok(named(grafana, "observability-prometheus").dependsOn.includes(secret.urn));
    assert.deepEqual(
      unknownKeys(
        promValues(grafana) as Record<string, unknown>,
        loadKeys("kube-prometheus-stack"),
      ),
      [],
    );
    assert.match(
      observabilityProblems(
        resolveObservability("prod", observabilitySchema.parse({ grafana: { enabled: true } })),
      )
        .map((p) => `${p.key}: ${p.message}`)
        .join("\n"),
      /observability\.grafana\.enabled.*enable observability\.prometheus/,
    );
  });

  it("generates Kiali's token signing key once, 32 characters, in a Secret the chart mounts, never in the Helm values", () => {
    const key = dev.resources.find(
      (r) =>
        r.type === "random:index/randomPassword:RandomPassword" &&
        r.name === "observability-kiali-signing-key",
    );
    assert.ok(key, "the generated key");
    assert.deepEqual([key.inputs.length, key.inputs.special], [32, false]);
    const secret = dev.resources.find(
      (r) => r.type === "kubernetes:core/v1:Secret" && r.name === "observability-kiali-signing-key",
    );
    assert.ok(secret, "the signing key Secret");
    assert.ok(secret.dependsOn.includes(key.urn));
    assert.deepEqual(secret.inputs.metadata, {
      name: "kiali-signing-key",
      namespace: "istio-system",
    });
    assert.equal(secret.inputs.stringData, "[secret]", "the key is a Pulumi secret");
    const kiali = named(dev, "observability-kiali");
    assert.ok(kiali.dependsOn.includes(secret.urn));
    const v = kiali.inputs.values as { login_token: { signing_key: unknown }; auth: unknown };
    // kiali-server's `secret:<name>:<key>` form: the chart mounts that Secret and Kiali reads it.
    assert.equal(v.login_token.signing_key, "secret:kiali-signing-key:key");
    assert.deepEqual(v.auth, { strategy: "token" });
    assert.deepEqual(unknownKeys(kialiValues(devObs), loadKeys("kiali-server")), []);
  });
});
