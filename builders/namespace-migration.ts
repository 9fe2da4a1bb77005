// Pure builders for NamespaceMigration: injection and dataplane labels, the restart and sidecar annotations, restart findings and whether converted resources apply, per namespace and phase.
import type { DeploymentFacts, DisruptionBudgetFacts } from "../config/exports";
import { durationSeconds, IstioConfig, IstioMode } from "../config/sections/istio";
import {
  NamespaceProxyConfig,
  NamespaceState,
  PROXY_PROFILES,
  ProxyProfile,
} from "../config/sections/migration";
import { PhaseSpec } from "../phases/phases";

/** The label Istio's sidecar injector selects namespaces by. */
export const ISTIO_INJECTION_LABEL = "istio-injection";

/** The label App Mesh's sidecar injector webhook selects namespaces by. */
export const APPMESH_INJECTION_LABEL = "appmesh.k8s.aws/sidecarInjectorWebhook";

/** The label that puts a namespace's pods in the ambient dataplane (ztunnel), with no sidecar. */
export const DATAPLANE_MODE_LABEL = "istio.io/dataplane-mode";

/** The labels the ambient converter asks for on a namespace: which waypoint carries its L7 routes. */
export const WAYPOINT_LABELS = ["istio.io/use-waypoint", "istio.io/ingress-use-waypoint"] as const;

/** How a namespace joins Istio: the stack's mode and, in ambient mode, the waypoint labels its converted objects need. */
export interface NamespaceDataplane {
  readonly mode: IstioMode;
  /** From the ambient conversion of its export (`ConversionResult.namespaceLabels`). @default {} */
  readonly waypointLabels?: Readonly<Record<string, string>>;
}

const SIDECAR: NamespaceDataplane = { mode: "sidecar" };

/** What the pods of a namespace run in a phase. */
export type Dataplane = "appmesh" | "sidecar" | "ambient";

export function dataplaneIn(state: NamespaceState, spec: PhaseSpec, mode: IstioMode): Dataplane {
  return spec.workloadsMigrate && state === "istio" ? mode : "appmesh";
}

/** Only the waypoint labels of a conversion: nothing else it says may reach the namespace patch. */
function waypointLabelsOf(d: NamespaceDataplane): Record<string, string> {
  const given = d.waypointLabels ?? {};
  return Object.fromEntries(
    WAYPOINT_LABELS.filter((k) => typeof given[k] === "string").map((k) => [k, given[k]]),
  );
}

/**
 * Injection labels of a listed namespace (an App Mesh namespace) in a phase. Exactly one injector is
 * ever `enabled`. Before `workloads`, and for namespaces still in state `appmesh`, the App Mesh label
 * keeps the value it has today and Istio's is explicitly `disabled`. The patch exists from the first
 * phase on (asserting what is already there), so every later move and every rollback, even straight
 * back to `discovery`, is an update that sets the labels back; deleting a patch would instead drop
 * the labels it owns and leave the namespace with no injector at all.
 * Once App Mesh is removed its label is dropped (the field manager lets go of it).
 * In ambient mode a namespace on Istio gets `istio.io/dataplane-mode=ambient` instead of Istio's
 * injector (which stays `disabled`: never a sidecar in an ambient namespace) and the waypoint labels
 * its converted routes need.
 */
export function namespaceLabels(
  state: NamespaceState,
  spec: PhaseSpec,
  dataplane: NamespaceDataplane = SIDECAR,
): Record<string, string> {
  const onIstio = spec.workloadsMigrate && state === "istio";
  if (onIstio && dataplane.mode === "ambient") {
    return {
      [ISTIO_INJECTION_LABEL]: "disabled",
      ...(spec.appmeshRemoved ? {} : { [APPMESH_INJECTION_LABEL]: "disabled" }),
      [DATAPLANE_MODE_LABEL]: "ambient",
      ...waypointLabelsOf(dataplane),
    };
  }
  switch (state) {
    case "appmesh":
      if (spec.appmeshRemoved) {
        throw new Error(
          `namespace state "appmesh" is not allowed in phase "${spec.phase}": App Mesh is removed there`,
        );
      }
      return { [APPMESH_INJECTION_LABEL]: "enabled", [ISTIO_INJECTION_LABEL]: "disabled" };
    case "istio":
      if (!onIstio)
        return { [APPMESH_INJECTION_LABEL]: "enabled", [ISTIO_INJECTION_LABEL]: "disabled" };
      if (spec.appmeshRemoved) return { [ISTIO_INJECTION_LABEL]: "enabled" };
      return { [ISTIO_INJECTION_LABEL]: "enabled", [APPMESH_INJECTION_LABEL]: "disabled" };
    default: {
      const never: never = state;
      throw new Error(`unknown namespace state ${JSON.stringify(never)}`);
    }
  }
}

/** True when a label set would have both sidecar injectors inject. */
export function bothInjectors(labels: Readonly<Record<string, string>>): boolean {
  return (
    labels[ISTIO_INJECTION_LABEL] === "enabled" && labels[APPMESH_INJECTION_LABEL] === "enabled"
  );
}

/** True when a label set would give a sidecar to pods of an ambient namespace. */
export function sidecarInAmbient(labels: Readonly<Record<string, string>>): boolean {
  return labels[DATAPLANE_MODE_LABEL] === "ambient" && labels[ISTIO_INJECTION_LABEL] !== "disabled";
}

/** The pod-template annotation whose change restarts a Deployment's pods. */
export const RESTART_ANNOTATION = "meshlift.io/sidecar-restart";

/**
 * The restart annotation of a namespace's Deployments, or undefined when they are not restarted.
 * Its value only depends on the state and the token, so a re-run changes nothing and restarts
 * nothing; a new token restarts once more. In sidecar mode the restart brings the Istio sidecar; in
 * ambient mode it only removes the App Mesh Envoy (restartReason says which).
 */
export function restartAnnotations(
  state: NamespaceState,
  spec: PhaseSpec,
  restartToken?: string,
): Record<string, string> | undefined {
  if (!(spec.workloadsMigrate && state === "istio")) return undefined;
  return { [RESTART_ANNOTATION]: restartToken ? `istio-${restartToken}` : "istio" };
}

/** Why a namespace's Deployments restart in a phase, for the plan and the runbook. */
export function restartReason(dataplane: Dataplane): string {
  switch (dataplane) {
    case "sidecar":
      return "to start with the Istio sidecar instead of the App Mesh Envoy";
    case "ambient":
      return "only to remove the App Mesh Envoy: ambient pods get no sidecar, ztunnel carries their traffic";
    case "appmesh":
      return "to start with the App Mesh Envoy again";
    default: {
      const never: never = dataplane;
      throw new Error(`unknown dataplane ${JSON.stringify(never)}`);
    }
  }
}

/** Whether a namespace gets its converted Istio resources in a phase. */
export function convertedResourcesIn(state: NamespaceState, spec: PhaseSpec): boolean {
  return spec.workloadsMigrate && state === "istio";
}

/** The pod-template annotations of Istio's injector that size the sidecar container. */
export const PROXY_SIZE_ANNOTATIONS = {
  cpu: "sidecar.istio.io/proxyCPU",
  memory: "sidecar.istio.io/proxyMemory",
  cpuLimit: "sidecar.istio.io/proxyCPULimit",
  memoryLimit: "sidecar.istio.io/proxyMemoryLimit",
} as const;

/** The pod annotation whose ProxyConfig (JSON) overrides the mesh's `defaultConfig` for that pod. */
export const PROXY_CONFIG_ANNOTATION = "proxy.istio.io/config";

/** Start and drain of a namespace's sidecars, resolved from its entry and the mesh defaults. */
export interface ProxyLifecycle {
  readonly holdApplicationUntilProxyStarts: boolean;
  readonly terminationDrainDuration: string;
  readonly drainSeconds: number;
}

/** What the restart patch sets on a namespace's pods (sidecar mode), and where each value comes from. */
export interface NamespaceProxyPlan extends ProxyLifecycle {
  /** Requests/limits the sidecar gets, or undefined: the mesh's `istio.proxy.resources`. */
  readonly size?: {
    readonly cpu: string;
    readonly memory: string;
    readonly cpuLimit: string;
    readonly memoryLimit: string;
  };
  /** The profile named in config, if any. */
  readonly profile?: ProxyProfile;
  /** The pod-template annotations carrying size and start/drain overrides. */
  readonly annotations: Readonly<Record<string, string>>;
}

/** The mesh-wide sidecar defaults of `istio.proxy` that a namespace may override. */
export type MeshProxyDefaults = Pick<
  IstioConfig["proxy"],
  "holdApplicationUntilProxyStarts" | "terminationDrainDuration" | "exitOnZeroActiveConnections"
>;

/**
 * A namespace's sidecar in sidecar mode: size from its profile with explicit values over it, and
 * `proxy.istio.io/config` only for what differs from the mesh, so that a mesh default change reaches
 * every namespace that did not choose otherwise. Returns undefined in ambient mode: there is no
 * sidecar to size, hold or drain.
 */
export function namespaceProxy(
  mode: IstioMode,
  mesh: MeshProxyDefaults,
  ns: NamespaceProxyConfig | undefined,
): NamespaceProxyPlan | undefined {
  switch (mode) {
    case "ambient":
      return undefined;
    case "sidecar":
      break;
    default: {
      const never: never = mode;
      throw new Error(`unknown istio.mode ${JSON.stringify(never)}`);
    }
  }
  const hold = ns?.holdApplicationUntilProxyStarts ?? mesh.holdApplicationUntilProxyStarts;
  const drain = ns?.terminationDrainDuration ?? mesh.terminationDrainDuration;
  const base = ns?.profile ? PROXY_PROFILES[ns.profile] : undefined;
  const explicit = ns && (ns.cpu ?? ns.memory ?? ns.cpuLimit ?? ns.memoryLimit);
  const annotations: Record<string, string> = {};
  let size: NamespaceProxyPlan["size"];
  if (base || explicit) {
    const pick = (k: keyof typeof PROXY_SIZE_ANNOTATIONS) => ns?.[k] ?? base?.[k];
    const chosen = {
      cpu: pick("cpu"),
      memory: pick("memory"),
      cpuLimit: pick("cpuLimit"),
      memoryLimit: pick("memoryLimit"),
    };
    for (const [k, v] of Object.entries(chosen)) {
      if (v !== undefined) annotations[PROXY_SIZE_ANNOTATIONS[k as keyof typeof chosen]] = v;
    }
    if (chosen.cpu && chosen.memory && chosen.cpuLimit && chosen.memoryLimit) {
      size = chosen as NonNullable<NamespaceProxyPlan["size"]>;
    }
  }
  const override: Record<string, unknown> = {};
  if (hold !== mesh.holdApplicationUntilProxyStarts)
    override.holdApplicationUntilProxyStarts = hold;
  if (drain !== mesh.terminationDrainDuration) override.terminationDrainDuration = drain;
  if (Object.keys(override).length) annotations[PROXY_CONFIG_ANNOTATION] = JSON.stringify(override);
  return {
    holdApplicationUntilProxyStarts: hold,
    terminationDrainDuration: drain,
    drainSeconds: durationSeconds(drain),
    ...(size ? { size } : {}),
    ...(ns?.profile ? { profile: ns.profile } : {}),
    annotations,
  };
}

/** Kubernetes' default `terminationGracePeriodSeconds`. */
export const DEFAULT_GRACE_PERIOD_SECONDS = 30;

/** A restart risk found before the restart: severity, the object, the field path, why. */
export interface WorkloadFinding {
  readonly severity: "warning";
  /** e.g. "Deployment shop/cart" */
  readonly source: string;
  readonly field: string;
  readonly reason: string;
}

/**
 * Deployments whose pods are killed before their proxy has drained: Kubernetes sends SIGKILL when
 * the grace period ends, whatever the proxy is still serving.
 */
export function gracePeriodFindings(
  namespace: string,
  deployments: readonly DeploymentFacts[],
  drainSeconds: number,
): WorkloadFinding[] {
  return deployments.flatMap((d) => {
    const grace = d.terminationGracePeriodSeconds ?? DEFAULT_GRACE_PERIOD_SECONDS;
    if (grace >= drainSeconds) return [];
    return [
      {
        severity: "warning" as const,
        source: `Deployment ${namespace}/${d.name}`,
        field: "spec.template.spec.terminationGracePeriodSeconds",
        reason:
          `the grace period (${grace}s${d.terminationGracePeriodSeconds === undefined ? ", the default" : ""}) is shorter than the proxy's drain (${drainSeconds}s): ` +
          `pods are killed with connections still open; raise it above ${drainSeconds}s or shorten terminationDrainDuration`,
      },
    ];
  });
}

/** One Deployment restart in the rollout order. */
export interface RestartStep {
  readonly namespace: string;
  readonly deployment: string;
  /** The restart that must have finished first (its rollout awaited), or none: it starts at once. */
  readonly after?: { readonly namespace: string; readonly deployment: string };
}

/**
 * The rollout order over every restarting namespace: namespaces as listed, each one's Deployments
 * in its order, at most `maxParallel` at a time (restart i waits for restart i - maxParallel, so a
 * slot frees only when a rollout has finished).
 */
export function restartOrder(
  namespaces: readonly { readonly name: string; readonly deployments: readonly string[] }[],
  maxParallel: number,
): RestartStep[] {
  if (!Number.isSafeInteger(maxParallel) || maxParallel < 1) {
    throw new Error(
      `migration.maxParallelRestarts: must be a whole number >= 1, got ${JSON.stringify(maxParallel)}`,
    );
  }
  const flat = namespaces.flatMap((ns) =>
    ns.deployments.map((d) => ({ namespace: ns.name, deployment: d })),
  );
  return flat.map((s, i) => {
    const prev = flat[i - maxParallel];
    return prev ? { ...s, after: prev } : s;
  });
}

/** Whether a PodDisruptionBudget's selector picks pods with these labels (an empty selector picks all). */
function selects(pdb: DisruptionBudgetFacts, podLabels: Readonly<Record<string, string>>): boolean {
  return Object.entries(pdb.matchLabels).every(([k, v]) => podLabels[k] === v);
}

/**
 * Deployments whose restart stops the service: one replica with no PodDisruptionBudget in the
 * export, or the Recreate strategy (every old pod stops before a new one starts).
 */
export function availabilityFindings(
  namespace: string,
  deployments: readonly DeploymentFacts[],
  pdbs: readonly DisruptionBudgetFacts[],
): WorkloadFinding[] {
  return deployments.flatMap((d): WorkloadFinding[] => {
    const source = `Deployment ${namespace}/${d.name}`;
    const out: WorkloadFinding[] = [];
    if ((d.replicas ?? 1) === 1 && !pdbs.some((p) => selects(p, d.podLabels))) {
      out.push({
        severity: "warning",
        source,
        field: "spec.replicas",
        reason:
          `replicas: ${d.replicas ?? "unset (1)"} and no PodDisruptionBudget selects its pods: this restart is an outage for that service ` +
          "whenever its one pod stops before the new one is ready (a node drain during the move, maxSurge 0); run 2 or more replicas with a PodDisruptionBudget",
      });
    }
    if (d.strategy === "Recreate") {
      out.push({
        severity: "warning",
        source,
        field: "spec.strategy.type",
        reason:
          "strategy Recreate stops every old pod before a new one starts: this restart is an outage for that service; use RollingUpdate",
      });
    }
    return out;
  });
}
