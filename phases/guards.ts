// Guards that compare this run with what the stack last deployed: moves that would hurt live traffic or a cluster are refused before anything is registered.
import { PhaseSpec } from "./phases";
import { DeployedState } from "./deployed";

/** A move the program refuses; the message says what to do instead. */
export class DeployGuardError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DeployGuardError";
  }
}

function deployedNumber(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

/**
 * Entering a phase that removes App Mesh while the adopted App Mesh records still carry weight is
 * refused: those records are retained on delete (they served traffic before the stack), so leaving
 * the program would strand them at their weight beside the Istio records. Reads the stack output
 * `dnsWeights` of the last deployment; returns a one-line summary.
 */
export function guardDecommissionTraffic(deployed: DeployedState, target: PhaseSpec): string {
  if (!target.appmeshRemoved) return "not removing App Mesh records in this phase";
  if (!deployed.known) {
    return `not checked (${deployed.reason}); \`pulumi up\` refuses to remove the App Mesh records while they carry weight`;
  }
  const weights = deployed.outputs.dnsWeights as { appmesh?: unknown } | null | undefined;
  const appmesh = deployedNumber(weights?.appmesh);
  if (appmesh === undefined || appmesh === 0) return "App Mesh records carry no weight";
  throw new DeployGuardError(
    `phase "${target.phase}" removes the App Mesh DNS records, but they still carry weight ${appmesh} ` +
      "(deployed stack output dnsWeights): they are retained on delete, so they would keep serving " +
      "beside the Istio records. Move all traffic first, in phase cutover: " +
      "`pulumi config set --path meshlift:cutover.istioWeight 100 && pulumi up`, then advance.",
  );
}

/** The minor number of a `1.xx` Kubernetes version (a patch suffix is ignored), if it is one. */
export function kubernetesMinor(v: unknown): number | undefined {
  const m = typeof v === "string" ? /^1\.(\d+)(\.\d+)?$/.exec(v.trim()) : null;
  return m ? Number(m[1]) : undefined;
}

/**
 * A created cluster's configured Kubernetes version against the one it runs (the stack output
 * `kubernetesVersion` of the last deployment): EKS never downgrades, and upgrades one minor version
 * at a time, so anything else would fail half way through an update. An adopted cluster's version
 * is never set by meshlift. Returns a one-line summary.
 */
export function guardKubernetesVersion(
  deployed: DeployedState,
  cluster:
    { readonly mode: "create"; readonly kubernetesVersion: string } | { readonly mode: "existing" },
): string {
  if (cluster.mode === "existing")
    return "adopted cluster: meshlift reads its version, never sets it";
  const want = cluster.kubernetesVersion;
  if (!deployed.known) {
    return `not checked (${deployed.reason}); \`pulumi up\` refuses a downgrade and upgrades of more than one minor version`;
  }
  const was = deployed.outputs.kubernetesVersion;
  const from = kubernetesMinor(was);
  const to = kubernetesMinor(want) as number;
  if (from === undefined) return `new cluster (or none recorded): ${want}`;
  const running = `1.${from}`;
  if (to < from) {
    throw new DeployGuardError(
      `meshlift:cluster.kubernetesVersion is "${want}" but the cluster runs ${running} (deployed stack output kubernetesVersion): ` +
        `EKS cannot downgrade a cluster. Set \`pulumi config set --path meshlift:cluster.kubernetesVersion '"${running}"'\` (or newer).`,
    );
  }
  if (to > from + 1) {
    throw new DeployGuardError(
      `meshlift:cluster.kubernetesVersion is "${want}" but the cluster runs ${running}: EKS upgrades one minor version at a time. ` +
        `Set "1.${from + 1}" and run \`pulumi up\`, then each next version up to ${want}.`,
    );
  }
  return to === from ? `unchanged: ${want}` : `upgrade: ${running} -> ${want}`;
}

/** What meshlift reads from an adopted cluster before it plans anything. */
export interface AdoptedClusterFacts {
  /** Its Kubernetes version (`1.xx`), or a placeholder the offline plan cannot know. */
  readonly kubernetesVersion: string;
  /** EKS Auto Mode is on (its compute config is enabled). */
  readonly autoMode: boolean;
}

/**
 * An adopted cluster must already run a Kubernetes version Istio supports before Istio goes on
 * it: meshlift never upgrades an adopted cluster. Returns a one-line summary.
 */
export function guardAdoptedVersion(
  name: string,
  facts: AdoptedClusterFacts,
  istioInstalled: boolean,
  supported: { readonly min: string; readonly max: string },
): string {
  const minor = kubernetesMinor(facts.kubernetesVersion);
  if (minor === undefined) return `not checked: the cluster's version is not known here`;
  const min = kubernetesMinor(supported.min) as number;
  if (istioInstalled && minor < min) {
    throw new DeployGuardError(
      `cluster "${name}" runs Kubernetes ${facts.kubernetesVersion}, and Istio 1.30 needs ${supported.min} or newer: ` +
        `upgrade the cluster first (\`aws eks update-cluster-version --name ${name} --kubernetes-version 1.${minor + 1}\`, one minor version at a time); meshlift never changes an adopted cluster's version`,
    );
  }
  const max = kubernetesMinor(supported.max) as number;
  return minor > max
    ? `adopted: ${facts.kubernetesVersion}, newer than Istio 1.30 supports (${supported.max})`
    : `adopted: ${facts.kubernetesVersion}`;
}

/**
 * How this run names node groups. Configured wins. Otherwise a stack that deployed a cluster before
 * meshlift exported `nodeGroupNaming` keeps its fixed names (a new name is a replacement of every
 * node group), and a new stack gets generated names. Returns the naming and why.
 */
export function decideNodeGroupNaming(
  deployed: DeployedState,
  configured: "prefix" | "fixed" | undefined,
): { readonly naming: "prefix" | "fixed"; readonly reason: string } {
  if (configured) return { naming: configured, reason: "meshlift:cluster.nodeGroupNaming" };
  if (!deployed.known) return { naming: "prefix", reason: `default (${deployed.reason})` };
  const o = deployed.outputs;
  if (o.nodeGroupNaming === "prefix" || o.nodeGroupNaming === "fixed") {
    return { naming: o.nodeGroupNaming, reason: "as deployed" };
  }
  // A stack that deployed its cluster has a `clusterName` output; an offline plan's stand-in for
  // the deployed state (a phase only) is taken to be of this version.
  return o.phase === undefined || o.clusterName === undefined
    ? { naming: "prefix", reason: "new stack" }
    : {
        naming: "fixed",
        reason:
          "deployed before node groups were named by prefix: kept, so that no node group is replaced",
      };
}
