// Pure builders for RemoteSecrets: the reader token Secret, a peer's published access, and the remote secret istiod watches.
import YAML from "yaml";
import { PeerConfig } from "../config/sections/multicluster";
import { ISTIO_NAMESPACE } from "./istio-common";
import { OUTPUTS } from "./multicluster";

/** Created by the Istio base chart; its token lets peers' istiod read this cluster's endpoints. */
export const READER_SERVICE_ACCOUNT = "istio-reader-service-account";

/** The token Secret name `istioctl create-remote-secret` uses, so both tools find the same one. */
export const READER_TOKEN_SECRET = "istio-reader-service-account-istio-remote-secret-token";

/** istiod's secret controller watches Secrets with this label. */
export const REMOTE_SECRET_LABEL = { "istio/multiCluster": "true" } as const;

export const CLUSTER_ANNOTATION = "networking.istio.io/cluster";

/** What each cluster publishes for its peers (secret stack output `meshRemoteAccess`). */
export interface RemoteAccess {
  readonly clusterName: string;
  readonly network: string;
  /** The API server URL. */
  readonly server: string;
  /** The API server CA, base64 of PEM, as kubeconfig `certificate-authority-data` takes it. */
  readonly caData: string;
  /** The istio-reader-service-account bearer token. */
  readonly token: string;
}

/** Checks a peer's published access against what this stack's config says about that peer. */
export function checkRemoteAccess(peer: PeerConfig, v: unknown): RemoteAccess {
  const where = `output ${OUTPUTS.remoteAccess} of stack "${peer.stack}" (peer "${peer.name}")`;
  if (typeof v !== "object" || v === null) {
    throw new Error(
      `${where} is missing: run \`pulumi up\` on that stack with multiCluster config first`,
    );
  }
  const o = v as Record<string, unknown>;
  for (const k of ["clusterName", "network", "server", "caData", "token"]) {
    if (typeof o[k] !== "string" || o[k] === "") {
      throw new Error(
        `${where} has no ${k} (given: ${k === "token" ? "<redacted>" : JSON.stringify(o[k])})`,
      );
    }
  }
  if (o.clusterName !== peer.name) {
    throw new Error(
      `${where} says its clusterName is "${String(o.clusterName)}", but peers[].name is "${peer.name}": they must match (the remote secret key is the cluster id)`,
    );
  }
  return o as unknown as RemoteAccess;
}

/**
 * The kubeconfig istiod uses to watch a peer, as `istioctl create-remote-secret` writes it: a bearer
 * token and no `exec` (istiod rejects exec auth, which EKS kubeconfigs use).
 */
export function remoteKubeconfig(a: RemoteAccess): string {
  const name = a.clusterName;
  return YAML.stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name, cluster: { server: a.server, "certificate-authority-data": a.caData } }],
    contexts: [{ name, context: { cluster: name, user: name } }],
    "current-context": name,
    preferences: {},
    users: [{ name, user: { token: a.token } }],
  });
}

/** The remote secret that lets this cluster's istiod discover endpoints in the peer `a.clusterName`. */
export function remoteSecret(a: RemoteAccess, namespace: string = ISTIO_NAMESPACE) {
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: {
      name: `istio-remote-secret-${a.clusterName}`,
      namespace,
      labels: { ...REMOTE_SECRET_LABEL },
      annotations: { [CLUSTER_ANNOTATION]: a.clusterName },
    },
    stringData: { [a.clusterName]: remoteKubeconfig(a) },
  };
}

/** The reader token Secret: Kubernetes fills `token` and `ca.crt` for the service account. */
export function readerTokenSecret(namespace: string = ISTIO_NAMESPACE) {
  return {
    apiVersion: "v1",
    kind: "Secret",
    type: "kubernetes.io/service-account-token",
    metadata: {
      name: READER_TOKEN_SECRET,
      namespace,
      annotations: { "kubernetes.io/service-account.name": READER_SERVICE_ACCOUNT },
    },
  };
}
