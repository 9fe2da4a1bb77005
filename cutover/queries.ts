// The default analysis queries (Istio standard metrics, App Mesh Envoy stats) and their `$placeholder` rendering.
import { AnalysisProvider, QUERY_PLACEHOLDERS, QueryMetric } from "../config/sections/cutover";

export type QueryTemplates = Readonly<Partial<Record<QueryMetric, string>>>;

/** What a target's queries are rendered with; `window` and `period` change with every query. */
export type QueryVars = Readonly<Partial<Record<(typeof QUERY_PLACEHOLDERS)[number], string>>>;

/**
 * Istio side: requests that entered through meshlift's ingress gateway, reported by the gateway
 * (`reporter="source"`) towards services of the namespace. The destination side would count the
 * App Mesh path too, since the migrated workloads run Istio sidecars on both paths.
 */
const ISTIO_SELECTOR =
  'reporter="source",source_workload="$gatewayWorkload",source_workload_namespace="$gatewayNamespace",destination_service_namespace="$namespace"';
/**
 * App Mesh side: the App Mesh Envoys' inbound (`ingress` connection manager) statistics in the
 * namespace, labelled `kubernetes_namespace` by the App Mesh Prometheus scrape configuration.
 */
const APPMESH_SELECTOR =
  'kubernetes_namespace="$namespace",envoy_http_conn_manager_prefix="ingress"';

/**
 * PromQL per metric. Error ratios add `or vector(0)` to the 5xx side: Istio creates a
 * `response_code` series only once such a response happened, and no 5xx is a rate of 0, not "no
 * data". A window without requests stays empty or NaN, which the analysis reads as missing data.
 */
export const PROMETHEUS_DEFAULTS: Readonly<Record<QueryMetric, string>> = {
  istioRequests: `sum(increase(istio_requests_total{${ISTIO_SELECTOR}}[$window]))`,
  istioErrorRate:
    `(sum(rate(istio_requests_total{${ISTIO_SELECTOR},response_code=~"5.."}[$window])) or vector(0))` +
    ` / sum(rate(istio_requests_total{${ISTIO_SELECTOR}}[$window]))`,
  istioP99Ms: `histogram_quantile(0.99, sum by (le) (rate(istio_request_duration_milliseconds_bucket{${ISTIO_SELECTOR}}[$window])))`,
  appmeshRequests: `sum(increase(envoy_http_downstream_rq_total{${APPMESH_SELECTOR}}[$window]))`,
  appmeshErrorRate:
    `(sum(rate(envoy_http_downstream_rq_xx{${APPMESH_SELECTOR},envoy_response_code_class="5"}[$window])) or vector(0))` +
    ` / sum(rate(envoy_http_downstream_rq_total{${APPMESH_SELECTOR}}[$window]))`,
  appmeshP99Ms: `histogram_quantile(0.99, sum by (le) (rate(envoy_http_downstream_rq_time_bucket{${APPMESH_SELECTOR}}[$window])))`,
};

/** Container Insights' App Mesh metrics (namespace ContainerInsights/Prometheus), as one SEARCH each. */
const CW_APPMESH = (extra: string) =>
  `SUM(SEARCH('{ContainerInsights/Prometheus,ClusterName,Namespace,envoy_http_conn_manager_prefix,envoy_response_code_class} MetricName="envoy_http_downstream_rq_xx" ClusterName="$cluster" Namespace="$namespace" envoy_http_conn_manager_prefix="ingress"${extra}', 'Sum', $period))`;

/**
 * CloudWatch metric math. Only the App Mesh side has documented defaults: Container Insights
 * collects App Mesh's Envoy counters but no Istio metric and no latency histogram, so those
 * queries come from `analysis.queries`.
 */
export const CLOUDWATCH_DEFAULTS: QueryTemplates = {
  appmeshRequests: CW_APPMESH(""),
  appmeshErrorRate: `${CW_APPMESH(' envoy_response_code_class="5"')} / ${CW_APPMESH("")}`,
};

export function defaultQueries(provider: AnalysisProvider): QueryTemplates {
  switch (provider) {
    case "prometheus":
      return PROMETHEUS_DEFAULTS;
    case "cloudwatch":
      return CLOUDWATCH_DEFAULTS;
    default: {
      const never: never = provider;
      throw new Error(`unknown analysis provider ${String(never)}`);
    }
  }
}

/** Replaces each `$name`; a placeholder without a value is an error naming it (never sent half-filled). */
export function renderQuery(template: string, vars: QueryVars): string {
  return template.replace(/\$([A-Za-z_]\w*)/g, (_whole, name: string) => {
    const v = Object.hasOwn(vars, name) ? vars[name as keyof QueryVars] : undefined;
    if (v === undefined)
      throw new Error(`query ${JSON.stringify(template)}: $${name} has no value here`);
    return v;
  });
}

/** A Prometheus range for a window of whole seconds: `300s`. */
export function promWindow(seconds: number): string {
  return `${Math.max(1, Math.round(seconds))}s`;
}

/** A CloudWatch period for a window: whole minutes, at least 60 s (standard-resolution metrics). */
export function cloudWatchPeriod(seconds: number): number {
  return Math.max(60, Math.ceil(seconds / 60) * 60);
}
