// Offline stand-ins for what the cloud computes: placeholder outputs per resource type and invoke token.
import * as pulumi from "@pulumi/pulumi";
import { COMPUTED } from "./computed";

export { COMPUTED };

export class UnmockedInvokeError extends Error {
  constructor(readonly token: string) {
    super(`offline plan has no stand-in for the data source "${token}"; add one to plan/mocks.ts`);
    this.name = "UnmockedInvokeError";
  }
}

type Outputs = (name: string, inputs: Record<string, unknown>) => Record<string, unknown>;

/** Outputs of remote components and resources whose computed outputs feed other inputs. */
const RESOURCE_OUTPUTS: Record<string, Outputs> = {
  "awsx:ec2:Vpc": () => ({
    vpcId: COMPUTED,
    privateSubnetIds: [COMPUTED, COMPUTED, COMPUTED],
    publicSubnetIds: [COMPUTED, COMPUTED, COMPUTED],
  }),
  "eks:index:Cluster": (_n, inputs) => ({
    eksCluster: {
      name: inputs.name ?? COMPUTED,
      version: inputs.version ?? COMPUTED,
      endpoint: COMPUTED,
      vpcConfig: { clusterSecurityGroupId: COMPUTED, vpcId: inputs.vpcId ?? COMPUTED },
      // EKS picks the service CIDR when the cluster is created: unknown until then.
      kubernetesNetworkConfig: { ipFamily: "ipv4", serviceIpv4Cidr: pulumi.runtime.unknownValue },
    },
    kubeconfigJson: COMPUTED,
    oidcProviderArn: COMPUTED,
    oidcIssuer: COMPUTED,
    clusterSecurityGroupId: COMPUTED,
    nodeSecurityGroupId: COMPUTED,
  }),
  "eks:index:ManagedNodeGroup": () => ({ nodeGroup: { nodeGroupName: COMPUTED } }),
  "aws:iam/role:Role": (name) => ({ arn: COMPUTED, name: `${name}-${COMPUTED}` }),
  "aws:iam/policy:Policy": () => ({ arn: COMPUTED }),
  "pulumi:pulumi:StackReference": (name, inputs) =>
    peerStackOutputs(typeof inputs.name === "string" ? inputs.name : name),
  "kubernetes:helm.sh/v3:Release": (_n, inputs) => ({
    status: { name: inputs.name, namespace: inputs.namespace, status: "deployed" },
  }),
  // Read back after the gateway release (Service.get): the NLB's name only AWS knows.
  "kubernetes:core/v1:Service": () => ({
    status: { loadBalancer: { ingress: [{ hostname: COMPUTED }] } },
  }),
  // Keys and certificates only exist once the tls provider runs: offline they stay unknown, so
  // nothing downstream (chain checks, cacerts data) pretends to hold a real PEM.
  "tls:index/privateKey:PrivateKey": () => ({
    privateKeyPem: pulumi.runtime.unknownValue,
    publicKeyPem: pulumi.runtime.unknownValue,
  }),
  "tls:index/selfSignedCert:SelfSignedCert": () => ({ certPem: pulumi.runtime.unknownValue }),
  "tls:index/certRequest:CertRequest": () => ({ certRequestPem: pulumi.runtime.unknownValue }),
  "tls:index/locallySignedCert:LocallySignedCert": () => ({ certPem: pulumi.runtime.unknownValue }),
  // Kubernetes fills a service-account-token Secret's data (base64).
  "kubernetes:core/v1:Secret": (_n, inputs) =>
    inputs.type === "kubernetes.io/service-account-token"
      ? { data: { token: COMPUTED_B64, "ca.crt": COMPUTED_B64 } }
      : {},
};

/** "<computed>" in base64, for values Kubernetes stores encoded. */
const COMPUTED_B64 = Buffer.from(COMPUTED).toString("base64");

/**
 * What another meshlift stack of the mesh exports (builders/multicluster.ts OUTPUTS): its
 * cluster id is taken to be its stack name, as in the example stacks; the root CA is unknown.
 */
function peerStackOutputs(qualified: string): Record<string, unknown> {
  const stack = qualified.split("/").pop() as string;
  return {
    outputs: {
      meshRootCertPem: pulumi.runtime.unknownValue,
      meshRootKeyPem: pulumi.runtime.unknownValue,
      meshRemoteAccess: {
        clusterName: stack,
        network: COMPUTED,
        server: `https://${COMPUTED}.${stack}.eks.amazonaws.com`,
        caData: COMPUTED_B64,
        token: COMPUTED,
      },
    },
    secretOutputNames: ["meshRootKeyPem", "meshRemoteAccess"],
  };
}

/** Data sources the program calls, with offline answers. Anything else fails loudly. */
const INVOKES: Record<string, (inputs: Record<string, unknown>) => Record<string, unknown>> = {
  "aws:eks/getCluster:getCluster": (i) => ({
    name: i.name,
    // The version and Auto Mode of an adopted cluster are only known to EKS.
    version: COMPUTED,
    computeConfigs: [],
    endpoint: COMPUTED,
    certificateAuthorities: [{ data: COMPUTED }],
    identities: [{ oidcs: [{ issuer: `https://${COMPUTED}` }] }],
    vpcConfig: { vpcId: COMPUTED, clusterSecurityGroupId: COMPUTED },
    // Only EKS knows the adopted cluster's service CIDR.
    kubernetesNetworkConfigs: [{ ipFamily: "ipv4", serviceIpv4Cidr: pulumi.runtime.unknownValue }],
  }),
  "aws:iam/getOpenIdConnectProvider:getOpenIdConnectProvider": (i) => ({
    arn: COMPUTED,
    url: i.url,
  }),
  "aws:index/getRegion:getRegion": () => ({ name: COMPUTED, region: COMPUTED }),
  "aws:index/getCallerIdentity:getCallerIdentity": () => ({ accountId: COMPUTED, arn: COMPUTED }),
  "aws:index/getPartition:getPartition": () => ({ partition: "aws", dnsSuffix: "amazonaws.com" }),
  // The zone's id is only known to Route 53; its name echoes back so records stay readable.
  "aws:route53/getZone:getZone": (i) => ({
    id: COMPUTED,
    zoneId: COMPUTED,
    name: i.name,
    privateZone: i.privateZone ?? false,
  }),
};

export const offlineMocks: pulumi.runtime.Mocks = {
  newResource(args) {
    const extra = RESOURCE_OUTPUTS[args.type]?.(args.name, args.inputs) ?? {};
    return { id: `${args.name}-id`, state: { ...args.inputs, ...extra } };
  },
  call(args) {
    const fn = INVOKES[args.token];
    if (!fn) throw new UnmockedInvokeError(args.token);
    return fn(args.inputs);
  },
};
