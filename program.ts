// The meshlift program as a function: index.ts runs it under `pulumi up`, the offline plan under mocks.
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "./config/errors";
import { MeshliftConfig, parseConfig } from "./config/load";
import { CrossClusterRules } from "./components/cross-cluster-rules";
import { EastWestGateway } from "./components/east-west-gateway";
import { convert } from "./appmesh";
import { EksCluster } from "./components/eks-cluster";
import { loadMigrationInputs, NamespaceInputs } from "./config/exports";
import { AppMeshController } from "./components/appmesh-controller";
import { ConvertFn, convertNamespaces, NamespaceConversion } from "./config/conversions";
import { dnsRecordsIn } from "./builders/route53-cutover";
import { manualCleanup } from "./builders/appmesh-controller";
import { NamespaceMigration } from "./components/namespace-migration";
import { Route53Cutover } from "./components/route53-cutover";
import { IstioMesh } from "./components/istio-mesh";
import { LbController } from "./components/lb-controller";
import { Observability } from "./components/observability";
import { tracingMeshValues } from "./builders/observability";
import { SecurityBaseline } from "./components/security-baseline";
import { ObservabilityConfig, resolveObservability } from "./config/sections/observability";
import { MeshCa } from "./components/mesh-ca";
import { MeshRoot } from "./components/mesh-root";
import { istioNamespaceLabels, OUTPUTS, ownsRoot } from "./builders/multicluster";
import { deepMerge } from "./builders/helm";
import { ISTIO_NAMESPACE } from "./builders/istio-common";
import { RemoteSecrets } from "./components/remote-secrets";
import { MultiClusterConfig } from "./config/sections/multicluster";
import { DeployedState, guardPhase, TransitionError } from "./phases/deployed";
import { guardIstioMode, IstioModeError } from "./phases/istio-mode";
import {
  AdoptedClusterFacts,
  DeployGuardError,
  guardAdoptedVersion,
  guardDecommissionTraffic,
  guardKubernetesVersion,
} from "./phases/guards";
import { MAX_KUBERNETES_VERSION, MIN_KUBERNETES_VERSION } from "./config/versions";
import { PHASE_SPECS } from "./phases/phases";

export interface ProgramOptions {
  /** What the stack last deployed; `pulumi up` reads it from the stack's own outputs. */
  readonly deployed: DeployedState;
  /** Directory that config paths (`appmeshExport`) are relative to. @default process.cwd() */
  readonly projectDir?: string;
  /** The App Mesh -> Istio converter. @default appmesh/convert (tests pass a small one) */
  readonly convert?: ConvertFn;
  /**
   * DNS name of the Istio ingress gateway's NLB. @default the IstioMesh gateway Service's hostname
   * (from `parallel` on); tests and the bench pass a fixed one.
   */
  readonly gatewayHostname?: pulumi.Input<string>;
  /** Resources the converted Istio resources wait for. @default istio-base (the CRDs) and istiod */
  readonly istioReady?: pulumi.Resource[];
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

/** Export files and conversions, read before any resource is registered. */
function loadMigration(
  cfg: MeshliftConfig,
  opts: ProgramOptions,
): { inputs: NamespaceInputs[]; conversions: Map<string, NamespaceConversion> } {
  try {
    const inputs = loadMigrationInputs(
      cfg.stack,
      cfg.migration.namespaces,
      opts.projectDir ?? process.cwd(),
    );
    const conversions = convertNamespaces(cfg.stack, inputs, opts.convert ?? convert);
    return { inputs, conversions };
  } catch (e) {
    if (e instanceof ConfigError) throw new pulumi.RunError(e.message);
    throw e;
  }
}

/** Reads the stack's previous outputs through a reference to itself. */
export async function readOwnOutputs(): Promise<DeployedState> {
  const name = `${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`;
  const self = new pulumi.StackReference(`${pulumi.getStack()}-previous`, { name });
  const outputs: Record<string, unknown> = {};
  for (const key of ["phase", "istioMode", "dnsWeights", "kubernetesVersion"]) {
    outputs[key] = (await self.getOutputDetails(key)).value;
  }
  return { known: true, outputs };
}

/** Parses the runtime config, or stops the run with the config error alone (no stack trace). */
export function loadConfig(): MeshliftConfig {
  try {
    return parseConfig(pulumi.getStack(), pulumi.runtime.allConfig());
  } catch (e) {
    if (e instanceof ConfigError) throw new pulumi.RunError(e.message);
    throw e;
  }
}

export async function meshlift(opts: ProgramOptions): Promise<Record<string, unknown>> {
  const cfg = loadConfig();
  const { inputs, conversions } = loadMigration(cfg, opts);
  let guard;
  try {
    guard = guardPhase(opts.deployed, cfg.phase, cfg.allowPhaseSkip);
  } catch (e) {
    if (e instanceof TransitionError) throw new pulumi.RunError(e.message);
    throw e;
  }
  const spec = PHASE_SPECS[cfg.phase];
  let istioModeGuard: string;
  let kubernetesVersionGuard: string;
  // An adopted cluster is read once, before anything is planned on it.
  const adopted =
    cfg.cluster.mode === "existing"
      ? (opts.adoptedCluster ?? (await readAdoptedCluster(cfg.cluster.name)))
      : undefined;
  let observability: ObservabilityConfig;
  try {
    istioModeGuard = guardIstioMode(opts.deployed, cfg.istio.mode, spec.istioInstalled);
    guardDecommissionTraffic(opts.deployed, spec);
    kubernetesVersionGuard =
      cfg.cluster.mode === "create"
        ? guardKubernetesVersion(opts.deployed, cfg.cluster)
        : guardAdoptedVersion(
            cfg.cluster.name,
            adopted as AdoptedClusterFacts,
            spec.istioInstalled,
            { min: MIN_KUBERNETES_VERSION, max: MAX_KUBERNETES_VERSION },
          );
    observability = resolveObservability(cfg.stack, cfg.environment, cfg.observability);
  } catch (e) {
    if (e instanceof IstioModeError || e instanceof ConfigError || e instanceof DeployGuardError)
      throw new pulumi.RunError(e.message);
    throw e;
  }
  const tags = { "meshlift:environment": cfg.environment, "meshlift:stack": cfg.stack };

  const cluster = new EksCluster("cluster", { cluster: cfg.cluster, region: cfg.region, tags });

  // One mesh over several cluster stacks (docs/multicluster.md). The caStack's root CA exists in
  // every phase, so that a rollback never deletes what the other clusters chain to; the rest waits
  // until Istio is installed.
  const mc = cfg.multiCluster;
  const meshRoot =
    mc && ownsRoot(mc, cfg.stack)
      ? new MeshRoot("mesh-root", { multiCluster: mc, protect: cfg.environment.startsWith("prod") })
      : undefined;

  let istio: ReturnType<typeof installIstio> | undefined;
  let peering: Record<string, unknown> = {};
  if (spec.istioInstalled) {
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
          { providers: [cluster.provider] },
        )
      : undefined;
    istio = installIstio(cfg, cluster, observability, tags, {
      systemNamespace,
      istiodDependsOn: meshCa?.istio.istiodDependsOn ?? [],
      istiodValues: meshCa?.istio.istiodValues ?? {},
    });
    if (mc) {
      peering = meshPeering(cfg, mc, cluster, tags, {
        afterBase: [istio.mesh.base],
        afterIstiod: [istio.mesh.istiod],
        lbController: istio.lbController,
      });
    }
  }

  const gatewayHostname = opts.gatewayHostname ?? istio?.mesh.gatewayHostname;

  // Namespaces are patched in every phase, so that every move and every rollback is an update.
  const namespaces = inputs.map((ns) => {
    return new NamespaceMigration(`ns-${ns.config.name}`, {
      namespace: ns,
      phase: spec,
      objects: conversions.get(ns.config.name)?.objects ?? [],
      provider: cluster.provider,
      istioReady: opts.istioReady ?? (istio ? [istio.mesh.base, istio.mesh.istiod] : []),
    });
  });

  const dns = cfg.cutover.records.length
    ? new Route53Cutover("dns", {
        phase: spec,
        cutover: cfg.cutover,
        region: cfg.region,
        gatewayHostname,
        tags,
      })
    : undefined;
  if (dns && spec.dnsRecords && gatewayHostname === undefined) {
    void pulumi.log.warn(
      "cutover.records are configured but the Istio gateway hostname is not known yet; no Istio record is created and App Mesh keeps the full weight",
    );
  }

  if (cfg.appmesh.controller) {
    new AppMeshController("appmesh-controller", {
      controller: cfg.appmesh.controller,
      phase: spec,
      provider: cluster.provider,
    });
  }
  const records = dnsRecordsIn(spec);

  return {
    phase: cfg.phase,
    phaseSummary: spec.summary,
    phaseGuard: guard.summary,
    environment: cfg.environment,
    clusterName: cluster.clusterName,
    clusterEndpoint: cluster.endpoint,
    oidcProviderArn: cluster.oidcProviderArn,
    oidcIssuer: cluster.oidcIssuer,
    nodeSecurityGroupId: cluster.nodeSecurityGroupId,
    vpcId: cluster.vpcId,
    kubeconfig: cluster.kubeconfig,
    kubernetesVersion: cluster.kubernetesVersion,
    kubernetesVersionGuard,
    istioModeGuard,
    ...(istio?.outputs ?? { istioInstalled: false }),
    ...meshRoot?.outputs,
    ...peering,
    migration: namespaces.map((n, i) => ({
      namespace: inputs[i].config.name,
      state: inputs[i].config.state,
      labels: n.labels,
      restarted: n.restarted,
      convertedObjects: conversions.get(inputs[i].config.name)?.objects.length ?? 0,
    })),
    dnsWeights: dns
      ? {
          appmesh: records.appmesh ? dns.weights.appmesh : null,
          istio: records.istio && gatewayHostname !== undefined ? dns.weights.istio : null,
        }
      : null,
    ...(spec.appmeshRemoved
      ? {
          manualCleanup: manualCleanup({
            controllerAdopted: cfg.appmesh.controller !== undefined,
            meshes: [...new Set(inputs.flatMap((n) => n.meshes))].sort(),
            namespaces: inputs.map((n) => n.config.name),
          }),
        }
      : {}),
  };
}

/** From the `parallel` phase on: LB controller, Istio, its security baseline and observability. */
function installIstio(
  cfg: MeshliftConfig,
  cluster: EksCluster,
  observability: ObservabilityConfig,
  tags: Record<string, string>,
  extra: {
    systemNamespace: k8s.core.v1.Namespace;
    istiodDependsOn: pulumi.Resource[];
    istiodValues: Record<string, unknown>;
  },
): { mesh: IstioMesh; lbController?: pulumi.Resource; outputs: Record<string, unknown> } {
  const spec = PHASE_SPECS[cfg.phase];
  const provider = cluster.provider;
  // A cluster that already runs the controller keeps it; the gateway's annotations work with either.
  const lbc = cfg.istio.lbController.install
    ? new LbController("lb-controller", {
        clusterName: cluster.clusterName,
        region: cfg.region,
        vpcId: cluster.vpcId,
        oidcProviderArn: cluster.oidcProviderArn,
        oidcIssuer: cluster.oidcIssuer,
        provider,
        tags,
      })
    : undefined;
  const mesh = new IstioMesh("istio", {
    istio: cfg.istio,
    provider,
    // An adopted cluster has no meshlift gateway node group to select.
    dedicatedGatewayNodes: cfg.istio.gateway.dedicatedNodes ?? cfg.cluster.mode === "create",
    lbController: lbc?.release,
    systemNamespace: extra.systemNamespace,
    istiodDependsOn: extra.istiodDependsOn,
    istiodValues: deepMerge(tracingMeshValues(observability), extra.istiodValues),
    // The control plane is guarded like the cluster it runs on (cluster.protect: prod by default).
    protectIstiod:
      cfg.cluster.mode === "create" ? cfg.cluster.protect : cfg.environment.startsWith("prod"),
  });
  const security = new SecurityBaseline("security", {
    spec,
    security: cfg.security,
    gatewayNamespace: mesh.gatewayNamespace,
    provider,
    istiod: mesh.istiod,
    dependsOn: [mesh.gatewayNamespaceResource],
  });
  new Observability("observability", {
    observability,
    provider,
    clusterName: cluster.clusterName,
    oidcProviderArn: cluster.oidcProviderArn,
    oidcIssuer: cluster.oidcIssuer,
    istioBase: mesh.base,
    istiod: mesh.istiod,
    istioNamespace: mesh.systemNamespace,
    nodeGroups: cluster.nodeGroups,
    tags,
  });
  const outputs = {
    istioInstalled: true,
    istioMode: mesh.mode,
    istioVersion: mesh.version,
    mtlsMode: security.mtlsMode,
    gatewayNamespace: mesh.gatewayNamespace,
    gatewayServiceName: mesh.gatewayServiceName,
    gatewayHostname: mesh.gatewayHostname,
    // Route 53 alias records to the NLB need its canonical hosted zone (per region, per LB type).
    gatewayHostedZoneId: aws.lb.getHostedZoneIdOutput({ loadBalancerType: "network" }).id,
    lbControllerRoleArn: lbc?.irsa.roleArn,
  };
  return { mesh, lbController: lbc?.release, outputs };
}

/**
 * The multi-cluster pieces that need Istio first: this cluster's reader access (a secret stack
 * output peers read), the peers' remote secrets, the east-west gateway and, in create mode, the
 * security group rules peers need. Returns the stack outputs to export.
 */
function meshPeering(
  cfg: MeshliftConfig,
  mc: MultiClusterConfig,
  cluster: EksCluster,
  tags: Record<string, string>,
  after: {
    afterBase: pulumi.Resource[];
    afterIstiod: pulumi.Resource[];
    lbController?: pulumi.Resource;
  },
): Record<string, unknown> {
  const opts = { providers: [cluster.provider] };
  const remote = new RemoteSecrets(
    "mesh-remote",
    { multiCluster: mc, endpoint: cluster.endpoint, dependsOn: after.afterBase },
    opts,
  );
  if (mc.eastWest.enabled) {
    // Like the ingress gateway: its LoadBalancer Service needs the LB controller, and on rollback or
    // destroy the controller must outlive it, or the Service's finalizer never clears and the NLB
    // (and its security groups) are orphaned.
    const lbc = after.lbController ? [after.lbController] : [];
    new EastWestGateway(
      "mesh-eastwest",
      {
        multiCluster: mc,
        repository: cfg.istio.chartRepository,
        dependsOn: [...after.afterIstiod, ...lbc],
      },
      opts,
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
