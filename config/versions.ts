// Every pinned version in one place, on purpose: an upgrade is a one-line, reviewed change.

/** Default EKS Kubernetes version for clusters meshlift creates. */
export const DEFAULT_KUBERNETES_VERSION = "1.32";

/** Oldest Kubernetes version meshlift accepts for a new cluster. */
export const MIN_KUBERNETES_VERSION = "1.31";
