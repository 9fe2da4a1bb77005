// EksCluster: a new EKS cluster with its VPC, managed node groups and IRSA, or an adopted one, behind one shape.
import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as eks from "@pulumi/eks";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AwsIdentity } from "../config/sections/aws";
import {
  ClusterConfig,
  CreateClusterConfig,
  ExistingClusterConfig,
} from "../config/sections/cluster";
import {
  adminAccessEntries,
  adoptedKubeconfig,
  ISTIO_CONTROL_PLANE_PORTS,
  issuerHostPath,
  kubernetesApiExcludeRange,
  NODE_ROLE_POLICIES,
  NodeGroupNaming,
  nodeGroupSpecs,
  ServiceNetwork,
} from "../builders/eks-cluster";

export interface EksClusterArgs {
  /** The validated `meshlift:cluster` section. */
  readonly cluster: ClusterConfig;
  /** AWS region, for the adopted cluster's kubeconfig. */
  readonly region: string;
  /** `aws:profile` / assumed role: kubeconfig tokens are minted as the AWS provider's identity. @default {} */
  readonly awsIdentity?: AwsIdentity;
  /** Tags for every AWS resource this component creates. @default {} */
  readonly tags?: Record<string, string>;
  /** How a created cluster's node groups are named (phases/guards.ts decides). @default prefix */
  readonly nodeGroupNaming?: NodeGroupNaming;
  /**
   * Taint a created cluster's nodes `cni.istio.io/not-ready:NoSchedule` (istiod removes it once the
   * node's CNI agent is ready): set while Istio is installed, never before, since nothing would
   * remove it. @default false
   */
  readonly cniNotReadyTaint?: boolean;
}

/** What both modes expose, so that the rest of the program does not care which one ran. */
export class EksCluster extends pulumi.ComponentResource {
  public readonly clusterName: pulumi.Output<string>;
  public readonly endpoint: pulumi.Output<string>;
  public readonly oidcProviderArn: pulumi.Output<string>;
  /** Issuer URL without `https://`, as IAM condition keys use it. */
  public readonly oidcIssuer: pulumi.Output<string>;
  /** The security group the nodes run in (the EKS cluster security group for managed node groups). */
  public readonly nodeSecurityGroupId: pulumi.Output<string>;
  public readonly vpcId: pulumi.Output<string>;
  public readonly kubeconfig: pulumi.Output<string>;
  /** The Kubernetes version the cluster runs (for an adopted cluster: read, never set). */
  public readonly kubernetesVersion: pulumi.Output<string>;
  public readonly provider: k8s.Provider;
  /** Resources that must exist before workloads are scheduled (node groups); empty when adopted. */
  public readonly nodeGroups: pulumi.Resource[];
  /**
   * The Kubernetes API Service's address as a sidecar exclusion range ("172.20.0.1/32"), from the
   * cluster's service CIDR as EKS reports it (read from the adopted cluster, or from the one created).
   */
  public readonly kubernetesApiRange: pulumi.Output<string>;

  constructor(name: string, args: EksClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("meshlift:cluster:EksCluster", name, {}, opts);
    const c = args.cluster;
    const built =
      c.mode === "create"
        ? this.create(name, c, args.tags ?? {}, args.nodeGroupNaming ?? "prefix", {
            cniNotReadyTaint: args.cniNotReadyTaint ?? false,
            identity: args.awsIdentity ?? {},
          })
        : this.adopt(name, c, args.region, args.awsIdentity ?? {});
    this.clusterName = built.clusterName;
    this.endpoint = built.endpoint;
    this.oidcProviderArn = built.oidcProviderArn;
    this.oidcIssuer = built.oidcIssuer;
    this.nodeSecurityGroupId = built.nodeSecurityGroupId;
    this.vpcId = built.vpcId;
    this.kubeconfig = pulumi.secret(built.kubeconfig);
    this.nodeGroups = built.nodeGroups;
    this.kubernetesVersion = built.kubernetesVersion;
    this.kubernetesApiRange = built.serviceNetwork.apply((net) => {
      try {
        return kubernetesApiExcludeRange(net);
      } catch (e) {
        throw new pulumi.ResourceError(`cluster: ${(e as Error).message}`, this);
      }
    });
    this.provider = new k8s.Provider(
      `${name}-k8s`,
      { kubeconfig: this.kubeconfig, enableServerSideApply: true },
      // The kubeconfig is an output of the cluster; the explicit edge keeps cluster -> provider visible.
      { parent: this, dependsOn: built.dependsOn },
    );
    this.registerOutputs({
      clusterName: this.clusterName,
      endpoint: this.endpoint,
      oidcProviderArn: this.oidcProviderArn,
      oidcIssuer: this.oidcIssuer,
      nodeSecurityGroupId: this.nodeSecurityGroupId,
      vpcId: this.vpcId,
    });
  }

  private create(
    name: string,
    c: CreateClusterConfig,
    tags: Record<string, string>,
    naming: NodeGroupNaming,
    nodes: { cniNotReadyTaint: boolean; identity: AwsIdentity },
  ): Built {
    const protect = c.protect;
    const network = c.vpc.vpcId
      ? {
          vpcId: pulumi.output(c.vpc.vpcId),
          privateSubnetIds: pulumi.output(c.vpc.privateSubnetIds ?? []),
          publicSubnetIds: pulumi.output(c.vpc.publicSubnetIds ?? []),
        }
      : this.createVpc(name, c, tags);

    const cluster = new eks.Cluster(
      `${name}-eks`,
      {
        name: c.name,
        version: c.kubernetesVersion,
        vpcId: network.vpcId,
        privateSubnetIds: network.privateSubnetIds,
        publicSubnetIds: network.publicSubnetIds,
        skipDefaultNodeGroup: true,
        nodeAssociatePublicIpAddress: false,
        authenticationMode: eks.AuthenticationMode.Api,
        createOidcProvider: true,
        endpointPrivateAccess: true,
        endpointPublicAccess: c.endpointPublicAccess,
        // Without this the kubeconfig's `aws eks get-token` uses the default credential chain,
        // which can be another identity than the one that created the cluster.
        ...(nodes.identity.profile || nodes.identity.roleArn
          ? {
              providerCredentialOpts: {
                profileName: nodes.identity.profile,
                roleArn: nodes.identity.roleArn,
              },
            }
          : {}),
        // EKS Auto Mode runs the nodes (general-purpose and system node pools) and their NLBs.
        ...(c.autoMode ? { autoMode: { enabled: true } } : {}),
        tags,
      },
      { parent: this, protect },
    );

    this.adminAccess(name, cluster, c.adminRoleArns);
    const nodeGroups = c.autoMode
      ? []
      : this.managedNodeGroups(name, c, cluster, network.privateSubnetIds, tags, naming, nodes);

    // Managed node groups run in the EKS-created cluster security group; open Istio's ports on it
    // from the control plane security group explicitly, so tightening the defaults cannot break Istio.
    const nodeSecurityGroupId = pulumi
      .output(cluster.eksCluster)
      .apply((e) => e.vpcConfig)
      .apply((v) => v.clusterSecurityGroupId);
    for (const rule of ISTIO_CONTROL_PLANE_PORTS) {
      new aws.vpc.SecurityGroupIngressRule(
        `${name}-istio-${rule.port}`,
        {
          securityGroupId: nodeSecurityGroupId,
          referencedSecurityGroupId: cluster.clusterSecurityGroupId,
          ipProtocol: "tcp",
          fromPort: rule.port,
          toPort: rule.port,
          description: rule.description,
          tags,
        },
        { parent: this },
      );
    }

    return {
      clusterName: pulumi.output(cluster.eksCluster).apply((e) => e.name),
      endpoint: pulumi.output(cluster.eksCluster).apply((e) => e.endpoint),
      oidcProviderArn: cluster.oidcProviderArn,
      oidcIssuer: cluster.oidcIssuer.apply(issuerHostPath),
      nodeSecurityGroupId,
      vpcId: network.vpcId,
      kubeconfig: cluster.kubeconfigJson,
      kubernetesVersion: pulumi.output(cluster.eksCluster).apply((e) => e.version),
      serviceNetwork: pulumi
        .output(cluster.eksCluster)
        .apply((e) => e.kubernetesNetworkConfig)
        .apply((n) => n ?? {}),
      nodeGroups,
      dependsOn: [cluster, ...nodeGroups],
    };
  }

  /** The node role and the `core` and `gateway` managed node groups. */
  private managedNodeGroups(
    name: string,
    c: CreateClusterConfig,
    cluster: eks.Cluster,
    subnetIds: pulumi.Input<string[]>,
    tags: Record<string, string>,
    naming: NodeGroupNaming,
    nodes: { cniNotReadyTaint: boolean },
  ): eks.ManagedNodeGroup[] {
    const protect = c.protect;
    const nodeRole = new aws.iam.Role(
      `${name}-node-role`,
      {
        assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: "ec2.amazonaws.com" }),
        tags,
      },
      { parent: this, protect },
    );
    const attachments = NODE_ROLE_POLICIES.map(
      (policyArn) =>
        new aws.iam.RolePolicyAttachment(
          `${name}-node-${policyArn.split("/").pop()}`,
          { role: nodeRole.name, policyArn },
          { parent: this },
        ),
    );

    return nodeGroupSpecs(c, naming, nodes).map(
      (g) =>
        new eks.ManagedNodeGroup(
          `${name}-${g.role}`,
          {
            cluster,
            nodeGroupName: g.nodeGroupName,
            nodeGroupNamePrefix: g.nodeGroupNamePrefix,
            nodeRoleArn: nodeRole.arn,
            instanceTypes: g.instanceTypes,
            scalingConfig: g.scalingConfig,
            diskSize: g.diskSize,
            subnetIds,
            labels: g.labels,
            taints: g.taints,
            tags,
          },
          { parent: this, protect, dependsOn: [cluster, ...attachments] },
        ),
    );
  }

  /**
   * One EKS access entry (cluster admin) per role, named after the role so that removing or
   * reordering `adminRoleArns` touches only that role's entry. The first meshlift versions let
   * eks.Cluster create them as `<cluster>-admin-<index>`; the aliases carry those over, assuming the
   * list is unchanged in the update that upgrades meshlift.
   */
  private adminAccess(name: string, cluster: eks.Cluster, roleArns: readonly string[]): void {
    const clusterName = pulumi.output(cluster.eksCluster).apply((e) => e.name);
    adminAccessEntries(roleArns).forEach((e, i) => {
      // eks.Cluster named them `<its name>-<key>` under itself, with the key `admin-<index>`.
      const legacy = `${name}-eks-admin-${i}`;
      const entry = new aws.eks.AccessEntry(
        `${name}-${e.key}`,
        { clusterName, principalArn: e.principalArn },
        { parent: this, dependsOn: [cluster], aliases: [{ name: legacy, parent: cluster }] },
      );
      new aws.eks.AccessPolicyAssociation(
        `${name}-${e.key}-admin`,
        {
          clusterName,
          principalArn: e.principalArn,
          policyArn: e.policyArn,
          accessScope: { type: "cluster" },
        },
        {
          parent: entry,
          dependsOn: [entry],
          aliases: [
            {
              name: `${legacy}-admin`,
              parent: pulumi.createUrn(legacy, "aws:eks/accessEntry:AccessEntry", cluster),
            },
          ],
        },
      );
    });
  }

  private createVpc(name: string, c: CreateClusterConfig, tags: Record<string, string>) {
    const vpc = new awsx.ec2.Vpc(
      `${name}-vpc`,
      {
        cidrBlock: c.vpc.cidr,
        numberOfAvailabilityZones: c.vpc.availabilityZones,
        natGateways: { strategy: c.vpc.natGateways === "single" ? "Single" : "OnePerAz" },
        subnetStrategy: "Auto",
        subnetSpecs: [
          // The tags let the LB controller place internet-facing and internal NLBs.
          { type: "Private", tags: { "kubernetes.io/role/internal-elb": "1", ...tags } },
          { type: "Public", tags: { "kubernetes.io/role/elb": "1", ...tags } },
        ],
        enableDnsHostnames: true,
        tags,
      },
      { parent: this, protect: c.protect },
    );
    return {
      vpcId: vpc.vpcId,
      privateSubnetIds: vpc.privateSubnetIds,
      publicSubnetIds: vpc.publicSubnetIds,
    };
  }

  /** Reads an existing cluster; registers nothing in AWS, so it can never modify or replace it. */
  private adopt(
    _name: string,
    c: ExistingClusterConfig,
    region: string,
    identity: AwsIdentity,
  ): Built {
    const found = aws.eks.getClusterOutput({ name: c.name }, { parent: this });
    const issuer = found.identities.apply((ids) => {
      const url = ids[0]?.oidcs[0]?.issuer;
      if (!url) {
        throw new pulumi.ResourceError(
          `cluster "${c.name}" has no OIDC issuer; IRSA needs one (eksctl utils associate-iam-oidc-provider)`,
          this,
        );
      }
      return url;
    });
    const provider = aws.iam.getOpenIdConnectProviderOutput({ url: issuer }, { parent: this });
    return {
      clusterName: found.name,
      endpoint: found.endpoint,
      oidcProviderArn: provider.arn,
      oidcIssuer: issuer.apply(issuerHostPath),
      nodeSecurityGroupId: found.vpcConfig.apply((v) => v.clusterSecurityGroupId),
      vpcId: found.vpcConfig.apply((v) => v.vpcId),
      kubeconfig: pulumi
        .all([found.endpoint, found.certificateAuthorities])
        .apply(([endpoint, cas]) =>
          adoptedKubeconfig({
            name: c.name,
            endpoint,
            certificateAuthorityData: cas[0]?.data ?? "",
            region,
            ...identity,
          }),
        ),
      kubernetesVersion: found.version,
      serviceNetwork: found.kubernetesNetworkConfigs.apply((n) => n[0] ?? {}),
      nodeGroups: [],
      dependsOn: [],
    };
  }
}

interface Built {
  clusterName: pulumi.Output<string>;
  endpoint: pulumi.Output<string>;
  oidcProviderArn: pulumi.Output<string>;
  oidcIssuer: pulumi.Output<string>;
  nodeSecurityGroupId: pulumi.Output<string>;
  vpcId: pulumi.Output<string>;
  kubeconfig: pulumi.Output<string>;
  kubernetesVersion: pulumi.Output<string>;
  serviceNetwork: pulumi.Output<ServiceNetwork>;
  nodeGroups: pulumi.Resource[];
  dependsOn: pulumi.Resource[];
}
