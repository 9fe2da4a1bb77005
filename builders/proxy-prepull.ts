// Pure builders for ProxyPrePull: the DaemonSet that puts the Istio proxy image on every node before the workloads phase restarts anything.
import { ISTIO_VERSION } from "../config/versions";
import { ISTIO_NAMESPACE } from "./istio-common";

/** Name (and `app` label) of the pre-pull DaemonSet. */
export const PREPULL_NAME = "istio-proxy-prepull";

/**
 * The image istiod injects as the sidecar: `<global.hub>/proxyv2:<global.tag>` (istio/istio
 * pkg/kube/inject ProxyImage, no variant suffix since meshlift sets none in sidecar mode).
 */
export function proxyImage(hub: string, version: string = ISTIO_VERSION): string {
  return `${hub}/proxyv2:${version}`;
}

/**
 * The DaemonSet: every node (any taint tolerated, so that nodes only some namespaces may use are
 * covered too) pulls the proxy image, then idles at almost no cost until the next phase removes it.
 * The container runs the image's own binary first (`pilot-agent version`), so a pull of the wrong
 * image or architecture fails here, before any workload restarts. Restricted Pod Security profile.
 */
export function prePullDaemonSet(hub: string, version: string = ISTIO_VERSION) {
  const image = proxyImage(hub, version);
  const labels = { app: PREPULL_NAME };
  const container = (name: string, command: string[]) => ({
    name,
    image,
    imagePullPolicy: "IfNotPresent",
    command,
    resources: {
      requests: { cpu: "10m", memory: "16Mi" },
      limits: { cpu: "100m", memory: "64Mi" },
    },
    securityContext: {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      // istio-proxy's user in the proxy image.
      runAsUser: 1337,
      runAsGroup: 1337,
    },
  });
  return {
    apiVersion: "apps/v1" as const,
    kind: "DaemonSet" as const,
    metadata: {
      name: PREPULL_NAME,
      namespace: ISTIO_NAMESPACE,
      labels: { ...labels, "app.kubernetes.io/managed-by": "meshlift" },
    },
    spec: {
      selector: { matchLabels: labels },
      // All nodes at once: the pull is what takes time, and nothing serves traffic from these pods.
      updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "100%" } },
      template: {
        metadata: {
          labels,
          annotations: { "sidecar.istio.io/inject": "false" },
        },
        spec: {
          tolerations: [{ operator: "Exists" }],
          automountServiceAccountToken: false,
          terminationGracePeriodSeconds: 1,
          securityContext: { seccompProfile: { type: "RuntimeDefault" } },
          initContainers: [container("check", ["pilot-agent", "version"])],
          containers: [container("hold", ["sleep", "infinity"])],
        },
      },
    },
  };
}
