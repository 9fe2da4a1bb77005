// The meshlift program as a function: index.ts runs it under `pulumi up`, the offline plan under mocks.
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { deepMerge } from "./builders/helm";
import { ISTIO_NAMESPACE } from "./builders/istio-common";
import { kubernetesApiExclusionValues } from "./builders/istio-mesh";
import { istioNamespaceLabels, OUTPUTS, ownsRoot } from "./builders/multicluster";
import { tracingMeshValues } from "./builders/observability";
import { nlbHostedZoneIdIn } from "./builders/route53-cutover";
import { AppMeshController } from "./components/appmesh-controller";
import { CrossClusterRules } from "./components/cross-cluster-rules";
import { EastWestGateway } from "./components/east-west-gateway";
import { EksCluster } from "./components/eks-cluster";
import { GatewayApiCrds } from "./components/gateway-api-crds";
import { Fleet } from "./components/fleet";
import { IstioMesh } from "./components/istio-mesh";
import { LbController } from "./components/lb-controller";
import { MeshCa } from "./components/mesh-ca";
import { MeshRoot } from "./components/mesh-root";
import { NamespaceMigration } from "./components/namespace-migration";
import { Observability } from "./components/observability";
import { ProxyPrePull } from "./components/proxy-prepull";
import { RemoteSecrets } from "./components/remote-secrets";
import { Route53Cutover } from "./components/route53-cutover";
import { SecurityBaseline } from "./components/security-baseline";
import { ConfigError } from "./config/errors";
import { LoadOptions, MeshliftConfig, parseConfig } from "./config/load";
import { MIN_PULUMI_VERSION } from "./config/versions";
import { MultiClusterConfig } from "./config/sections/multicluster";
import { DeployedState, TransitionError } from "./phases/deployed";
import { AdoptedClusterFacts, DeployGuardError } from "./phases/guards";
import { IstioModeError } from "./phases/istio-mode";
import { PhasePlan, planPhase } from "./phases/plan";

export interface ProgramOptions extends LoadOptions {
  /** What the stack last deployed; `pulumi up` reads it from the stack's own outputs. */
  readonly deployed: DeployedState;
  /** The loaded stack config; the offline plan passes the one it loaded. @default parsed from the Pulumi runtime's config */
  readonly config?: MeshliftConfig;
  /**
   * DNS name of the Istio ingress gateway's NLB. @default the IstioMesh gateway Service's hostname
   * (from `parallel` on); tests and the bench pass a fixed one.
   */
  readonly gatewayHostname?: pulumi.Input<string>;
  /** What an adopted cluster runs. @default read with aws.eks.getCluster (tests pass their own) */
  readonly adoptedCluster?: AdoptedClusterFacts;
}

/** Reads an adopted cluster's version and Auto Mode before anything is planned on it. */
export async function readAdoptedCluster(name: string): Promise<AdoptedClusterFacts> {
  const c = await aws.eks.getCluster({ name });
  return {
    kubernetesVersion: c.version,
    autoMode: (c.computeConfigs ?? []).some((x) => x.enabled),
  };
}

/**
 * Refuses a Pulumi engine older than MIN_PULUMI_VERSION: older engines ignore `replacementTrigger`
 * and would silently never rotate the mesh intermediate CA. The engine answers the check itself
 * (RequirePulumiVersion); under mocks, or offline, there is no engine and nothing to check.
 */
export async function requireEngine(
  check: (range: string) => Promise<void> = (r) => pulumi.runtime.requirePulumiVersion(r),
): Promise<void> {
  try {
    await check(`>=${MIN_PULUMI_VERSION}`);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    const predates = /does not support the `?RequirePulumiVersion`? RPC/i.test(reason);
    throw new pulumi.RunError(
      `meshlift needs the Pulumi CLI ${MIN_PULUMI_VERSION} or newer (replacementTrigger, which rotates the mesh intermediate CA, is ignored by older engines): ` +
        (predates
          ? "this CLI is too old to report its version to the program. "
          : `the engine refused: ${reason}. `) +
        "Upgrade it (https://www.pulumi.com/docs/iac/download-install/) and check with `pulumi version` or `meshlift doctor`.",
    );
  }
}

/** Reads the stack's previous outputs through a reference to itself. */
export async function readOwnOutputs(): Promise<DeployedState> {
  const name = `${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`;
  const self = new pulumi.StackReference(`${pulumi.getStack()}-previous`, { name });
  const outputs: Record<string, unknown> = {};
  const keys = [
    "phase",
    "istioMode",
    "dnsWeights",
    "kubernetesVersion",
    "nodeGroupNaming",
    "clusterName",
    "migration",
  ];
  for (const key of keys) {
    outputs[key] = (await self.getOutputDetails(key)).value;
  }
  return { known: true, outputs };
}

/** Errors whose message is written for the user: the run stops with it alone, no stack trace. */
export const KNOWN_ERRORS = [
  ConfigError,
  TransitionError,
  IstioModeError,
  DeployGuardError,
] as const;

/** Wraps a known error in a RunError, keeping the original as `cause` for in-process callers. */
function asRunError(e: unknown): unknown {
  if (!KNOWN_ERRORS.some((k) => e instanceof k)) return e;
  return Object.assign(new pulumi.RunError((e as Error).message), { cause: e });
}

/**
 * The migration in one line: load the config once, read an adopted cluster, plan the phase, create
 * the components, export.
 */
export async function meshlift(opts: ProgramOptions): Promise<Record<string, unknown>> {
  await requireEngine();
  let cfg: MeshliftConfig;
  let plan: PhasePlan;
  try {
    cfg = opts.config ?? parseConfig(pulumi.getStack(), pulumi.runtime.allConfig(), opts);
    const adoptedCluster =
      cfg.cluster.mode === "existing"
        ? (opts.adoptedCluster ?? (await readAdoptedCluster(cfg.cluster.name)))
        : undefined;
    plan = planPhase(cfg, opts.deployed, { adoptedCluster });
    if (plan.refused) throw plan.refused;
  } catch (e) {
    throw asRunError(e);
  }
  return stackOutputs(cfg, plan, createComponents(cfg, plan, opts));
}

type Parts = ReturnType<typeof createComponents>;

function createComponents(cfg: MeshliftConfig, plan: PhasePlan, opts: ProgramOptions) {
  const tags = { "meshlift:environment": cfg.environment, "meshlift:stack": cfg.stack };
  const naming = plan.cluster.nodeGroupNaming;
  if (naming?.naming === "fixed") {
    void pulumi.log.warn(
      `node groups keep their fixed names (${naming.reason}); a change of instance types, disk size or subnets then fails with "already exists". ` +
        "Set `pulumi config set --path meshlift:cluster.nodeGroupNaming prefix` to switch: one rolling replacement of each node group, new nodes before old ones go",
    );
  }
  const cluster = new EksCluster("cluster", {
    cluster: cfg.cluster,
    region: cfg.region,
    awsIdentity: cfg.awsIdentity,
    tags,
    nodeGroupNaming: naming?.naming,
    cniNotReadyTaint: plan.istio.installed,
  });
  // Every Kubernetes child of a component gets the cluster's provider through the component.
  const k8sOpts = { providers: [cluster.provider] };

  // One mesh over several cluster stacks (docs/multicluster.md). The caStack's root CA exists in
  // every phase, so that a rollback never deletes what the other clusters chain to; the rest waits
  // until Istio is installed.
  const mc = cfg.multiCluster;
  const meshRoot =
    mc && ownsRoot(mc, cfg.stack)
      ? new MeshRoot("mesh-root", { multiCluster: mc, protect: cfg.environment.startsWith("prod") })
      : undefined;

  // A management stack runs its fleet's Stacks on the Pulumi Kubernetes Operator on its cluster;
  // the environments were read and validated with the config.
  const fleet = cfg.fleet
    ? new Fleet(
        "fleet",
        {
          fleet: cfg.fleet,
          environments: cfg.fleetEnvironments,
          clusterName: cluster.clusterName,
          oidcProviderArn: cluster.oidcProviderArn,
          oidcIssuer: cluster.oidcIssuer,
          tags,
        },
        k8sOpts,
      )
    : undefined;

  const istio = plan.istio.installed ? installIstio(cfg, plan, cluster, tags, meshRoot) : undefined;
  const gatewayHostname = opts.gatewayHostname ?? istio?.mesh.gatewayHostname;

  // Namespaces are patched in every phase, so that every move and every rollback is an update.
  // They are created in the order listed: a restart may wait for one in an earlier namespace.
  const restartsSoFar = new Map<string, pulumi.Resource>();
  const namespaces = cfg.namespaces.map(
    (ns, i) =>
      new NamespaceMigration(
        `ns-${ns.config.name}`,
        {
          namespace: ns,
          plan: plan.namespaces[i],
          // Converted objects need Istio's CRDs, istiod's webhook and, for Gateway API output, its CRDs.
          dependsOn: istio
            ? [istio.mesh.base, istio.mesh.istiod, ...(istio.gatewayApi ? [istio.gatewayApi] : [])]
            : [],
          restartOrder: plan.workloads.restarts,
          restartsSoFar,
        },
        k8sOpts,
      ),
  );

  if (plan.dns.records.length) {
    new Route53Cutover("dns", {
      records: plan.dns.records,
      healthCheck: cfg.cutover.healthCheck,
      region: cfg.region,
      gatewayHostname,
      tags,
    });
  }
  if (cfg.appmesh.controller) {
    new AppMeshController(
      "appmesh-controller",
      { controller: cfg.appmesh.controller, installed: plan.appmesh.controllerRelease },
      k8sOpts,
    );
  }
  return { cluster, meshRoot, istio, namespaces, fleet };
}

/** From the `parallel` phase on: LB controller, Istio, its security baseline, observability, peering. */
function installIstio(
  cfg: MeshliftConfig,
  plan: PhasePlan,
  cluster: EksCluster,
  tags: Record<string, string>,
  meshRoot: MeshRoot | undefined,
) {
  const k8sOpts = { providers: [cluster.provider] };
  const mc = cfg.multiCluster;
  // istio-system is created here, not inside IstioMesh, so that it keeps one identity whether or
  // not the stack joins a multi-cluster mesh (which labels it with the network and puts cacerts in it).
  const systemNamespace = new k8s.core.v1.Namespace(
    "istio-system",
    { metadata: { name: ISTIO_NAMESPACE, labels: mc ? istioNamespaceLabels(mc) : {} } },
    { provider: cluster.provider },
  );
  const meshCa = mc
    ? new MeshCa(
        "mesh-ca",
        { multiCluster: mc, stack: cfg.stack, root: meshRoot, dependsOn: [systemNamespace] },
        k8sOpts,
      )
    : undefined;
  // A cluster that already runs the controller keeps it; the gateway's annotations work with either.
  if (plan.cluster.autoMode && cfg.istio.lbController.install) {
    void pulumi.log.info(
      "EKS Auto Mode: the AWS Load Balancer Controller is not installed; EKS provisions the gateway NLBs (loadBalancerClass eks.amazonaws.com/nlb)",
    );
  }
  const lbc = plan.istio.lbController
    ? new LbController(
        "lb-controller",
        {
          clusterName: cluster.clusterName,
          region: cfg.region,
          vpcId: cluster.vpcId,
          oidcProviderArn: cluster.oidcProviderArn,
          oidcIssuer: cluster.oidcIssuer,
          tags,
        },
        k8sOpts,
      )
    : undefined;
  // istiod starts after the Gateway API CRDs, so that it serves waypoints and routes from the start.
  const gatewayApi = plan.istio.gatewayApiCrds
    ? new GatewayApiCrds("gateway-api", { manifest: cfg.istio.gatewayApiCrds.manifest }, k8sOpts)
        .manifest
    : undefined;
  const mesh = new IstioMesh(
    "istio",
    {
      istio: cfg.istio,
      dedicatedGatewayNodes: plan.istio.dedicatedGatewayNodes,
      loadBalancerClass: plan.istio.loadBalancerClass,
      systemNamespace,
      dependsOn: {
        istiod: [...(meshCa?.istio.istiodDependsOn ?? []), ...(gatewayApi ? [gatewayApi] : [])],
        gateway: lbc ? [lbc.release] : [],
      },
      istiodValues: [
        tracingMeshValues(cfg.observability),
        meshCa?.istio.istiodValues ?? {},
        kubernetesApiExclusionValues(cfg.istio.mode, cluster.kubernetesApiRange),
      ].reduce(deepMerge),
      ztunnelValues: meshCa?.istio.ztunnelValues ?? {},
      protectIstiod: plan.istio.protectIstiod,
    },
    k8sOpts,
  );
  if (plan.prePull) {
    new ProxyPrePull("proxy-prepull", { hub: cfg.istio.hub, namespace: systemNamespace }, k8sOpts);
  }
  const security = new SecurityBaseline(
    "security",
    {
      plan: plan.security,
      security: cfg.security,
      gatewayNamespace: mesh.gatewayNamespace,
      dependsOn: [mesh.istiod, mesh.gatewayNamespaceResource],
    },
    k8sOpts,
  );
  new Observability(
    "observability",
    {
      observability: cfg.observability,
      clusterName: cluster.clusterName,
      oidcProviderArn: cluster.oidcProviderArn,
      oidcIssuer: cluster.oidcIssuer,
      dependsOn: {
        kiali: [mesh.base],
        telemetry: [mesh.istiod],
        jaeger: [mesh.systemNamespace],
        containerInsights: cluster.nodeGroups,
      },
      tags,
    },
    k8sOpts,
  );
  const peering = mc ? meshPeering(cfg, plan, mc, cluster, mesh, lbc, tags) : {};
  return { mesh, security, lbc, peering, gatewayApi };
}

/**
 * The multi-cluster pieces that need Istio first: this cluster's reader access (a secret stack
 * output peers read), the peers' remote secrets, the east-west gateway and, in create mode, the
 * security group rules peers need. Returns the stack outputs to export.
 */
function meshPeering(
  cfg: MeshliftConfig,
  plan: PhasePlan,
  mc: MultiClusterConfig,
  cluster: EksCluster,
  mesh: IstioMesh,
  lbc: LbController | undefined,
  tags: Record<string, string>,
): Record<string, unknown> {
  const k8sOpts = { providers: [cluster.provider] };
  const remote = new RemoteSecrets(
    "mesh-remote",
    { multiCluster: mc, endpoint: cluster.endpoint, dependsOn: [mesh.base] },
    k8sOpts,
  );
  if (mc.eastWest.enabled) {
    // Like the ingress gateway: its LoadBalancer Service needs the LB controller, and on rollback or
    // destroy the controller must outlive it, or the Service's finalizer never clears and the NLB
    // (and its security groups) are orphaned.
    new EastWestGateway(
      "mesh-eastwest",
      {
        multiCluster: mc,
        repository: cfg.istio.chartRepository,
        loadBalancerClass: plan.istio.loadBalancerClass,
        dependsOn: [mesh.istiod, ...(lbc ? [lbc.release] : [])],
      },
      k8sOpts,
    );
  }
  if (cfg.cluster.mode === "create") {
    new CrossClusterRules("mesh-peers", {
      multiCluster: mc,
      securityGroupId: cluster.nodeSecurityGroupId,
      endpointPublicAccess: cfg.cluster.endpointPublicAccess,
      tags,
    });
  } else if (mc.peers.some((p) => p.cidrs.length > 0)) {
    void pulumi.log.warn(
      "multiCluster.peers[].cidrs: the cluster is adopted, so meshlift opens no security group ports; open them by hand (docs/multicluster.md, Security groups)",
    );
  }
  return { meshClusterName: mc.clusterName, [OUTPUTS.remoteAccess]: remote.access };
}

/** The stack outputs: what the phase deployed, the cluster, Istio, the mesh, namespaces, DNS and the App Mesh inventory. */
function stackOutputs(cfg: MeshliftConfig, plan: PhasePlan, p: Parts): Record<string, unknown> {
  const { cluster, istio } = p;
  const w = plan.dns.weights;
  return {
    phase: plan.phase,
    phaseSummary: plan.summary,
    phaseGuard: plan.guard.summary,
    environment: cfg.environment,
    clusterName: cluster.clusterName,
    clusterEndpoint: cluster.endpoint,
    oidcProviderArn: cluster.oidcProviderArn,
    oidcIssuer: cluster.oidcIssuer,
    nodeSecurityGroupId: cluster.nodeSecurityGroupId,
    vpcId: cluster.vpcId,
    kubeconfig: cluster.kubeconfig,
    kubernetesVersion: cluster.kubernetesVersion,
    autoMode: plan.cluster.autoMode,
    ...(plan.cluster.nodeGroupNaming
      ? { nodeGroupNaming: plan.cluster.nodeGroupNaming.naming }
      : {}),
    kubernetesVersionGuard: plan.guard.kubernetesVersion,
    appmeshRestartGuard: plan.guard.appmeshRestart,
    istioModeGuard: plan.istio.modeGuard,
    ...(istio
      ? {
          istioInstalled: true,
          istioMode: istio.mesh.mode,
          istioVersion: istio.mesh.version,
          mtlsMode: istio.security.mtlsMode,
          gatewayNamespace: istio.mesh.gatewayNamespace,
          gatewayServiceName: istio.mesh.gatewayServiceName,
          gatewayHostname: istio.mesh.gatewayHostname,
          // Route 53 alias records to the NLB need its canonical hosted zone (per region, per LB type).
          gatewayHostedZoneId: nlbHostedZoneIdIn(cfg.region),
          lbControllerRoleArn: istio.lbc?.irsa.roleArn,
        }
      : { istioInstalled: false }),
    ...p.meshRoot?.outputs,
    ...istio?.peering,
    migration: p.namespaces.map((n, i) => ({
      namespace: cfg.namespaces[i].config.name,
      state: cfg.namespaces[i].config.state,
      labels: n.labels,
      restarted: n.restarted,
      convertedObjects: cfg.namespaces[i].objects.length,
    })),
    dnsWeights: plan.dns.records.length
      ? {
          appmesh: plan.dns.appmeshRecords ? w.appmesh : null,
          istio: plan.dns.istioRecords ? w.istio : null,
        }
      : null,
    ...(p.fleet ? { fleetStacks: p.fleet.stacks, fleetRoleArns: p.fleet.roleArns } : {}),
    ...(plan.appmesh.manualCleanup ? { manualCleanup: plan.appmesh.manualCleanup } : {}),
    ...(plan.inventory ? { appmeshInventory: plan.inventory } : {}),
    workloads: plan.workloads,
  };
}
