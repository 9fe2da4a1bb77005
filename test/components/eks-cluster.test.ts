// EksCluster under mocks: node groups, taints, sizes, OIDC, Istio's security group rules, and adoption.
import * as assert from "node:assert/strict";
import { nodeGroupSpecs, adoptedKubeconfig, issuerHostPath } from "../../builders/eks-cluster";
import { parseConfig } from "../../config/load";
import { named, ofType, plan } from "../support/plan";

describe("EksCluster", () => {
  describe("create mode (dev stack)", () => {
    let doc: Awaited<ReturnType<typeof plan>>;
    before(async () => {
      doc = await plan({ stack: "dev" });
    });

    it("creates one EKS cluster with API authentication, OIDC and no default node group", () => {
      const [c] = ofType(doc, "eks:index:Cluster");
      assert.equal(ofType(doc, "eks:index:Cluster").length, 1);
      assert.equal(c.inputs.authenticationMode, "API");
      assert.equal(c.inputs.createOidcProvider, true);
      assert.equal(c.inputs.skipDefaultNodeGroup, true);
      assert.equal(c.inputs.version, "1.36");
      const entries = c.inputs.accessEntries as Record<
        string,
        { principalArn: string; accessPolicies: Record<string, { policyArn: string }> }
      >;
      assert.equal(
        entries["admin-0"].principalArn,
        "arn:aws:iam::111122223333:role/platform-admin",
      );
      assert.match(
        entries["admin-0"].accessPolicies.admin.policyArn,
        /AmazonEKSClusterAdminPolicy$/,
      );
    });

    it("creates a 3-AZ VPC and puts the nodes in its private subnets", () => {
      const vpc = named(doc, "cluster-vpc");
      assert.equal(vpc.inputs.numberOfAvailabilityZones, 3);
      const core = named(doc, "cluster-core");
      assert.ok(core.dependsOn.includes(vpc.urn), "node group subnets come from the VPC");
      assert.deepEqual(core.inputs.subnetIds, ["<computed>", "<computed>", "<computed>"]);
    });

    it("sizes the core and gateway node groups from config", () => {
      assert.deepEqual(named(doc, "cluster-core").inputs.scalingConfig, {
        minSize: 2,
        desiredSize: 2,
        maxSize: 4,
      });
      assert.deepEqual(named(doc, "cluster-gateway").inputs.scalingConfig, {
        minSize: 1,
        desiredSize: 1,
        maxSize: 2,
      });
      assert.deepEqual(named(doc, "cluster-core").inputs.instanceTypes, ["m6i.large"]);
    });

    it("labels and taints the gateway node group for the ingress gateway only", () => {
      const gw = named(doc, "cluster-gateway");
      assert.equal((gw.inputs.labels as Record<string, string>).istio, "ingressgateway");
      assert.deepEqual(gw.inputs.taints, [
        { key: "dedicated", value: "istio-gateway", effect: "NO_SCHEDULE" },
      ]);
      assert.deepEqual(named(doc, "cluster-core").inputs.taints, []);
    });

    it("orders node groups after the cluster and the provider after both", () => {
      const cluster = named(doc, "cluster-eks");
      const core = named(doc, "cluster-core");
      const provider = named(doc, "cluster-k8s");
      assert.ok(core.dependsOn.includes(cluster.urn));
      assert.ok(provider.dependsOn.includes(cluster.urn));
      assert.ok(provider.dependsOn.includes(core.urn));
      assert.deepEqual(provider.inputs.kubeconfig, "[secret]");
    });

    it("opens 15017 and 15012 from the control plane to the nodes", () => {
      const rules = ofType(doc, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
      assert.deepEqual(rules.map((r) => r.inputs.fromPort).sort(), [15012, 15017]);
      for (const r of rules) {
        assert.equal(r.inputs.ipProtocol, "tcp");
        assert.equal(r.inputs.fromPort, r.inputs.toPort);
        assert.ok(r.dependsOn.includes(named(doc, "cluster-eks").urn));
      }
    });

    it("does not protect a dev cluster", () => {
      assert.equal(named(doc, "cluster-eks").protect, false);
    });
  });

  it("protects the cluster, VPC and node groups in a prod environment", async () => {
    const doc = await plan({ stack: "dev", set: { environment: "prod-test" } });
    for (const n of ["cluster-eks", "cluster-core", "cluster-gateway", "cluster-vpc"]) {
      assert.equal(named(doc, n).protect, true, n);
    }
  });

  it("uses an existing VPC without creating one", async () => {
    const doc = await plan({
      stack: "dev",
      set: {
        "cluster.vpc": JSON.stringify({
          vpcId: "vpc-0123456789abcdef0",
          privateSubnetIds: ["subnet-0aaaaaaaa", "subnet-0bbbbbbbb"],
        }),
      },
    });
    assert.equal(ofType(doc, "awsx:ec2:Vpc").length, 0);
    assert.equal(named(doc, "cluster-eks").inputs.vpcId, "vpc-0123456789abcdef0");
    assert.deepEqual(named(doc, "cluster-core").inputs.subnetIds, [
      "subnet-0aaaaaaaa",
      "subnet-0bbbbbbbb",
    ]);
  });

  describe("existing mode (prod stack)", () => {
    it("registers no cluster, node group, VPC or security group rule", async () => {
      const doc = await plan({ stack: "prod" });
      const aws = doc.resources.filter((r) => /^(aws|eks|awsx):/.test(r.type));
      assert.deepEqual(aws, []);
      assert.equal(named(doc, "cluster-k8s").type, "pulumi:providers:kubernetes");
      assert.equal(doc.outputs.clusterName, "platform-prod");
    });

    it("builds a kubeconfig from the adopted endpoint and CA with aws eks get-token", () => {
      const kc = JSON.parse(
        adoptedKubeconfig({
          name: "c1",
          endpoint: "https://x",
          certificateAuthorityData: "Q0E=",
          region: "us-east-1",
        }),
      );
      assert.equal(kc.clusters[0].cluster.server, "https://x");
      assert.equal(kc.clusters[0].cluster["certificate-authority-data"], "Q0E=");
      assert.deepEqual(kc.users[0].user.exec.args, [
        "eks",
        "get-token",
        "--cluster-name",
        "c1",
        "--region",
        "us-east-1",
      ]);
    });
  });

  it("strips the scheme from the OIDC issuer for IAM condition keys", () => {
    assert.equal(
      issuerHostPath("https://oidc.eks.eu-west-1.amazonaws.com/id/ABC"),
      "oidc.eks.eu-west-1.amazonaws.com/id/ABC",
    );
  });

  it("names node groups after the cluster", () => {
    const cfg = parseConfig("t", {
      "aws:region": "eu-west-1",
      "meshlift:environment": "qa",
      "meshlift:cluster": '{"mode":"create"}',
    });
    if (cfg.cluster.mode !== "create") throw new Error("create mode expected");
    assert.deepEqual(
      nodeGroupSpecs(cfg.cluster).map((g) => g.nodeGroupName),
      ["meshlift-qa-core", "meshlift-qa-gateway"],
    );
  });
});
