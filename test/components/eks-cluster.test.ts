// EksCluster on its own under mocks: a created cluster (VPC, node groups, access entries, Istio ports, protection, Auto Mode) and an adopted one read, never registered, each behind a server-side-apply provider with a secret kubeconfig; the pure naming and issuer rules.
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import {
  adminAccessEntries,
  adoptedKubeconfig,
  ISTIO_CONTROL_PLANE_PORTS,
  issuerHostPath,
  NODE_GROUP_PREFIX_MAX,
  nodeGroupNamePrefix,
  nodeGroupSpecs,
} from "../../builders/eks-cluster";
import { EksCluster } from "../../components/eks-cluster";
import { parseConfig } from "../../config/load";
import { buildUnderMocks, isSecret, optionsSeen, promiseOf } from "../support/component-mocks";

const ISSUER = "https://oidc.eks.eu-west-1.amazonaws.com/id/ABC";
const OIDC_ARN = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC";

function found(over: Record<string, unknown> = {}) {
  return {
    name: "c",
    endpoint: "https://ABC.gr7.eu-west-1.eks.amazonaws.com",
    version: "1.33",
    identities: [{ oidcs: [{ issuer: ISSUER }] }],
    vpcConfig: { clusterSecurityGroupId: "sg-0cluster", vpcId: "vpc-0abc12345" },
    certificateAuthorities: [{ data: "Q0E=" }],
    kubernetesNetworkConfigs: [{ ipFamily: "ipv4", serviceIpv4Cidr: "172.20.0.0/16" }],
    ...over,
  };
}

async function adopt(cluster = found(), identity = {}) {
  const opts = optionsSeen();
  const built = await buildUnderMocks(
    () =>
      new EksCluster(
        "cluster",
        {
          cluster: { mode: "existing", name: "c" },
          region: "eu-west-1",
          awsIdentity: identity,
        },
        { transformations: opts.transformations },
      ),
    {
      settle: (c) => [c.provider.urn, c.clusterName, c.vpcId, c.nodeSecurityGroupId],
      invokes: {
        "aws:eks/getCluster:getCluster": cluster,
        "aws:iam/getOpenIdConnectProvider:getOpenIdConnectProvider": { arn: OIDC_ARN, url: ISSUER },
      },
    },
  );
  return { ...built, seen: opts.seen };
}

describe("EksCluster", () => {
  describe("existing mode", () => {
    it("registers nothing in AWS: only the cluster's Kubernetes provider, server-side apply, under it", async () => {
      const { registered, component, seen } = await adopt();
      assert.deepEqual(
        registered.map((r) => [r.type, r.name]),
        [
          ["meshlift:cluster:EksCluster", "cluster"],
          ["pulumi:providers:kubernetes", "cluster-k8s"],
        ],
      );
      // Provider inputs reach the engine as strings.
      assert.equal(registered[1].inputs.enableServerSideApply, "true");
      assert.equal(seen.get("cluster-k8s")?.parent, component);
      assert.deepEqual(seen.get("cluster-k8s")?.dependsOn, []);
      assert.deepEqual(component.nodeGroups, []);
    });

    it("builds a secret kubeconfig from the adopted endpoint and CA, minting tokens as the AWS identity", async () => {
      const identity = { profile: "platform", roleArn: "arn:aws:iam::111122223333:role/deployer" };
      const { component } = await adopt(found(), identity);
      assert.equal(await isSecret(component.kubeconfig), true);
      assert.equal(
        await promiseOf(component.kubeconfig),
        adoptedKubeconfig({
          name: "c",
          endpoint: found().endpoint,
          certificateAuthorityData: "Q0E=",
          region: "eu-west-1",
          ...identity,
        }),
      );
    });

    it("exposes what it read: name, endpoint, version, VPC, node security group, OIDC, the API's address", async () => {
      const { component: c } = await adopt();
      assert.deepEqual(
        await Promise.all(
          [c.clusterName, c.endpoint, c.kubernetesVersion, c.vpcId, c.nodeSecurityGroupId].map(
            (o) => promiseOf(o),
          ),
        ),
        ["c", found().endpoint, "1.33", "vpc-0abc12345", "sg-0cluster"],
      );
      assert.equal(await promiseOf(c.oidcProviderArn), OIDC_ARN);
      assert.equal(await promiseOf(c.oidcIssuer), "oidc.eks.eu-west-1.amazonaws.com/id/ABC");
      assert.equal(await promiseOf(c.kubernetesApiRange), "172.20.0.1/32");
    });

    it("refuses a cluster without an OIDC issuer, naming the cluster and the fix", async () => {
      const { component } = await adopt(found({ identities: [{ oidcs: [] }] }));
      await assert.rejects(
        promiseOf(component.oidcIssuer),
        (e: unknown) =>
          e instanceof pulumi.ResourceError &&
          /cluster "c" has no OIDC issuer; IRSA needs one \(eksctl utils associate-iam-oidc-provider\)/.test(
            e.message,
          ),
      );
    });

    it("refuses a service CIDR it cannot read, naming the field", async () => {
      const { component } = await adopt(
        found({ kubernetesNetworkConfigs: [{ ipFamily: "ipv4", serviceIpv4Cidr: "not-a-cidr" }] }),
      );
      await assert.rejects(
        promiseOf(component.kubernetesApiRange),
        (e: unknown) =>
          e instanceof pulumi.ResourceError &&
          /^cluster: kubernetesNetworkConfig\.serviceIpv4Cidr: "not-a-cidr" is not a CIDR/.test(
            e.message,
          ),
      );
    });
  });

  describe("create mode", () => {
    async function create(extra: Record<string, string> = {}, naming?: "prefix" | "fixed") {
      const cfg = parseConfig("t", {
        "aws:region": "eu-west-1",
        "meshlift:environment": "qa",
        "meshlift:cluster": JSON.stringify({
          mode: "create",
          adminRoleArns: ["arn:aws:iam::111122223333:role/platform-admin"],
        }),
        ...extra,
      });
      const opts = optionsSeen();
      const built = await buildUnderMocks(
        () =>
          new EksCluster(
            "cluster",
            {
              cluster: cfg.cluster,
              region: "eu-west-1",
              tags: { team: "mesh" },
              ...(naming ? { nodeGroupNaming: naming } : {}),
            },
            { transformations: opts.transformations },
          ),
        {
          settle: () => [...opts.names.keys()].map((r) => r.urn),
          state: (r) =>
            r.type === "eks:index:Cluster"
              ? {
                  eksCluster: {
                    name: "meshlift-qa",
                    endpoint: "https://X.eks.amazonaws.com",
                    version: "1.33",
                    vpcConfig: { clusterSecurityGroupId: "sg-0nodes" },
                    kubernetesNetworkConfig: { serviceIpv4Cidr: "10.100.0.0/16" },
                  },
                  clusterSecurityGroupId: "sg-0controlplane",
                  oidcProviderArn: OIDC_ARN,
                  oidcIssuer: ISSUER,
                  kubeconfigJson: "{}",
                }
              : r.type === "awsx:ec2:Vpc"
                ? {
                    vpcId: "vpc-0new",
                    privateSubnetIds: ["subnet-a"],
                    publicSubnetIds: ["subnet-b"],
                  }
                : r.type === "aws:iam/role:Role"
                  ? { arn: "arn:aws:iam::111122223333:role/node", name: "node" }
                  : {},
        },
      );
      return { ...built, cfg, seen: opts.seen, names: opts.names };
    }

    it("creates one EKS cluster with API authentication, OIDC, no default node group, in a new VPC", async () => {
      const { registered } = await create();
      const [cluster, ...more] = registered.filter((r) => r.type === "eks:index:Cluster");
      assert.deepEqual(more, []);
      assert.equal(cluster.name, "cluster-eks");
      assert.equal(cluster.inputs.authenticationMode, "API");
      assert.equal(cluster.inputs.skipDefaultNodeGroup, true);
      assert.equal(cluster.inputs.createOidcProvider, true);
      assert.equal(cluster.inputs.vpcId, "vpc-0new");
      assert.deepEqual(cluster.inputs.privateSubnetIds, ["subnet-a"]);
      assert.deepEqual(cluster.inputs.tags, { team: "mesh" });
      assert.equal(cluster.inputs.providerCredentialOpts, undefined);
    });

    it("runs the core and gateway node groups from the builder in the private subnets, after the cluster and the node role's policies", async () => {
      const { registered, cfg, seen, names } = await create();
      if (cfg.cluster.mode !== "create") throw new Error("create mode expected");
      const groups = registered.filter((r) => r.type === "eks:index:ManagedNodeGroup");
      const specs = nodeGroupSpecs(cfg.cluster, "prefix", { cniNotReadyTaint: false });
      assert.deepEqual(
        groups.map((g) => [g.name, g.inputs.nodeGroupNamePrefix, g.inputs.nodeGroupName]),
        specs.map((g) => [`cluster-${g.role}`, g.nodeGroupNamePrefix, undefined]),
      );
      for (const [i, g] of groups.entries()) {
        assert.deepEqual(g.inputs.scalingConfig, specs[i].scalingConfig, g.name);
        assert.deepEqual(g.inputs.instanceTypes, specs[i].instanceTypes, g.name);
        assert.deepEqual(g.inputs.subnetIds, ["subnet-a"], g.name);
        assert.equal(g.inputs.nodeRoleArn, "arn:aws:iam::111122223333:role/node", g.name);
        const deps = (seen.get(g.name)?.dependsOn as pulumi.Resource[]).map((r) => names.get(r));
        assert.deepEqual(deps, [
          "cluster-eks",
          "cluster-node-AmazonEKSWorkerNodePolicy",
          "cluster-node-AmazonEKS_CNI_Policy",
          "cluster-node-AmazonEC2ContainerRegistryReadOnly",
        ]);
      }
      const provider = (seen.get("cluster-k8s")?.dependsOn as pulumi.Resource[]).map((r) =>
        names.get(r),
      );
      assert.deepEqual(provider, ["cluster-eks", ...groups.map((g) => g.name)]);
    });

    it("opens Istio's control plane ports from the cluster's security group to the nodes", async () => {
      const { registered } = await create();
      const rules = registered.filter(
        (r) => r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
      );
      assert.deepEqual(
        rules.map((r) => [r.name, r.inputs.fromPort, r.inputs.toPort, r.inputs.ipProtocol]),
        ISTIO_CONTROL_PLANE_PORTS.map((p) => [`cluster-istio-${p.port}`, p.port, p.port, "tcp"]),
      );
      for (const r of rules) {
        assert.equal(r.inputs.securityGroupId, "sg-0nodes");
        assert.equal(r.inputs.referencedSecurityGroupId, "sg-0controlplane");
      }
    });

    it("gives each admin role an access entry keyed by the role, carrying over the index-named one", async () => {
      const { registered, seen } = await create();
      const [entry] = registered.filter((r) => r.type === "aws:eks/accessEntry:AccessEntry");
      const [e] = adminAccessEntries(["arn:aws:iam::111122223333:role/platform-admin"]);
      assert.equal(entry.name, `cluster-${e.key}`);
      assert.deepEqual(
        [entry.inputs.clusterName, entry.inputs.principalArn],
        ["meshlift-qa", e.principalArn],
      );
      const aliases = seen.get(entry.name)?.aliases as { name: string }[];
      assert.deepEqual(
        aliases.map((a) => a.name),
        ["cluster-eks-admin-0"],
      );
      const [assoc] = registered.filter(
        (r) => r.type === "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
      );
      assert.equal(assoc.inputs.policyArn, e.policyArn);
      assert.deepEqual(assoc.inputs.accessScope, { type: "cluster" });
    });

    it("exposes the created cluster's name, node security group, issuer host path, the API's address and a secret kubeconfig", async () => {
      const { component: c } = await create();
      assert.equal(await promiseOf(c.clusterName), "meshlift-qa");
      assert.equal(await promiseOf(c.nodeSecurityGroupId), "sg-0nodes");
      assert.equal(await promiseOf(c.vpcId), "vpc-0new");
      assert.equal(await promiseOf(c.oidcIssuer), "oidc.eks.eu-west-1.amazonaws.com/id/ABC");
      assert.equal(await promiseOf(c.kubernetesApiRange), "10.100.0.1/32");
      assert.equal(await isSecret(c.kubeconfig), true);
      assert.equal(c.nodeGroups.length, 2);
    });

    it("protects the cluster, VPC, node role and node groups when asked, and not by default in qa", async () => {
      const protectedNames = [
        "cluster-eks",
        "cluster-vpc",
        "cluster-node-role",
        "cluster-core",
        "cluster-gateway",
      ];
      const plain = await create();
      for (const n of protectedNames) assert.equal(plain.seen.get(n)?.protect, false, n);
      const prod = await create({
        "meshlift:cluster": JSON.stringify({ mode: "create", protect: true }),
      });
      for (const n of protectedNames) assert.equal(prod.seen.get(n)?.protect, true, n);
    });

    it("uses an existing VPC without creating one, and fixed node group names when told", async () => {
      const { registered } = await create(
        {
          "meshlift:cluster": JSON.stringify({
            mode: "create",
            vpc: {
              vpcId: "vpc-0abc12345",
              privateSubnetIds: ["subnet-0aaaaaaaa", "subnet-0bbbbbbbb"],
            },
          }),
        },
        "fixed",
      );
      assert.deepEqual(
        registered.filter((r) => r.type === "awsx:ec2:Vpc"),
        [],
      );
      const [cluster] = registered.filter((r) => r.type === "eks:index:Cluster");
      assert.equal(cluster.inputs.vpcId, "vpc-0abc12345");
      const groups = registered.filter((r) => r.type === "eks:index:ManagedNodeGroup");
      assert.deepEqual(
        groups.map((g) => [g.inputs.nodeGroupName, g.inputs.nodeGroupNamePrefix]),
        [
          ["meshlift-qa-core", undefined],
          ["meshlift-qa-gateway", undefined],
        ],
      );
      assert.deepEqual(groups[0].inputs.subnetIds, ["subnet-0aaaaaaaa", "subnet-0bbbbbbbb"]);
    });

    it("in Auto Mode: no node groups or node role, and the provider waits for the cluster only", async () => {
      const { registered, seen, names, component } = await create({
        "meshlift:cluster": JSON.stringify({ mode: "create", autoMode: true }),
      });
      const [cluster] = registered.filter((r) => r.type === "eks:index:Cluster");
      assert.equal((cluster.inputs.autoMode as { enabled: boolean }).enabled, true);
      assert.deepEqual(
        registered.filter(
          (r) => r.type === "eks:index:ManagedNodeGroup" || r.type === "aws:iam/role:Role",
        ),
        [],
      );
      assert.deepEqual(component.nodeGroups, []);
      const deps = (seen.get("cluster-k8s")?.dependsOn as pulumi.Resource[]).map((r) =>
        names.get(r),
      );
      assert.deepEqual(deps, ["cluster-eks"]);
    });
  });

  it("strips the scheme from the OIDC issuer for IAM condition keys", () => {
    assert.equal(
      issuerHostPath("https://oidc.eks.eu-west-1.amazonaws.com/id/ABC"),
      "oidc.eks.eu-west-1.amazonaws.com/id/ABC",
    );
  });

  it("names node groups after the cluster: a prefix EKS completes, or the fixed name of old stacks", () => {
    const cfg = parseConfig("t", {
      "aws:region": "eu-west-1",
      "meshlift:environment": "qa",
      "meshlift:cluster": '{"mode":"create"}',
    });
    if (cfg.cluster.mode !== "create") throw new Error("create mode expected");
    assert.deepEqual(
      nodeGroupSpecs(cfg.cluster).map((g) => [g.nodeGroupName, g.nodeGroupNamePrefix]),
      [
        [undefined, "meshlift-qa-core-"],
        [undefined, "meshlift-qa-gateway-"],
      ],
    );
    assert.deepEqual(
      nodeGroupSpecs(cfg.cluster, "fixed").map((g) => [g.nodeGroupName, g.nodeGroupNamePrefix]),
      [
        ["meshlift-qa-core", undefined],
        ["meshlift-qa-gateway", undefined],
      ],
    );
    const long = nodeGroupNamePrefix("a".repeat(90), "gateway");
    assert.ok(long.length <= NODE_GROUP_PREFIX_MAX, long);
    assert.match(long, /^a+-gateway-$/);
  });
});
