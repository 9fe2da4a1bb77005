// Multi-cluster configs for the multi-cluster builders' tests, parsed by the real schema: this cluster (prod-use1) owns the mesh root.
import { MultiClusterConfig, multiClusterSchema } from "../../config/sections/multicluster";

export function multiCluster(over: Record<string, unknown> = {}): MultiClusterConfig {
  return multiClusterSchema.parse({
    meshId: "mesh-prod",
    clusterName: "prod-use1",
    network: "net-use1",
    caStack: "prod-use1",
    ...over,
  });
}

/** This cluster and one peer on another network, reached through the east-west gateway. */
export const multiNetwork = multiCluster({
  peers: [{ name: "prod-usw2", stack: "prod-usw2", network: "net-usw2", cidrs: ["10.41.0.0/16"] }],
  eastWest: { enabled: true },
});
