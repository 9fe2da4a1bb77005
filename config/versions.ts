// Every pinned version in one place, on purpose: an upgrade is a one-line, reviewed change.

/** Default EKS Kubernetes version for clusters meshlift creates. */
export const DEFAULT_KUBERNETES_VERSION = "1.32";

/** Oldest Kubernetes version meshlift accepts for a new cluster. */
export const MIN_KUBERNETES_VERSION = "1.31";

/** Istio release whose charts meshlift installs (the east-west gateway uses the `gateway` chart). */
export const ISTIO_VERSION = "1.30.3";

/** Helm repository of the Istio charts. */
export const ISTIO_HELM_REPOSITORY = "https://istio-release.storage.googleapis.com/charts";
