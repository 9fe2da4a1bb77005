// The meshlift program as a function: index.ts runs it under `pulumi up`, the offline plan under mocks.
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "./config/errors";
import { MeshliftConfig, parseConfig } from "./config/load";
import { CrossClusterRules } from "./components/cross-cluster-rules";
import { EastWestGateway } from "./components/east-west-gateway";
import { EksCluster } from "./components/eks-cluster";
import { MeshCa } from "./components/mesh-ca";
import { MeshRoot } from "./components/mesh-root";
import { OUTPUTS, ownsRoot } from "./components/multicluster-spec";
import { RemoteSecrets } from "./components/remote-secrets";
import { MultiClusterConfig } from "./config/sections/multicluster";
import { DeployedState, guardPhase, TransitionError } from "./phases/deployed";
import { PHASE_SPECS } from "./phases/phases";

export interface ProgramOptions {
  /** What the stack last deployed; `pulumi up` reads it from the stack's own outputs. */
  readonly deployed: DeployedState;
}

/** Reads the stack's previous outputs through a reference to itself. */
export async function readOwnOutputs(): Promise<DeployedState> {
  const name = `${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`;
  const self = new pulumi.StackReference(`${pulumi.getStack()}-previous`, { name });
  const outputs: Record<string, unknown> = {};
  for (const key of ["phase", "istioMode"]) {
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
  let guard;
  try {
    guard = guardPhase(opts.deployed, cfg.phase, cfg.allowPhaseSkip);
  } catch (e) {
    if (e instanceof TransitionError) throw new pulumi.RunError(e.message);
    throw e;
  }
  const spec = PHASE_SPECS[cfg.phase];
  const tags = { "meshlift:environment": cfg.environment, "meshlift:stack": cfg.stack };

  const cluster = new EksCluster("cluster", { cluster: cfg.cluster, region: cfg.region, tags });

  // One mesh over several cluster stacks (docs/multicluster.md). The caStack's root CA exists in
  // every phase, so that a rollback never deletes what the other clusters chain to; the rest waits
  // until Istio is installed.
  const mc = cfg.multiCluster;
  const meshRoot =
    mc && ownsRoot(mc, cfg.stack)
      ? new MeshRoot("mesh-root", {
          multiCluster: mc,
          protect: cfg.environment.startsWith("prod"),
        })
      : undefined;
  const meshCa =
    mc && spec.istioInstalled
      ? new MeshCa(
          "mesh-ca",
          { multiCluster: mc, stack: cfg.stack, root: meshRoot, createNamespace: true },
          { providers: [cluster.provider], dependsOn: cluster.nodeGroups },
        )
      : undefined;
  // integrate: pass meshCa.cacerts as istiodDependsOn and multiClusterIstiodValues(...) as istiodValues:
  //   new IstioMesh(..., { istiodDependsOn: meshCa?.istio.istiodDependsOn,
  //   istiodValues: meshCa?.istio.istiodValues }); MeshCa creates istio-system (with the network
  //   label), so IstioMesh must not create it too; then add the base release and istiod to
  //   afterBase / afterIstiod below.
  const peering =
    meshCa && mc
      ? meshPeering(cfg, mc, cluster, tags, { afterBase: [meshCa], afterIstiod: [meshCa] })
      : {};

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
    ...meshRoot?.outputs,
    ...peering,
  };
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
  after: { afterBase: pulumi.Resource[]; afterIstiod: pulumi.Resource[] },
): Record<string, unknown> {
  const opts = { providers: [cluster.provider] };
  const remote = new RemoteSecrets(
    "mesh-remote",
    { multiCluster: mc, endpoint: cluster.endpoint, dependsOn: after.afterBase },
    opts,
  );
  if (mc.eastWest.enabled) {
    new EastWestGateway("mesh-eastwest", { multiCluster: mc, dependsOn: after.afterIstiod }, opts);
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
