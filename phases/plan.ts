// planPhase: everything a migration phase means for this stack, decided in one pure function that components, the program, the runbook, the CLI and the service read.
import { appmeshRecordRetained, cutoverWeights, dnsRecordsIn } from "../builders/route53-cutover";
import {
  convertedResourcesIn,
  dataplaneIn,
  namespaceLabels,
  namespaceProxy,
  restartAnnotations,
  restartReason,
} from "../builders/namespace-migration";
import { manualCleanup } from "../builders/appmesh-controller";
import { exportSummary, ExportSummary } from "../appmesh/report";
import type { LoadedNamespace } from "../config/conversions";
import { proxyImage } from "../builders/proxy-prepull";
import { AUTO_MODE_LOAD_BALANCER_CLASS } from "../builders/istio-mesh";
import { securityPlan, SecurityPlan } from "../builders/security-baseline";
import { ConfigError } from "../config/errors";
import { MAX_KUBERNETES_VERSION, MIN_KUBERNETES_VERSION } from "../config/versions";
import type { MeshliftConfig } from "../config/load";
import { conversionTarget, needsGatewayApi } from "../config/sections/istio";
import { namespacesLeftOnAppMesh } from "../config/sections/migration";
import { DeployedState, guardPhase, TransitionError } from "./deployed";
import {
  AdoptedClusterFacts,
  appmeshRestartRefusal,
  decideNodeGroupNaming,
  DeployGuardError,
  guardAdoptedVersion,
  guardAppMeshRestart,
  guardDecommissionTraffic,
  guardKubernetesVersion,
  namespacesBackToAppMesh,
} from "./guards";
import { guardIstioMode, IstioModeError } from "./istio-mode";
import {
  isPhase,
  nextPhase,
  Phase,
  PHASE_SPECS,
  PhaseSpec,
  previousPhase,
  StackPosition,
  stackPosition,
  Transition,
} from "./phases";
import { changesBetween, PhaseChange, PhaseParts } from "./plan-changes";
import type { DnsPlan } from "./plan-dns";
import type { AppMeshPlan, ClusterPlan, IstioPlan } from "./plan-installs";
import { NamespacePlan, workloadsPlan, WorkloadsPlan } from "./plan-namespaces";

export interface RollbackPlan {
  /** The phase `phase rollback` returns to by default: the one before. */
  readonly to: Phase;
  /** What going back changes. */
  readonly restores: readonly PhaseChange[];
  /** DNS weight goes back first: set `cutover.istioWeight` to 0 within this phase, then change the phase. */
  readonly trafficFirst: boolean;
  /** Namespaces this phase restarted into Istio: after going back, their pods need the App Mesh sidecar again. */
  readonly restartedNamespaces: readonly string[];
  /** The App Mesh controller release comes back (with nothing left to import). */
  readonly reinstallsAppMeshController: boolean;
  /**
   * Namespaces going back would restart into App Mesh sidecars (on Istio here, not there). After App
   * Mesh's end of life their Envoys may get no configuration.
   */
  readonly backToAppMesh: readonly string[];
  /**
   * Set when the program refuses going back (App Mesh's end of life, `appmesh.controlPlane`
   * unreachable): the refusal, which says how to roll back and stay on Istio.
   */
  readonly appmeshRefusal?: string;
}

export interface AdvancePlan {
  /** The next phase. */
  readonly to: Phase;
  /** Why this stack's config cannot move there yet (config problems, one line each); empty when it can. */
  readonly blockedBy: readonly string[];
  /** What advancing changes. */
  readonly changes: readonly PhaseChange[];
  /** The next phase moves DNS weight to Istio: compare error rates first. */
  readonly shiftsTraffic: boolean;
  /** The next phase removes App Mesh: delete its custom resources while its controller still runs. */
  readonly removesAppMesh: boolean;
}

/** One namespace's configured export in the inventory: its App Mesh objects per kind and precheck counts. */
export interface NamespaceInventory extends ExportSummary {
  readonly namespace: string;
  /** `migration.namespaces[].appmeshExport` as configured. */
  readonly export: string;
}

/** The App Mesh inventory of the configured exports (stack output `appmeshInventory`). */
export interface InventoryPlan {
  /** The namespaces that have an export, in config order. */
  readonly namespaces: readonly NamespaceInventory[];
  /** The App Mesh mesh names the exports mention. */
  readonly meshes: readonly string[];
  /** Findings per severity over every export. */
  readonly blockers: number;
  readonly warnings: number;
  readonly infos: number;
}

/** The inventory of the namespaces with an export, or undefined when none has one. */
function inventoryOf(loaded: readonly LoadedNamespace[]): InventoryPlan | undefined {
  const namespaces = loaded.flatMap((ns): NamespaceInventory[] =>
    ns.appmeshObjects && ns.config.appmeshExport
      ? [
          {
            namespace: ns.config.name,
            export: ns.config.appmeshExport,
            ...exportSummary(ns.appmeshObjects, ns.findings),
          },
        ]
      : [],
  );
  if (namespaces.length === 0) return undefined;
  const sum = (k: "blockers" | "warnings" | "infos") => namespaces.reduce((n, x) => n + x[k], 0);
  return {
    namespaces,
    meshes: [...new Set(loaded.flatMap((n) => n.meshes))].sort(),
    blockers: sum("blockers"),
    warnings: sum("warnings"),
    infos: sum("infos"),
  };
}

/** What a phase means for this stack. Add fields; never change what one means. */
export interface PhasePlan {
  /** The phase this run deploys (`meshlift:phase`). */
  readonly phase: Phase;
  /** One line for humans (stack output `phaseSummary`). */
  readonly summary: string;
  /** The phase's flags, before this stack's config is applied. */
  readonly spec: PhaseSpec;
  /** Where the stack stands: deployed phase when known, else the configured one, and its moves. */
  readonly position: StackPosition;
  /** The checks against what the stack last deployed, one line each for the stack outputs. */
  readonly guard: {
    /** The move from the deployed phase (`phaseGuard`). */
    readonly summary: string;
    readonly transition?: Transition;
    /** The cluster's Kubernetes version against the one it runs (`kubernetesVersionGuard`). */
    readonly kubernetesVersion: string;
    /** Removing the App Mesh records only once they carry no weight. */
    readonly decommissionTraffic: string;
    /** No pod restarted back into App Mesh sidecars after its end of life (`appmeshRestartGuard`). */
    readonly appmeshRestart: string;
  };
  /** Set when the move is refused (the first refusal): the program stops with it before registering anything. */
  readonly refused?: TransitionError | IstioModeError | DeployGuardError;
  readonly cluster: ClusterPlan;
  readonly istio: IstioPlan;
  readonly security: SecurityPlan;
  readonly namespaces: readonly NamespacePlan[];
  readonly dns: DnsPlan;
  readonly appmesh: AppMeshPlan;
  /** What this phase removes compared with the phase before it. */
  readonly removes: readonly PhaseChange[];
  /** Going back one phase; absent in the first phase. */
  readonly rollback?: RollbackPlan;
  /** Going forward one phase; absent in the last phase. */
  readonly advance?: AdvancePlan;
  /** The App Mesh inventory the phase outputs; absent where it outputs none or no namespace has an export. */
  readonly inventory?: InventoryPlan;
  /** How workloads move without dropping requests. */
  readonly workloads: WorkloadsPlan;
  /**
   * The proxy image is pulled onto every node in this phase (a DaemonSet): only in the phase before
   * the restarts, in sidecar mode, when a namespace is to move. Absent otherwise: the next phase
   * removes it once its restarts are done (Pulumi deletes what left the program last).
   */
  readonly prePull?: { readonly image: string };
}

/** What the program observed before planning, besides the deployed state. */
export interface PlanObservations {
  /** What an adopted cluster runs (read once with aws.eks.getCluster). @default unknown: not checked */
  readonly adoptedCluster?: AdoptedClusterFacts;
}

function partsAt(c: MeshliftConfig, phase: Phase): PhaseParts {
  const spec = PHASE_SPECS[phase];
  const weights = cutoverWeights(spec, c.cutover);
  const { appmesh: appmeshRecords, istio: istioRecords } = dnsRecordsIn(spec);
  const restartsNext = nextPhase(phase) && PHASE_SPECS[nextPhase(phase) as Phase].workloadsMigrate;
  const prePull =
    spec.istioInstalled &&
    !spec.workloadsMigrate &&
    restartsNext &&
    c.istio.mode === "sidecar" &&
    c.migration.namespaces.some((n) => n.state === "istio");
  return {
    phase,
    spec,
    ...(prePull ? { prePull: { image: proxyImage(c.istio.hub) } } : {}),
    security: securityPlan(spec, c.security),
    namespaces: c.migration.namespaces.map((ns, i) => {
      const dataplane = dataplaneIn(ns.state, spec, c.istio.mode);
      const restart = restartAnnotations(ns.state, spec, ns.restartToken);
      const proxy = namespaceProxy(c.istio.mode, c.istio.proxy, ns.proxy);
      return {
        name: ns.name,
        state: ns.state,
        onIstio: spec.workloadsMigrate && ns.state === "istio",
        labels: namespaceLabels(ns.state, spec, {
          mode: c.istio.mode,
          waypointLabels: c.namespaces[i]?.namespaceLabels,
        }),
        restart,
        dataplane,
        ...(restart ? { restartReason: restartReason(dataplane) } : {}),
        convertedResources: convertedResourcesIn(ns.state, spec),
        ...(restart ? { podAnnotations: { ...restart, ...proxy?.annotations } } : {}),
        ...(proxy ? { proxy } : {}),
      };
    }),
    dns: {
      records: c.cutover.records.map((record) => ({
        record,
        ...(appmeshRecords
          ? {
              appmesh: { weight: weights.appmesh, retainOnDelete: appmeshRecordRetained(weights) },
            }
          : {}),
        ...(istioRecords ? { istio: { weight: weights.istio } } : {}),
      })),
      weights,
      appmeshRecords,
      istioRecords,
      istioTakesTraffic: spec.dnsWeightsFromConfig,
      shiftable: spec.dnsWeightsFromConfig && !spec.appmeshRemoved,
    },
    appmesh: {
      removed: spec.appmeshRemoved,
      controllerRelease: c.appmesh.controller !== undefined && !spec.appmeshRemoved,
      ...(spec.appmeshRemoved
        ? {
            manualCleanup: manualCleanup({
              controllerAdopted: c.appmesh.controller !== undefined,
              meshes: [...new Set(c.namespaces.flatMap((n) => n.meshes))].sort(),
              namespaces: c.namespaces.map((n) => n.config.name),
            }),
          }
        : {}),
    },
  };
}

/**
 * What `c.phase` means for this stack, given what it last deployed. Pure and total for a config
 * loaded at its phase: a refused move is reported in `refused`, not thrown, so that readers (the
 * CLI's status, the service) can show the plan; the program throws it. A config moved to a phase it
 * is not valid for (see config/load.ts atPhase) is a ConfigError.
 */
export function planPhase(
  c: MeshliftConfig,
  deployed: DeployedState,
  observed: PlanObservations = {},
): PhasePlan {
  const invalid = namespacesLeftOnAppMesh(PHASE_SPECS[c.phase].appmeshRemoved, c.migration);
  if (invalid.length) {
    throw new ConfigError(
      c.stack,
      invalid.map((p) => ({
        key: `meshlift:${p.path.join(".")}`,
        given: p.given,
        message: p.message,
      })),
    );
  }
  const parts = partsAt(c, c.phase);
  // Each guard either passes with a summary or refuses; the first refusal stops the run.
  let refused: PhasePlan["refused"];
  const check = (run: () => string): string => {
    try {
      return run();
    } catch (e) {
      if (!(
        e instanceof TransitionError ||
        e instanceof IstioModeError ||
        e instanceof DeployGuardError
      ))
        throw e;
      refused ??= e;
      return e.message;
    }
  };
  let transition: Transition | undefined;
  const summary = check(() => {
    const g = guardPhase(deployed, c.phase, c.allowPhaseSkip);
    transition = g.transition;
    return g.summary;
  });
  if (refused instanceof TransitionError) transition = refused.transition;
  const modeGuard = check(() => guardIstioMode(deployed, c.istio.mode, parts.spec.istioInstalled));
  const decommissionTraffic = check(() => guardDecommissionTraffic(deployed, parts.spec));
  const kubernetesVersion = check(() =>
    c.cluster.mode === "create"
      ? guardKubernetesVersion(deployed, c.cluster)
      : guardAdoptedVersion(
          c.cluster.name,
          observed.adoptedCluster ?? { kubernetesVersion: "unknown", autoMode: false },
          parts.spec.istioInstalled,
          { min: MIN_KUBERNETES_VERSION, max: MAX_KUBERNETES_VERSION },
        ),
  );
  const deployedPhase =
    deployed.known && isPhase(deployed.outputs.phase) ? deployed.outputs.phase : undefined;
  const appmeshRestart = check(() =>
    guardAppMeshRestart(
      deployed,
      c,
      parts.spec,
      deployedPhase ? PHASE_SPECS[deployedPhase] : undefined,
    ),
  );
  const guard = { summary, transition, kubernetesVersion, decommissionTraffic, appmeshRestart };

  const autoMode =
    c.cluster.mode === "create"
      ? c.cluster.autoMode
      : (c.cluster.autoMode ?? observed.adoptedCluster?.autoMode ?? false);

  const prev = previousPhase(c.phase);
  const next = nextPhase(c.phase);
  const before = prev && partsAt(c, prev);
  // A next phase the config is not valid for (a namespace still on App Mesh where it is removed)
  // has no parts to compare: advancing is blocked until the config changes.
  const blockedBy = next
    ? namespacesLeftOnAppMesh(PHASE_SPECS[next].appmeshRemoved, c.migration).map((p) => p.message)
    : [];
  const after = next && !blockedBy.length ? partsAt(c, next) : undefined;
  const inventory = parts.spec.inventoryOutputs ? inventoryOf(c.namespaces) : undefined;
  // Going back from here, as the program would judge it once this phase is deployed.
  const backToAppMesh = prev
    ? namespacesBackToAppMesh({ phase: c.phase }, c, PHASE_SPECS[prev], parts.spec)
    : [];
  const restartedHere = parts.namespaces
    .filter((n, i) => n.restart && !before?.namespaces[i].restart)
    .map((n) => n.name);

  return {
    ...parts,
    summary: parts.spec.summary,
    position: stackPosition(c.phase, deployedPhase),
    guard,
    ...(refused ? { refused } : {}),
    cluster:
      c.cluster.mode === "create"
        ? { autoMode, nodeGroupNaming: decideNodeGroupNaming(deployed, c.cluster.nodeGroupNaming) }
        : { autoMode },
    istio: {
      installed: parts.spec.istioInstalled,
      mode: c.istio.mode,
      modeGuard,
      // EKS Auto Mode needs none: it provisions NLBs for Services of its load balancer class.
      lbController: parts.spec.istioInstalled && c.istio.lbController.install && !autoMode,
      conversionTarget: conversionTarget(c.istio),
      gatewayApiCrds:
        parts.spec.istioInstalled && needsGatewayApi(c.istio) && c.istio.gatewayApiCrds.install,
      // An adopted cluster, or one on Auto Mode, has no meshlift gateway node group to select.
      dedicatedGatewayNodes:
        c.istio.gateway.dedicatedNodes ?? (c.cluster.mode === "create" && !autoMode),
      ...(autoMode ? { loadBalancerClass: AUTO_MODE_LOAD_BALANCER_CLASS } : {}),
      // The control plane is guarded like the cluster (cluster.protect: prod environments by default).
      protectIstiod:
        c.cluster.mode === "create" ? c.cluster.protect : c.environment.startsWith("prod"),
    },
    removes: before ? changesBetween(before, parts).filter((x) => x.kind === "remove") : [],
    ...(before && prev
      ? {
          rollback: {
            to: prev,
            restores: changesBetween(parts, before),
            trafficFirst: parts.dns.shiftable,
            restartedNamespaces: restartedHere,
            reinstallsAppMeshController:
              before.appmesh.controllerRelease && !parts.appmesh.controllerRelease,
            backToAppMesh,
            ...(backToAppMesh.length && c.appmesh.controlPlane === "unreachable"
              ? { appmeshRefusal: appmeshRestartRefusal(prev, backToAppMesh).message }
              : {}),
          },
        }
      : {}),
    ...(next
      ? {
          advance: {
            to: next,
            blockedBy,
            changes: after ? changesBetween(parts, after) : [],
            shiftsTraffic: PHASE_SPECS[next].dnsWeightsFromConfig && !parts.dns.istioTakesTraffic,
            removesAppMesh: PHASE_SPECS[next].appmeshRemoved && !parts.appmesh.removed,
          },
        }
      : {}),
    ...(inventory ? { inventory } : {}),
    workloads: workloadsPlan(c, parts),
  };
}
