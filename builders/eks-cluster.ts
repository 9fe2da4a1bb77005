// Pure builders for EksCluster: node group specs, Istio's security group rules, the adopted-cluster kubeconfig, the Kubernetes API service address.
import ipaddr from "ipaddr.js";
import { CreateClusterConfig, NodeGroupConfig } from "../config/sections/cluster";

/** The label and taint that keep the Istio ingress gateway on its own nodes. */
export const GATEWAY_NODE_LABEL = { key: "istio", value: "ingressgateway" } as const;
export const GATEWAY_NODE_TAINT = {
  key: "dedicated",
  value: "istio-gateway",
  effect: "NO_SCHEDULE",
} as const;

/**
 * The taint Istio's CNI node agent readiness is signalled by: a new node carries it until the
 * istio-cni pod on it is ready, when istiod's untaint controller removes it, so no pod can start
 * there before its traffic can be redirected into the mesh (istio/istio#48818).
 */
export const CNI_NOT_READY_TAINT = {
  key: "cni.istio.io/not-ready",
  effect: "NO_SCHEDULE",
} as const;

/**
 * How managed node groups are named. `prefix`: EKS generates the name from a prefix, so a change
 * that replaces a node group (instance types, disk size, subnets) creates the new one beside the old
 * one before deleting it. `fixed`: the name the first meshlift versions gave them, which such a
 * replacement cannot reuse while the old group exists ("already exists").
 */
export type NodeGroupNaming = "prefix" | "fixed";

/** EKS node group names are at most 63 characters; a generated suffix takes 26 of them. */
export const NODE_GROUP_PREFIX_MAX = 37;

export interface NodeGroupSpec {
  readonly role: "core" | "gateway";
  /** Set with naming `fixed`. */
  readonly nodeGroupName?: string;
  /** Set with naming `prefix`. */
  readonly nodeGroupNamePrefix?: string;
  readonly instanceTypes: string[];
  readonly scalingConfig: { minSize: number; desiredSize: number; maxSize: number };
  readonly diskSize: number;
  readonly labels: Record<string, string>;
  readonly taints: { key: string; value?: string; effect: string }[];
}

/** `<cluster>-<role>-`, the cluster part cut so that EKS can append its suffix. */
export function nodeGroupNamePrefix(clusterName: string, role: NodeGroupSpec["role"]): string {
  const room = NODE_GROUP_PREFIX_MAX - role.length - 2;
  return `${clusterName.slice(0, room).replace(/[-_]+$/, "")}-${role}-`;
}

function spec(
  clusterName: string,
  naming: NodeGroupNaming,
  role: NodeGroupSpec["role"],
  g: NodeGroupConfig,
  labels: Record<string, string>,
  taints: NodeGroupSpec["taints"],
): NodeGroupSpec {
  return {
    role,
    ...(naming === "fixed"
      ? { nodeGroupName: `${clusterName}-${role}` }
      : { nodeGroupNamePrefix: nodeGroupNamePrefix(clusterName, role) }),
    instanceTypes: [...g.instanceTypes],
    scalingConfig: { minSize: g.minSize, desiredSize: g.desiredSize, maxSize: g.maxSize },
    diskSize: g.diskSize,
    labels: { "meshlift.io/node-role": role, ...labels },
    taints,
  };
}

/** The two managed node groups: `core` for workloads and istiod, `gateway` for the ingress gateway only. */
export function nodeGroupSpecs(
  c: CreateClusterConfig,
  naming: NodeGroupNaming = "prefix",
  opts: {
    /** Taint new nodes until Istio's CNI agent is ready on them: only while Istio is installed. */
    readonly cniNotReadyTaint?: boolean;
  } = {},
): NodeGroupSpec[] {
  const cni = opts.cniNotReadyTaint ? [{ ...CNI_NOT_READY_TAINT }] : [];
  return [
    spec(c.name, naming, "core", c.nodeGroups.core, {}, [...cni]),
    spec(
      c.name,
      naming,
      "gateway",
      c.nodeGroups.gateway,
      { [GATEWAY_NODE_LABEL.key]: GATEWAY_NODE_LABEL.value },
      [{ ...GATEWAY_NODE_TAINT }, ...cni],
    ),
  ];
}

export interface IngressRuleSpec {
  readonly port: number;
  readonly description: string;
}

/**
 * Ports the EKS control plane must reach on the nodes for Istio: the sidecar injector and config
 * validation webhooks (istiod 15017) and istiod's xDS/CA port (15012).
 */
export const ISTIO_CONTROL_PLANE_PORTS: readonly IngressRuleSpec[] = [
  {
    port: 15017,
    description: "EKS control plane to istiod webhooks (sidecar injection, validation)",
  },
  { port: 15012, description: "istiod xDS and certificate signing" },
];

/** The EKS managed policy that access entries use for cluster admins. */
export const CLUSTER_ADMIN_POLICY_ARN =
  "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";

/** The stable key of a role's access entry: its account and name (role names are unique per account). */
export function accessEntryKey(roleArn: string): string {
  const m = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:[^/]*\/)*([^/]+)$/.exec(roleArn);
  if (!m)
    throw new Error(`cluster.adminRoleArns: ${JSON.stringify(roleArn)} is not an IAM role ARN`);
  return `admin-${m[1]}-${m[2]}`;
}

/** EKS access entries for the admin roles (authenticationMode API), keyed by role, not position. */
export function adminAccessEntries(
  roleArns: readonly string[],
): { key: string; principalArn: string; policyArn: string }[] {
  return roleArns.map((arn) => ({
    key: accessEntryKey(arn),
    principalArn: arn,
    policyArn: CLUSTER_ADMIN_POLICY_ARN,
  }));
}

/** Managed policies every EKS node role needs. */
export const NODE_ROLE_POLICIES = [
  "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
  "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
  "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
] as const;

/**
 * Kubeconfig for an adopted cluster, authenticating with `aws eks get-token` like `aws eks
 * update-kubeconfig` writes it, so the provider works with the caller's AWS credentials.
 */
export function adoptedKubeconfig(args: {
  name: string;
  endpoint: string;
  certificateAuthorityData: string;
  region: string;
  /** `aws:profile`: the token is minted with the same credentials as the AWS provider uses. */
  profile?: string;
  /** The role the AWS provider assumes (`aws:assumeRoles`); get-token assumes it too. */
  roleArn?: string;
}): string {
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      {
        name: args.name,
        cluster: {
          server: args.endpoint,
          "certificate-authority-data": args.certificateAuthorityData,
        },
      },
    ],
    contexts: [{ name: args.name, context: { cluster: args.name, user: args.name } }],
    "current-context": args.name,
    users: [
      {
        name: args.name,
        user: {
          exec: {
            apiVersion: "client.authentication.k8s.io/v1beta1",
            command: "aws",
            args: [
              "eks",
              "get-token",
              "--cluster-name",
              args.name,
              "--region",
              args.region,
              ...(args.roleArn ? ["--role-arn", args.roleArn] : []),
            ],
            ...(args.profile ? { env: [{ name: "AWS_PROFILE", value: args.profile }] } : {}),
          },
        },
      },
    ],
  });
}

/** The OIDC issuer without its scheme, as IAM condition keys and provider URLs use it. */
export function issuerHostPath(issuer: string): string {
  return issuer.replace(/^https:\/\//, "");
}

/** The service network of an EKS cluster, as EKS reports it (`kubernetesNetworkConfig`). */
export interface ServiceNetwork {
  readonly ipFamily?: string;
  readonly serviceIpv4Cidr?: string;
  readonly serviceIpv6Cidr?: string;
}

/**
 * The address range sidecars must not intercept so that calls to the Kubernetes API go straight to
 * it: the `kubernetes` Service's ClusterIP, which Kubernetes allocates as the first address of the
 * service CIDR (172.20.0.0/16 -> 172.20.0.1/32). Only that address: excluding the whole service
 * CIDR would take every in-cluster Service out of the mesh.
 */
export function kubernetesApiExcludeRange(net: ServiceNetwork): string {
  const cidr = net.ipFamily === "ipv6" ? net.serviceIpv6Cidr : net.serviceIpv4Cidr;
  const field = net.ipFamily === "ipv6" ? "serviceIpv6Cidr" : "serviceIpv4Cidr";
  let parsed: [ipaddr.IPv4 | ipaddr.IPv6, number];
  try {
    parsed = ipaddr.parseCIDR(cidr ?? "");
  } catch {
    throw new Error(
      `kubernetesNetworkConfig.${field}: ${JSON.stringify(cidr)} is not a CIDR; cannot find the Kubernetes API service address to exclude from the sidecars`,
    );
  }
  const [addr, prefix] = parsed;
  const bytes = (
    addr.kind() === "ipv4"
      ? ipaddr.IPv4.networkAddressFromCIDR(`${addr.toString()}/${prefix}`)
      : ipaddr.IPv6.networkAddressFromCIDR(`${addr.toString()}/${prefix}`)
  ).toByteArray();
  for (let i = bytes.length - 1; i >= 0; i--) {
    bytes[i] = (bytes[i] + 1) & 0xff;
    if (bytes[i] !== 0) break;
  }
  const first = ipaddr.fromByteArray(bytes);
  return `${first.toString()}/${first.kind() === "ipv4" ? 32 : 128}`;
}
