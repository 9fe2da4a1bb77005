// Pure builders for CrossClusterRules: the security group ports peers must reach in this cluster.
import { MultiClusterConfig } from "../config/sections/multicluster";
import { CROSS_NETWORK_PORT } from "./east-west-gateway";
import { ISTIOD_WEBHOOK_PORT, ISTIOD_XDS_PORT } from "./istio-common";

/** One security group ingress rule that cross-cluster traffic needs. */
export interface CrossClusterRule {
  readonly port: number;
  readonly cidr: string;
  readonly description: string;
}

/**
 * What peers must reach in this cluster (create mode opens these on the cluster security group):
 * 15443 on the east-west gateway pods for multi-network meshes; 15012/15017 when istiod is exposed
 * to primary-remote peers; 443 on a private-only API server, which peers' istiod watch with the
 * remote secret. Same-network pod-to-pod traffic uses the workloads' own ports and is left to you.
 */
export function crossClusterRules(
  m: MultiClusterConfig,
  opts: { readonly endpointPublicAccess: boolean },
): CrossClusterRule[] {
  const ports: [number, string][] = [];
  if (m.eastWest.enabled) {
    ports.push([CROSS_NETWORK_PORT, "east-west gateway mTLS passthrough"]);
    if (m.eastWest.exposeIstiod) {
      ports.push([ISTIOD_XDS_PORT, "istiod xDS/CA via the east-west gateway"]);
      ports.push([ISTIOD_WEBHOOK_PORT, "istiod webhooks via the east-west gateway"]);
    }
  }
  if (!opts.endpointPublicAccess) ports.push([443, "private API server, read by peer istiod"]);
  // Two peers sharing a CIDR need the rule once (the rule name is derived from port and CIDR).
  const byKey = new Map<string, CrossClusterRule>();
  for (const p of m.peers) {
    for (const cidr of p.cidrs) {
      for (const [port, what] of ports) {
        const key = `${port}/${cidr}`;
        if (!byKey.has(key)) byKey.set(key, { port, cidr, description: `${p.name}: ${what}` });
      }
    }
  }
  return [...byKey.values()];
}
