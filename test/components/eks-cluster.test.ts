// EksCluster on its own under mocks: an adopted cluster read, never registered, behind a server-side-apply provider with a secret kubeconfig; the pure node group naming and issuer rules.
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import {
  adoptedKubeconfig,
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
