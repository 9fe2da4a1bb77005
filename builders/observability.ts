// Pure values and manifests for observability: Prometheus and Kiali values, Istio monitors, tracing wiring, Jaeger.
import type * as k8sInput from "@pulumi/kubernetes/types/input";
import { ObservabilityConfig } from "../config/sections/observability";
import { JAEGER_IMAGE } from "../config/versions";
import { ISTIO_NAMESPACE, NamespacedObject } from "./istio-common";
import { Values } from "./helm";

/** Release names, pinned: the Prometheus Service name derives from it. */
export const OBS_RELEASES = { prometheus: "kube-prometheus-stack", kiali: "kiali" } as const;

/** The extension provider name Telemetry refers to. */
export const TRACING_PROVIDER = "otel-tracing";

/** The Prometheus Kiali reads: the one configured, or the one kube-prometheus-stack runs. */
export function prometheusUrl(obs: ObservabilityConfig): string {
  // kube-prometheus-stack names the Service `<fullname>-prometheus`; fullname = release name here.
  return (
    obs.kialiPrometheusUrl ?? `http://${OBS_RELEASES.prometheus}-prometheus.${obs.namespace}:9090`
  );
}

/** Where spans go: the configured OTLP collector, or the in-cluster Jaeger's collector Service. */
export function tracingEndpoint(obs: ObservabilityConfig): { service: string; port: number } {
  return (
    obs.otlp ?? { service: `jaeger-collector.${ISTIO_NAMESPACE}.svc.cluster.local`, port: 4317 }
  );
}

/** istiod values that declare the tracing backend (merged into istiod's by IstioMesh). */
export function tracingMeshValues(obs: ObservabilityConfig): Values {
  if (!obs.tracing) return {};
  return {
    meshConfig: {
      extensionProviders: [{ name: TRACING_PROVIDER, opentelemetry: tracingEndpoint(obs) }],
    },
  };
}

/** Mesh-wide Telemetry: trace through the extension provider at the configured rate. */
export function tracingTelemetry(obs: ObservabilityConfig): NamespacedObject {
  return {
    apiVersion: "telemetry.istio.io/v1",
    kind: "Telemetry",
    metadata: { name: "mesh-default", namespace: ISTIO_NAMESPACE },
    spec: {
      tracing: [
        {
          providers: [{ name: TRACING_PROVIDER }],
          randomSamplingPercentage: obs.samplingPercentage,
        },
      ],
    },
  };
}

/** The Secret holding Grafana's generated admin credentials (the chart reads it by name). */
export const GRAFANA_ADMIN_SECRET = {
  name: "grafana-admin",
  userKey: "admin-user",
  passwordKey: "admin-password",
} as const;

/**
 * kube-prometheus-stack: pick up ServiceMonitors/PodMonitors from every release, not only its own.
 * Grafana is off unless asked for; on, it reads its admin login from GRAFANA_ADMIN_SECRET, so the
 * chart's well-known default password (`prom-operator`) is never used.
 */
export function prometheusValues(obs: Pick<ObservabilityConfig, "grafana">): Values {
  return {
    prometheus: {
      prometheusSpec: {
        serviceMonitorSelectorNilUsesHelmValues: false,
        podMonitorSelectorNilUsesHelmValues: false,
      },
    },
    grafana: obs.grafana
      ? {
          enabled: true,
          admin: {
            existingSecret: GRAFANA_ADMIN_SECRET.name,
            userKey: GRAFANA_ADMIN_SECRET.userKey,
            passwordKey: GRAFANA_ADMIN_SECRET.passwordKey,
          },
        }
      : { enabled: false },
  };
}

/** Kiali's login token signing key: AES, so 16, 24 or 32 characters; generated once and kept. */
export const KIALI_SIGNING_KEY_LENGTH = 32;

/**
 * The Secret that holds Kiali's signing key. kiali-server (2.x) reads `login_token.signing_key:
 * "secret:<name>:<key>"` from a mounted Secret, so the key never sits in Helm's release record.
 */
export const KIALI_SIGNING_KEY_SECRET = { name: "kiali-signing-key", key: "key" } as const;

/** Istio's own monitors (samples/addons/extras/prometheus-operator.yaml): istiod and every Envoy. */
export function istioMonitors(namespace: string): NamespacedObject[] {
  return [
    {
      apiVersion: "monitoring.coreos.com/v1",
      kind: "ServiceMonitor",
      metadata: { name: "istio-component-monitor", namespace },
      spec: {
        jobLabel: "istio",
        targetLabels: ["app"],
        selector: { matchExpressions: [{ key: "istio", operator: "In", values: ["pilot"] }] },
        namespaceSelector: { any: true },
        endpoints: [{ port: "http-monitoring", interval: "15s" }],
      },
    },
    {
      apiVersion: "monitoring.coreos.com/v1",
      kind: "PodMonitor",
      metadata: { name: "envoy-stats-monitor", namespace },
      spec: {
        selector: {
          matchExpressions: [{ key: "istio-prometheus-ignore", operator: "DoesNotExist" }],
        },
        namespaceSelector: { any: true },
        jobLabel: "envoy-stats",
        podMetricsEndpoints: [
          {
            path: "/stats/prometheus",
            interval: "15s",
            relabelings: [
              {
                action: "keep",
                sourceLabels: ["__meta_kubernetes_pod_container_name"],
                regex: "istio-proxy",
              },
              {
                action: "keep",
                sourceLabels: ["__meta_kubernetes_pod_annotationpresent_prometheus_io_scrape"],
              },
              {
                action: "replace",
                regex: "(\\d+);(([A-Fa-f0-9]{1,4}::?){1,7}[A-Fa-f0-9]{1,4})",
                replacement: "[$2]:$1",
                sourceLabels: [
                  "__meta_kubernetes_pod_annotation_prometheus_io_port",
                  "__meta_kubernetes_pod_ip",
                ],
                targetLabel: "__address__",
              },
              {
                action: "replace",
                regex: "(\\d+);((([0-9]+?)(\\.|$)){4})",
                replacement: "$2:$1",
                sourceLabels: [
                  "__meta_kubernetes_pod_annotation_prometheus_io_port",
                  "__meta_kubernetes_pod_ip",
                ],
                targetLabel: "__address__",
              },
              { action: "labeldrop", regex: "__meta_kubernetes_pod_label_(.+)" },
              {
                sourceLabels: ["__meta_kubernetes_namespace"],
                action: "replace",
                targetLabel: "namespace",
              },
              {
                sourceLabels: ["__meta_kubernetes_pod_name"],
                action: "replace",
                targetLabel: "pod_name",
              },
            ],
          },
        ],
      },
    },
  ];
}

/** The in-cluster Jaeger's query endpoint (gRPC), as Kiali reads it. */
export const JAEGER_QUERY_URL = `http://tracing.${ISTIO_NAMESPACE}:16685`;

/**
 * kiali-server: token login, Prometheus and (when in-cluster) Jaeger wired. The signing key is read
 * from KIALI_SIGNING_KEY_SECRET, which the stack generates once; left empty, the chart makes a new
 * random key on every upgrade, which logs every user out.
 */
export function kialiValues(obs: ObservabilityConfig): Values {
  const inClusterJaeger = obs.tracing && !obs.otlp;
  const { name, key } = KIALI_SIGNING_KEY_SECRET;
  return {
    auth: { strategy: "token" },
    login_token: { signing_key: `secret:${name}:${key}` },
    deployment: {
      cluster_wide_access: true,
      resources: { requests: { cpu: "10m", memory: "64Mi" }, limits: { memory: "1Gi" } },
    },
    external_services: {
      istio: { root_namespace: ISTIO_NAMESPACE },
      prometheus: { url: prometheusUrl(obs) },
      tracing: inClusterJaeger
        ? { enabled: true, provider: "jaeger", internal_url: JAEGER_QUERY_URL, use_grpc: true }
        : { enabled: false },
      grafana: { enabled: false },
    },
  };
}

/** Jaeger all-in-one (memory storage) as Istio's addon runs it: a dev backend, not for production. */
export function jaegerManifests(): {
  deployment: k8sInput.apps.v1.Deployment;
  services: { name: string; body: k8sInput.core.v1.Service }[];
} {
  const labels = { app: "jaeger" };
  const metadata = (name: string) => ({ name, namespace: ISTIO_NAMESPACE, labels });
  const service = (name: string, ports: [string, number, number][]) => ({
    name,
    body: {
      metadata: metadata(name),
      spec: {
        selector: labels,
        ports: ports.map(([n, port, targetPort]) => ({ name: n, port, targetPort })),
      },
    },
  });
  return {
    deployment: {
      metadata: metadata("jaeger"),
      spec: {
        selector: { matchLabels: labels },
        template: {
          metadata: { labels, annotations: { "sidecar.istio.io/inject": "false" } },
          spec: {
            containers: [
              {
                name: "jaeger",
                image: JAEGER_IMAGE,
                ports: [16686, 16685, 4317, 4318].map((containerPort) => ({ containerPort })),
                resources: { requests: { cpu: "10m", memory: "128Mi" } },
              },
            ],
          },
        },
      },
    },
    services: [
      service("tracing", [
        ["http-query", 80, 16686],
        ["grpc-query", 16685, 16685],
      ]),
      service("jaeger-collector", [
        ["grpc-otlp", 4317, 4317],
        ["http-otlp", 4318, 4318],
      ]),
    ],
  };
}

/** Container Insights' agent identity (created by the add-on; the role only needs to trust it). */
export const CLOUDWATCH_AGENT = {
  namespace: "amazon-cloudwatch",
  serviceAccount: "cloudwatch-agent",
  managedPolicies: [
    "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy",
    "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess",
  ],
} as const;
