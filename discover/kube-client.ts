// Loads @kubernetes/client-node (an ES module) from this CommonJS project, once.
export type KubeClient = typeof import("@kubernetes/client-node", {
  with: { "resolution-mode": "import" },
});

let loaded: Promise<KubeClient> | undefined;

export function kubeClient(): Promise<KubeClient> {
  loaded ??= import("@kubernetes/client-node");
  return loaded;
}
