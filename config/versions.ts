// Every pinned version in one place, on purpose: an upgrade is a one-line, reviewed change.

/**
 * Default EKS Kubernetes version for clusters meshlift creates: the newest EKS version in standard
 * support that Istio 1.30 supports. On 2026-12-01 EKS standard support covers 1.34 (until
 * 2026-12-02), 1.35 and 1.36 (released on EKS 2026-06-02); 1.32 and 1.33 are in paid extended
 * support and 1.31 left it on 2026-11-26. Istio 1.30 supports Kubernetes 1.32 to 1.36.
 */
export const DEFAULT_KUBERNETES_VERSION = "1.36";

/** Oldest Kubernetes version meshlift accepts: Istio 1.30 needs 1.32 or later. */
export const MIN_KUBERNETES_VERSION = "1.32";

/** Newest Kubernetes version Istio 1.30 supports. */
export const MAX_KUBERNETES_VERSION = "1.36";

/**
 * The oldest Pulumi CLI (engine) the program runs on: `replacementTrigger`, which rotates the
 * mesh intermediate CA, is honoured from 3.208 on; older engines ignore it silently.
 */
export const MIN_PULUMI_VERSION = "3.208.0";

/** One Istio version for every Istio chart (base, istiod, cni, gateway, ztunnel), on purpose. */
export const ISTIO_VERSION = "1.30.3";

/**
 * The first Istio version whose pilot-agent reads EXIT_ON_ZERO_ACTIVE_CONNECTIONS (istio/istio#35059,
 * October 2021, released in 1.12): meshlift sets it only for a pinned version at or after this one.
 */
export const EXIT_ON_ZERO_ACTIVE_CONNECTIONS_SINCE = "1.12";

/** Whether Istio version `v` ("1.30.3") is at or after `since` ("1.12"), by minor version. */
export function istioAtLeast(v: string, since: string): boolean {
  const [a, b] = [v, since].map((x) => x.split(".").map(Number));
  return a[0] > b[0] || (a[0] === b[0] && a[1] >= b[1]);
}

/** A Helm chart the stack installs: where it comes from and the exact version. */
export interface ChartRef {
  readonly chart: string;
  readonly version: string;
  readonly repo: string;
}

/**
 * Istio's chart repository since it left Google Cloud (December 2026): the same charts for every
 * version. `ISTIO_OCI_CHART_REPOSITORY` serves them too. Both are defaults of stack config, so that
 * air-gapped users point `meshlift:istio.chartRepository` at their mirror.
 */
export const ISTIO_CHART_REPOSITORY = "https://blob.istio.io/istio-release/charts";
export const ISTIO_OCI_CHART_REPOSITORY = "oci://ghcr.io/istio/release/charts";

/**
 * Istio's image registry (`meshlift:istio.hub`). The published 1.30.x charts default to
 * `registry.istio.io/release`, which is retired, so every Istio chart that runs an image gets it.
 */
export const ISTIO_HUB = "docker.io/istio";

/** Hosts Istio retired in December 2026 (istio/istio#61467): charts and images are gone from them. */
export const RETIRED_ISTIO_HOSTS = [
  "istio-release.storage.googleapis.com",
  "gcr.io/istio-release",
  "registry.istio.io",
] as const;

const ISTIO_REPO = ISTIO_CHART_REPOSITORY;

/** Every chart the stack installs, pinned. Keys name the chart's role, not its Helm name. */
export const CHARTS = {
  istioBase: { chart: "base", version: ISTIO_VERSION, repo: ISTIO_REPO },
  istiod: { chart: "istiod", version: ISTIO_VERSION, repo: ISTIO_REPO },
  istioCni: { chart: "cni", version: ISTIO_VERSION, repo: ISTIO_REPO },
  istioGateway: { chart: "gateway", version: ISTIO_VERSION, repo: ISTIO_REPO },
  ztunnel: { chart: "ztunnel", version: ISTIO_VERSION, repo: ISTIO_REPO },
  /** Chart 3.x ships controller v3.x; the IAM policy in builders/lb-controller.ts is tied to it. */
  lbController: {
    chart: "aws-load-balancer-controller",
    version: "3.5.0",
    repo: "https://aws.github.io/eks-charts",
  },
  kiali: { chart: "kiali-server", version: "2.29.0", repo: "https://kiali.org/helm-charts" },
  kubePrometheusStack: {
    chart: "kube-prometheus-stack",
    version: "72.9.1",
    repo: "https://prometheus-community.github.io/helm-charts",
  },
} as const satisfies Record<string, ChartRef>;

/**
 * Gateway API CRDs, standard channel, for the converter's Gateway API and ambient output (HTTPRoute,
 * GRPCRoute, Gateway, waypoints): v1.5.1, the release Istio 1.30 is built against. The release's own
 * manifest is applied as it is (no copy in this repository); a mirror can serve the same file.
 */
export const GATEWAY_API = {
  version: "v1.5.1",
  channel: "standard",
  manifest:
    "https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.5.1/standard-install.yaml",
} as const;

/** Jaeger all-in-one for in-cluster tracing, the image Istio 1.30.3's samples/addons/jaeger.yaml uses. */
export const JAEGER_IMAGE = "jaegertracing/jaeger:2.14.0";

/** The EKS add-on that runs CloudWatch Container Insights (version: the add-on default for the cluster). */
export const CLOUDWATCH_ADDON = "amazon-cloudwatch-observability";

/**
 * The Pulumi Kubernetes Operator that runs the fleet: v2.9.0, whose CRDs the rendered Stack objects
 * are validated against. The chart is published as an OCI artifact by the operator's release
 * workflow (pulumi/pulumi-kubernetes-operator, deploy/helm/pulumi-operator, chart version = operator
 * version); `repo` + `/` + `chart` is the OCI reference Helm installs.
 */
export const PULUMI_OPERATOR = {
  version: "2.9.0",
  chart: {
    chart: "pulumi-kubernetes-operator",
    version: "2.9.0",
    repo: "oci://ghcr.io/pulumi/helm-charts",
  },
  /** The controller image the chart runs; pinned in its values rather than left to appVersion. */
  image: { registry: "docker.io", repository: "pulumi/pulumi-kubernetes-operator", tag: "v2.9.0" },
} as const satisfies { version: string; chart: ChartRef; image: Record<string, string> };

/**
 * The workspace image each Stack runs in: the Pulumi CLI of the SDK this project pins (structured
 * stack config needs CLI 3.200+), non-root for the operator's `restricted` security profile.
 */
export const WORKSPACE_IMAGE = "pulumi/pulumi:3.270.0-nonroot";
