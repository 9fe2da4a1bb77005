// The meshlift program as a function: index.ts runs it under `pulumi up`, the offline plan under mocks.
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "./config/errors";
import { MeshliftConfig, parseConfig } from "./config/load";
import { EksCluster } from "./components/eks-cluster";
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
  };
}
