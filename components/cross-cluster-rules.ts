// CrossClusterRules: security group rules that let peer clusters reach this one (create mode only).
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { MultiClusterConfig } from "../config/sections/multicluster";
import { crossClusterRules } from "../builders/cross-cluster-rules";
import { cidrFamily } from "../config/sections/network";

export interface CrossClusterRulesArgs {
  /** The validated `meshlift:multiCluster` section: its peers' CIDRs and the topology's ports. */
  readonly multiCluster: MultiClusterConfig;
  /** The cluster security group (EKS-managed nodes and control plane ENIs share it). */
  readonly securityGroupId: pulumi.Input<string>;
  /** Whether the API server is public; a private one needs 443 from peers. */
  readonly endpointPublicAccess: boolean;
  /** @default {} */
  readonly tags?: Record<string, string>;
}

export class CrossClusterRules extends pulumi.ComponentResource {
  public readonly rules: aws.vpc.SecurityGroupIngressRule[];

  constructor(name: string, args: CrossClusterRulesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("meshlift:mesh:CrossClusterRules", name, {}, opts);
    this.rules = crossClusterRules(args.multiCluster, {
      endpointPublicAccess: args.endpointPublicAccess,
    }).map(
      (r) =>
        new aws.vpc.SecurityGroupIngressRule(
          // Named by port and CIDR, so adding a peer never renames (replaces) another's rule.
          `${name}-${r.port}-${r.cidr.replace(/[./:]/g, "-")}`,
          {
            securityGroupId: args.securityGroupId,
            // Peers of an IPv6 cluster give IPv6 CIDRs; the rule takes each family in its own field.
            ...(cidrFamily(r.cidr) === "ipv6" ? { cidrIpv6: r.cidr } : { cidrIpv4: r.cidr }),
            ipProtocol: "tcp",
            fromPort: r.port,
            toPort: r.port,
            description: r.description,
            tags: args.tags ?? {},
          },
          { parent: this },
        ),
    );
    this.registerOutputs({});
  }
}
