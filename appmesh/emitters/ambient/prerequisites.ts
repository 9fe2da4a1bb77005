// What ambient mode needs from the nodes under the pods, checked on what the export says: no Fargate, security groups for pods in standard mode.
import type { AppMeshModel } from "../../model/types";
import type { Findings } from "../../findings";

/**
 * Blockers for pods ambient cannot carry. On Fargate no DaemonSet runs, so neither ztunnel nor the
 * Istio CNI that redirects pod traffic to it; security groups for pods work with ambient only when
 * the VPC CNI enforces them in `standard` mode (`POD_SECURITY_GROUP_ENFORCING_MODE=standard`): its
 * default, `strict`, sends those pods' traffic through their branch ENI, outside the node's path.
 */
export function ambientPrerequisites(model: AppMeshModel, out: Findings): void {
  const facts = model.nodeFacts;
  for (const p of facts.fargatePods) {
    out.at(
      "blocker",
      `Pod ${p.namespace}/${p.name}`,
      p.origin,
      "spec.schedulerName",
      "runs on EKS Fargate, where no node agent runs: neither ztunnel nor the Istio CNI, so ambient cannot carry its traffic; move the namespace off its Fargate profile (to EC2 nodes) before the workloads phase, or keep it on App Mesh",
    );
  }
  if (facts.securityGroupPolicies.length === 0) return;
  const aws = facts.awsNode;
  const mode = aws?.podSecurityGroupEnforcingMode;
  if (aws && mode === "standard") return;
  for (const g of facts.securityGroupPolicies) {
    const source = `SecurityGroupPolicy ${g.namespace}/${g.name}`;
    if (!aws) {
      out.at(
        "warning",
        source,
        g.origin,
        "spec",
        "security groups for pods need POD_SECURITY_GROUP_ENFORCING_MODE=standard on the aws-node DaemonSet for ambient, and the input does not hold kube-system/aws-node: check it (`kubectl -n kube-system get ds aws-node -o yaml`)",
      );
      continue;
    }
    out.at(
      "blocker",
      source,
      g.origin,
      "spec",
      `security groups for pods with the VPC CNI in ${mode === undefined ? "its default strict mode (POD_SECURITY_GROUP_ENFORCING_MODE unset)" : `POD_SECURITY_GROUP_ENFORCING_MODE=${JSON.stringify(mode)}`}: ambient needs standard mode; set POD_SECURITY_GROUP_ENFORCING_MODE=standard on kube-system/aws-node first (and restart those pods)`,
    );
  }
}
