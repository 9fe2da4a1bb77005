// Tests observability: Kiali values against its chart keys, tracing wiring, Telemetry, monitors, the add-on.
import * as assert from "node:assert/strict";
import { PlanDocument } from "../../plan/offline";
import { HELM_RELEASE } from "../../plan/metrics";
import {
  istioMonitors,
  kialiValues,
  prometheusUrl,
  TRACING_PROVIDER,
  tracingMeshValues,
  tracingTelemetry,
} from "../../builders/observability";
import { observabilitySchema, resolveObservability } from "../../config/sections/observability";
import { loadKeys, unknownKeys } from "../support/chart-keys";
import { validateIstio } from "../support/istio-models";
import { named, ofType, plan, transitiveDeps } from "../support/plan";

const devObs = resolveObservability("dev", observabilitySchema.parse({}));

describe("Observability values", () => {
  it("wires Kiali to Prometheus and the in-cluster Jaeger with keys the chart reads", () => {
    const v = kialiValues(devObs) as {
      external_services: { prometheus: { url: string }; tracing: Record<string, unknown> };
    };
    assert.equal(
      v.external_services.prometheus.url,
      "http://kube-prometheus-stack-prometheus.monitoring:9090",
    );
    assert.equal(v.external_services.tracing.enabled, true);
    assert.equal(v.external_services.tracing.internal_url, "http://tracing.istio-system:16685");
    assert.deepEqual(unknownKeys(kialiValues(devObs), loadKeys("kiali-server")), []);
  });

  it("points Kiali at a configured Prometheus and turns its tracing off for an external collector", () => {
    const o = resolveObservability(
      "prod",
      observabilitySchema.parse({
        kiali: { enabled: true, prometheusUrl: "http://amp-proxy.monitoring:9090" },
        tracing: { enabled: true, otlp: { service: "otel.obs.svc.cluster.local" } },
      }),
    );
    assert.equal(prometheusUrl(o), "http://amp-proxy.monitoring:9090");
    const v = kialiValues(o) as { external_services: { tracing: { enabled: boolean } } };
    assert.equal(v.external_services.tracing.enabled, false);
    assert.deepEqual(tracingMeshValues(o), {
      meshConfig: {
        extensionProviders: [
          {
            name: TRACING_PROVIDER,
            opentelemetry: { service: "otel.obs.svc.cluster.local", port: 4317 },
          },
        ],
      },
    });
  });

  it("declares the tracing provider in meshConfig and samples through a valid Telemetry", async () => {
    const mesh = tracingMeshValues(devObs) as {
      meshConfig: { extensionProviders: { name: string }[] };
    };
    assert.equal(mesh.meshConfig.extensionProviders[0].name, TRACING_PROVIDER);
    const t = tracingTelemetry({ ...devObs, samplingPercentage: 25 });
    assert.deepEqual(t.spec, {
      tracing: [{ providers: [{ name: TRACING_PROVIDER }], randomSamplingPercentage: 25 }],
    });
    await validateIstio(t);
    assert.deepEqual(tracingMeshValues({ ...devObs, tracing: false }), {});
  });

  it("monitors istiod and every Envoy", () => {
    const [sm, pm] = istioMonitors("monitoring");
    assert.equal(sm.kind, "ServiceMonitor");
    assert.equal(pm.kind, "PodMonitor");
    assert.deepEqual((sm.spec.endpoints as { port: string }[])[0].port, "http-monitoring");
    assert.equal((pm.spec.podMetricsEndpoints as { path: string }[])[0].path, "/stats/prometheus");
  });
});

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
