// Live-cluster discovery's public API: read the App Mesh objects and their workloads, write exports and an inventory.
export { DiscoverError } from "./connect";
export type { ConnectOptions } from "./connect";
export { discover, render } from "./run";
export type { DiscoverOptions, Rendered } from "./run";
export { checkOutDir, writeOutDir } from "./write";
export { clusterRoleYaml } from "./reads";
export type { Inventory } from "./inventory";
