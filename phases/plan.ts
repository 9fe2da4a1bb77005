// planPhase: everything a migration phase means for this stack, decided in one pure function that components, the program, the runbook, the CLI and the service read.
import {
  appmeshRecordRetained,
  cutoverWeights,
  dnsRecordsIn,
  Weights,
} from "../builders/route53-cutover";
import {
  convertedResourcesIn,
  Dataplane,
  dataplaneIn,
  gracePeriodFindings,
  namespaceLabels,
  namespaceProxy,
  NamespaceProxyPlan,
  restartAnnotations,
  restartOrder,
  RestartStep,
  availabilityFindings,
  restartReason,
  WorkloadFinding,
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
import type { CutoverRecordConfig } from "../config/sections/cutover";
import { conversionTarget, IstioMode, needsGatewayApi } from "../config/sections/istio";
import type { Target } from "../appmesh/types";
import { namespacesLeftOnAppMesh, NamespaceState } from "../config/sections/migration";
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

/** One `cutover.records` hostname in a phase: which of its two weighted records exist, with what weight. */
export interface DnsRecordPlan {
  readonly record: CutoverRecordConfig;
  /**
   * The adopted App Mesh record (set identifier `appmesh`), absent once App Mesh is removed; it is
   * retained on delete while it carries weight (it served traffic before the stack existed).
   */
  readonly appmesh?: { readonly weight: number; readonly retainOnDelete: boolean };
  /** The Istio gateway record (set identifier `istio`), from `parallel` on. */
  readonly istio?: { readonly weight: number };
}

export interface DnsPlan {
  readonly records: readonly DnsRecordPlan[];
  /** The weights of this phase (the same for every record); they always add up to 100. */
  readonly weights: Weights;
  /** Istio records exist in this phase. */
  readonly istioRecords: boolean;
  /** App Mesh records exist in this phase. */
  readonly appmeshRecords: boolean;
  /** From this phase on the Istio records carry traffic (`cutover.istioWeight`, then all of it). */
  readonly istioTakesTraffic: boolean;
  /** The weights follow `cutover.istioWeight` here: it can be stepped (and set back) within the phase. */
  readonly shiftable: boolean;
}

export interface IstioPlan {
  /** Istio (LB controller, control plane, gateway, security baseline, observability) is installed. */
  readonly installed: boolean;
  readonly mode: IstioMode;
  /** One line for the stack output `istioModeGuard`. */
  readonly modeGuard: string;
  /** The AWS Load Balancer Controller is installed by the stack. */
  readonly lbController: boolean;
  /** What the converter emits for the migrating namespaces (istio, gateway-api or ambient). */
  readonly conversionTarget: Target;
  /** The stack installs the Gateway API CRDs, before istiod and the converted objects. */
  readonly gatewayApiCrds: boolean;
  /** The gateway runs on the dedicated gateway node group (an adopted or Auto Mode cluster has none). */
  readonly dedicatedGatewayNodes: boolean;
  /** The gateway Services' `loadBalancerClass` (EKS Auto Mode's); absent: the LB controller's. */
  readonly loadBalancerClass?: string;
  /** istiod is protected like the cluster it runs on: no update may delete or replace it. */
  readonly protectIstiod: boolean;
}

export interface AppMeshPlan {
  /** App Mesh is removed: Istio alone in DNS, App Mesh labels and controller gone. */
  readonly removed: boolean;
  /** The adopted App Mesh controller release exists in this phase. */
  readonly controllerRelease: boolean;
  /** What is left for a person to remove once App Mesh is removed, in the order that works. */
  readonly manualCleanup?: readonly string[];
}

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

export interface ClusterPlan {
  /**
   * EKS Auto Mode: EKS provisions the gateways' NLBs itself (no LB controller) and a created cluster
   * runs no managed node groups. Configured, else read from an adopted cluster.
   */
  readonly autoMode: boolean;
  /**
   * How a created cluster's node groups are named: `prefix` (generated names, so a replacement is
   * create-then-delete) or `fixed` (kept for stacks deployed before). Absent for an adopted cluster.
   */
  readonly nodeGroupNaming?: { readonly naming: "prefix" | "fixed"; readonly reason: string };
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

/** The parts of a plan that depend on the phase and the config only (no deployed state). */
type PhaseParts = Pick<
  PhasePlan,
  "phase" | "spec" | "security" | "namespaces" | "dns" | "appmesh" | "prePull"
>;

/** Which sidecar settings a mode takes, in one line. */
function sidecarSettings(c: MeshliftConfig): string {
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

export type { SecurityPlan };

/** One thing a move between two phases changes. */
export interface PhaseChange {
  readonly kind: "create" | "update" | "remove";
  readonly what: string;
}

/** What changes when a stack moves from the parts `a` to the parts `b`, in a stable order. */
function changesBetween(a: PhaseParts, b: PhaseParts): PhaseChange[] {
  const out: PhaseChange[] = [];
  const add = (kind: PhaseChange["kind"], what: string) => out.push({ kind, what });
  if (a.spec.istioInstalled !== b.spec.istioInstalled) {
    add(
      b.spec.istioInstalled ? "create" : "remove",
      "Istio (LB controller, control plane, gateway)",
    );
  }
  if (
    a.spec.istioInstalled &&
    b.spec.istioInstalled &&
    a.security.mtlsMode !== b.security.mtlsMode
  ) {
    add("update", `mesh mTLS ${a.security.mtlsMode} -> ${b.security.mtlsMode}`);
  }
  for (const [i, nb] of b.namespaces.entries()) {
    const na = a.namespaces[i];
    for (const k of Object.keys(na.labels).filter((k) => !(k in nb.labels))) {
      add("remove", `namespace ${nb.name}: label ${k}`);
    }
    for (const [k, v] of Object.entries(nb.labels)) {
      if (na.labels[k] === undefined) add("create", `namespace ${nb.name}: label ${k}=${v}`);
      else if (na.labels[k] !== v)
        add("update", `namespace ${nb.name}: label ${k}=${na.labels[k]} -> ${v}`);
    }
    if (na.convertedResources !== nb.convertedResources) {
      add(
        nb.convertedResources ? "create" : "remove",
        `namespace ${nb.name}: converted Istio resources`,
      );
    }
    if (!na.restart !== !nb.restart) {
      // Ambient restarts do something other than the sidecar restart people know: say what.
      const why = nb.dataplane === "ambient" ? ` ${nb.restartReason}` : "";
      add(
        nb.restart ? "create" : "remove",
        `namespace ${nb.name}: restart of its Deployments${why}`,
      );
    }
  }
  for (const [i, rb] of b.dns.records.entries()) {
    const ra = a.dns.records[i];
    for (const side of ["appmesh", "istio"] as const) {
      const x = ra[side];
      const y = rb[side];
      const what = `${rb.record.name}: ${side} record`;
      if (!x && y) add("create", `${what} (weight ${y.weight})`);
      else if (x && !y) add("remove", what);
      else if (x && y && x.weight !== y.weight)
        add("update", `${what} weight ${x.weight} -> ${y.weight}`);
    }
  }
  if (!a.prePull !== !b.prePull) {
    const image = (a.prePull ?? b.prePull)?.image ?? "";
    add(b.prePull ? "create" : "remove", `proxy image pre-pull DaemonSet (${image})`);
  }
  if (a.appmesh.controllerRelease !== b.appmesh.controllerRelease) {
    add(b.appmesh.controllerRelease ? "create" : "remove", "App Mesh controller release");
  }
  return out;
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

/** Restart risks of the namespaces moving to Istio, whatever the phase, so they show before the move. */
function workloadsPlan(c: MeshliftConfig, parts: PhaseParts): WorkloadsPlan {
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
