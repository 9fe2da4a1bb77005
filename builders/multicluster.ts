// Pure facts every multi-cluster piece shares: the stack outputs peers read, qualified stack names, the caStack rule, network labels.
import { MultiClusterConfig, shortStackName } from "../config/sections/multicluster";

export const NETWORK_LABEL = "topology.istio.io/network";

/** Stack outputs other stacks of the mesh read through StackReference. */
export const OUTPUTS = {
  /** caStack only: the root certificate (public). */
  rootCertPem: "meshRootCertPem",
  /** caStack only, secret: the root private key, to sign the other clusters' intermediates. */
  rootKeyPem: "meshRootKeyPem",
  /** Every cluster, secret: what a peer needs to build this cluster's remote secret. */
  remoteAccess: "meshRemoteAccess",
} as const;

/** Labels for the istio-system namespace: multi-network Istio reads the network from it. */
export function istioNamespaceLabels(m: MultiClusterConfig): Record<string, string> {
  return { [NETWORK_LABEL]: m.network };
}

/** Whether any peer is on another network (and so reached through the east-west gateway). */
export function isMultiNetwork(m: MultiClusterConfig): boolean {
  return m.peers.some((p) => (p.network ?? m.network) !== m.network);
}

/** The fully qualified stack a peer or caStack names (`org/project/stack`). */
export function qualifiedStack(stack: string, org: string, project: string): string {
  const parts = stack.split("/");
  if (parts.length === 3) return stack;
  if (parts.length === 2) return `${org}/${stack}`;
  return `${org}/${project}/${stack}`;
}

/** Whether this stack is the one that generates the root CA. */
export function ownsRoot(m: MultiClusterConfig, stack: string): boolean {
  return m.caStack !== undefined && shortStackName(m.caStack) === stack;
}
