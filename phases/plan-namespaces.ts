// The namespace parts of a PhasePlan: what each migration namespace's labels, restarts and sidecars are in a phase, and how the workloads phase moves pods (planPhase fills them).
import {
  availabilityFindings,
  Dataplane,
  gracePeriodFindings,
  NamespaceProxyPlan,
  restartOrder,
  RestartStep,
  WorkloadFinding,
} from "../builders/namespace-migration";
import type { MeshliftConfig } from "../config/load";
import type { NamespaceState } from "../config/sections/migration";

/** One `migration.namespaces` entry in a phase. */
export interface NamespacePlan {
  readonly name: string;
  readonly state: NamespaceState;
  /** The namespace runs on Istio in this phase (state istio, from `workloads` on). */
  readonly onIstio: boolean;
  /** Injection labels the namespace patch sets; exactly one injector is ever `enabled`. */
  readonly labels: Readonly<Record<string, string>>;
  /** The pod-template annotation that restarts its Deployments, or undefined: nothing restarts. */
  readonly restart?: Readonly<Record<string, string>>;
  /** What its pods run in this phase: the App Mesh Envoy, the Istio sidecar, or ambient (no sidecar). */
  readonly dataplane: Dataplane;
  /** Why its Deployments restart in this phase (with `restart`). */
  readonly restartReason?: string;
  /** Its converted Istio resources exist in this phase. */
  readonly convertedResources: boolean;
  /**
   * Every pod-template annotation the restart patch sets: `restart` plus the sidecar's size and
   * start/drain overrides, so that the new pods start with them. Undefined when nothing restarts.
   */
  readonly podAnnotations?: Readonly<Record<string, string>>;
  /** Its sidecars' size, start and drain (sidecar mode); undefined in ambient mode: no sidecar. */
  readonly proxy?: NamespaceProxyPlan;
}

/** How the `workloads` phase moves pods without dropping requests (README, Zero-downtime workload moves). */
export interface WorkloadsPlan {
  /** One line on which sidecar settings apply (none in ambient mode). */
  readonly sidecarSettings: string;
  /** Restart risks found in the namespaces' exports, for namespaces moving to Istio. */
  readonly findings: readonly WorkloadFinding[];
  /** `migration.maxParallelRestarts`: Deployments restarting at once. */
  readonly maxParallelRestarts: number;
  /** This phase's restarts in rollout order, each after the one it waits for. */
  readonly restarts: readonly RestartStep[];
}

/** Which sidecar settings a mode takes, in one line. */
export function sidecarSettings(c: MeshliftConfig): string {
  switch (c.istio.mode) {
    case "sidecar": {
      const p = c.istio.proxy;
      return (
        `sidecar mode: applications wait for their proxy (holdApplicationUntilProxyStarts ${p.holdApplicationUntilProxyStarts}), ` +
        `terminating proxies drain for ${p.terminationDrainDuration}` +
        `${p.exitOnZeroActiveConnections ? " or until their last connection closes" : ""}; ` +
        "namespaces may set their own size, start and drain (migration.namespaces[].proxy); " +
        "calls to the Kubernetes API bypass the sidecar (its Service address, from the cluster's service CIDR, in global.proxy.excludeIPRanges)"
      );
    }
    case "ambient":
      return (
        "ambient mode: none of the sidecar settings apply (no sidecar to size, hold or drain; " +
        "migration.namespaces[].proxy is ignored); the restart only removes the App Mesh Envoy"
      );
    default: {
      const never: never = c.istio.mode;
      throw new Error(`unknown istio.mode ${JSON.stringify(never)}`);
    }
  }
}

/** Restart risks of the namespaces moving to Istio, whatever the phase, so they show before the move. */
export function workloadsPlan(
  c: MeshliftConfig,
  parts: { readonly namespaces: readonly NamespacePlan[] },
): WorkloadsPlan {
  const findings = c.namespaces.flatMap((ns, i) => {
    if (ns.config.state !== "istio") return [];
    const proxy = parts.namespaces[i].proxy;
    return [
      ...availabilityFindings(ns.config.name, ns.deploymentFacts, ns.disruptionBudgets),
      ...(proxy ? gracePeriodFindings(ns.config.name, ns.deploymentFacts, proxy.drainSeconds) : []),
    ];
  });
  const restarting = c.namespaces
    .filter((_, i) => parts.namespaces[i].restart)
    .map((ns) => ({ name: ns.config.name, deployments: ns.deployments }));
  return {
    sidecarSettings: sidecarSettings(c),
    findings,
    maxParallelRestarts: c.migration.maxParallelRestarts,
    restarts: restartOrder(restarting, c.migration.maxParallelRestarts),
  };
}
