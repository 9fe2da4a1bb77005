// The observability builders: Kiali values against its chart keys, tracing in meshConfig and Telemetry, the Prometheus monitors.
import * as assert from "node:assert/strict";
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
