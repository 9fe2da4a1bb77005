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

/** What a namespace ran on in the last deployment, as its stack output `migration` recorded it. */
function deployedOnIstio(
  deployed: Readonly<Record<string, unknown>>,
  name: string,
  fallback: boolean,
): boolean {
  const list = deployed.migration;
  if (!Array.isArray(list)) return fallback;
  const entry = (list as { namespace?: unknown; labels?: unknown; restarted?: unknown }[]).find(
    (m) => m?.namespace === name,
  );
  if (!entry) return false;
  const labels = (entry.labels ?? {}) as Record<string, unknown>;
  return (
    (Array.isArray(entry.restarted) && entry.restarted.length > 0) ||
    labels["istio-injection"] === "enabled"
  );
}

/** How to roll back while staying on Istio: the part of every refusal and of the runbook. */
export const STAY_ON_ISTIO =
  "To roll back and stay on Istio, keep those namespaces on Istio (state istio, phase workloads or later) " +
  "and move what matters back: DNS weight to the App Mesh ingress (`pulumi config set --path meshlift:cutover.istioWeight 0`, " +
  "or phase workloads), routes to their previous converted version (the App Mesh export they came from); the Istio sidecars stay.";

/** The slice of the config the App Mesh end-of-life rule reads. */
export interface AppMeshRestartConfig {
  readonly appmesh: { readonly controlPlane: "reachable" | "unreachable" };
  readonly migration: {
    readonly namespaces: readonly { readonly name: string; readonly state: "appmesh" | "istio" }[];
  };
}

/**
 * The namespaces a move to `target` would restart back into App Mesh sidecars: they ran on Istio in
 * the last deployment (its stack output `migration`; without it, the deployed phase) and do not
 * in `target`.
 */
export function namespacesBackToAppMesh(
  deployed: Readonly<Record<string, unknown>>,
  c: AppMeshRestartConfig,
  target: PhaseSpec,
  deployedSpec: PhaseSpec | undefined,
): string[] {
  return c.migration.namespaces
    .filter((ns) =>
      deployedOnIstio(
        deployed,
        ns.name,
        (deployedSpec?.workloadsMigrate ?? false) && ns.state === "istio",
      ),
    )
    .filter((ns) => !(target.workloadsMigrate && ns.state === "istio"))
    .map((ns) => ns.name);
}

/** The refusal of a move that restarts `back` into App Mesh sidecars after App Mesh's end of life. */
export function appmeshRestartRefusal(phase: string, back: readonly string[]): DeployGuardError {
  return new DeployGuardError(
    `phase "${phase}" would restart the Deployments of namespace(s) ${back.join(", ")} back into App Mesh sidecars, ` +
      "and App Mesh reached end of life on 2026-09-30: a restarted App Mesh Envoy may get no configuration and serve nothing. " +
      `${STAY_ON_ISTIO} Set meshlift:appmesh.controlPlane reachable only if an App Mesh control plane still answers those Envoys.`,
  );
}

/**
 * App Mesh reached end of life (2026-09-30): an App Mesh Envoy that restarts may get no
 * configuration. A move that would restart a namespace's pods back into App Mesh sidecars is
 * refused, unless `meshlift:appmesh.controlPlane` says the control plane still answers.
 * Returns a one-line summary.
 */
export function guardAppMeshRestart(
  deployed: DeployedState,
  c: AppMeshRestartConfig,
  target: PhaseSpec,
  deployedSpec: PhaseSpec | undefined,
): string {
  if (c.appmesh.controlPlane === "reachable") {
    return "App Mesh control plane reachable (meshlift:appmesh.controlPlane): pods may go back to App Mesh";
  }
  if (!deployed.known) {
    return `not checked (${deployed.reason}); \`pulumi up\` refuses to restart pods back into App Mesh sidecars`;
  }
  const back = namespacesBackToAppMesh(deployed.outputs, c, target, deployedSpec);
  if (back.length === 0) return "no pod goes back to App Mesh";
  throw appmeshRestartRefusal(target.phase, back);
}
