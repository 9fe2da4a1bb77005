// Whole-stack test of EksCluster's part of the plan: node groups, taints, sizes, OIDC, Istio's security group rules and adoption, as the example stacks register them.
import * as assert from "node:assert/strict";
import { adoptedKubeconfig } from "../../builders/eks-cluster";
import { decideNodeGroupNaming } from "../../phases/guards";
import { diffPlans } from "../../plan/diff";
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
      assert.equal(c.inputs.accessEntries, undefined, "access entries are the stack's own");
    });

    it("keys each admin access entry by its role, carrying over the index-named entry it replaces", () => {
      const cluster = named(doc, "cluster-eks");
      const entry = named(doc, "cluster-admin-111122223333-platform-admin");
      assert.equal(entry.type, "aws:eks/accessEntry:AccessEntry");
      assert.equal(entry.inputs.principalArn, "arn:aws:iam::111122223333:role/platform-admin");
      assert.ok(entry.dependsOn.includes(cluster.urn));
      assert.deepEqual(entry.options.aliases, [
        { name: "cluster-eks-admin-0", parentUrn: cluster.urn },
      ]);
      const assoc = named(doc, "cluster-admin-111122223333-platform-admin-admin");
      assert.equal(assoc.parent, entry.urn);
      assert.match(String(assoc.inputs.policyArn), /AmazonEKSClusterAdminPolicy$/);
      assert.deepEqual(assoc.inputs.accessScope, { type: "cluster" });
      assert.deepEqual(assoc.options.aliases, [
        {
          name: "cluster-eks-admin-0-admin",
          parentUrn: cluster.urn.replace(
            /::cluster-eks$/,
            "$aws:eks/accessEntry:AccessEntry::cluster-eks-admin-0",
          ),
        },
      ]);
    });

    it("generates node group names from a prefix, so a replacement creates the new group first", () => {
      for (const role of ["core", "gateway"]) {
        const g = named(doc, `cluster-${role}`);
        assert.equal(g.inputs.nodeGroupName, undefined);
        assert.equal(g.inputs.nodeGroupNamePrefix, `meshlift-dev-${role}-`);
        assert.notEqual(g.options.deleteBeforeReplace, true, "create-then-delete: no capacity gap");
      }
      assert.equal(doc.outputs.nodeGroupNaming, "prefix");
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

  it("mints kubeconfig tokens as the AWS provider's identity: aws:profile and the assumed role", async () => {
    const set = {
      "aws:profile": "platform",
      "aws:assumeRoles": JSON.stringify([
        { roleArn: "arn:aws:iam::111122223333:role/hop" },
        { roleArn: "arn:aws:iam::111122223333:role/deployer", sessionName: "ci" },
      ]),
    };
    const doc = await plan({ stack: "dev", set });
    assert.deepEqual(named(doc, "cluster-eks").inputs.providerCredentialOpts, {
      profileName: "platform",
      roleArn: "arn:aws:iam::111122223333:role/deployer",
    });
    const plain = await plan({ stack: "dev" });
    assert.equal(named(plain, "cluster-eks").inputs.providerCredentialOpts, undefined);
    const user = JSON.parse(
      adoptedKubeconfig({
        name: "c1",
        endpoint: "https://x",
        certificateAuthorityData: "Q0E=",
        region: "us-east-1",
        profile: "platform",
        roleArn: "arn:aws:iam::111122223333:role/deployer",
      }),
    ).users[0].user.exec;
    assert.deepEqual(user.args.slice(-2), [
      "--role-arn",
      "arn:aws:iam::111122223333:role/deployer",
    ]);
    assert.deepEqual(user.env, [{ name: "AWS_PROFILE", value: "platform" }]);
    const cfg = parseConfig("t", {
      "aws:region": "eu-west-1",
      "meshlift:environment": "qa",
      "meshlift:cluster": '{"mode":"existing","name":"c"}',
      "aws:assumeRole": JSON.stringify({ roleArn: "arn:aws:iam::111122223333:role/legacy" }),
    });
    assert.deepEqual(cfg.awsIdentity, { roleArn: "arn:aws:iam::111122223333:role/legacy" });
    assert.throws(
      () =>
        parseConfig("t", {
          "aws:region": "eu-west-1",
          "meshlift:environment": "qa",
          "meshlift:cluster": '{"mode":"existing","name":"c"}',
          "aws:assumeRoles": JSON.stringify([{ roleArn: "admin" }]),
          "aws:profile": "bad profile",
        }),
      /aws:profile .*profile name[\s\S]*aws:assumeRoles .*list of \{roleArn/,
    );
  });

  it("keeps the fixed node group names of a stack deployed before prefixes, unless told otherwise", async () => {
    const old = await plan({
      stack: "dev",
      deployedOutputs: { phase: "discovery", clusterName: "meshlift-dev" },
    });
    assert.equal(named(old, "cluster-core").inputs.nodeGroupName, "meshlift-dev-core");
    assert.equal(named(old, "cluster-core").inputs.nodeGroupNamePrefix, undefined);
    assert.equal(old.outputs.nodeGroupNaming, "fixed");
    assert.equal(
      decideNodeGroupNaming({ known: true, outputs: { phase: "cutover" } }, undefined).naming,
      "prefix",
      "a phase alone (the offline plan's stand-in) is not an old deployment",
    );
    assert.deepEqual(
      decideNodeGroupNaming(
        { known: true, outputs: { phase: "cutover", clusterName: "c" } },
        "prefix",
      ),
      { naming: "prefix", reason: "meshlift:cluster.nodeGroupNaming" },
    );
    const later = {
      known: true as const,
      outputs: { phase: "parallel", nodeGroupNaming: "fixed" },
    };
    assert.equal(decideNodeGroupNaming(later, undefined).naming, "fixed", "as deployed");
    assert.equal(decideNodeGroupNaming({ known: true, outputs: {} }, undefined).naming, "prefix");
  });

  it("keys access entries by role: reordering or removing adminRoleArns touches only that role", async () => {
    const a = "arn:aws:iam::111122223333:role/platform-admin";
    const b = "arn:aws:iam::444455556666:role/team/break-glass";
    const withRoles = (arns: string[]) =>
      plan({ stack: "dev", set: { "cluster.adminRoleArns": JSON.stringify(arns) } });
    const ab = await withRoles([a, b]);
    const ba = await withRoles([b, a]);
    const entries = (d: typeof ab) =>
      d.resources
        .filter(
          (r) =>
            r.type.startsWith("aws:eks/accessPolicyAssociation") ||
            r.type.startsWith("aws:eks/accessEntry"),
        )
        .map((r): [string, unknown] => [r.urn, r.inputs]);
    assert.deepEqual(entries(ab).sort(), entries(ba).sort(), "same URNs, same inputs");
    assert.ok(entries(ab).some(([u]) => u.endsWith("::cluster-admin-444455556666-break-glass")));
    const changes = diffPlans(ab, ba).changes.filter((c) =>
      /accessEntry|accessPolicy/.test(c.type),
    );
    assert.deepEqual(changes, []);
    assert.throws(
      () =>
        parseConfig("t", {
          "aws:region": "eu-west-1",
          "meshlift:environment": "qa",
          "meshlift:cluster": JSON.stringify({ mode: "create", adminRoleArns: [a, a] }),
        }),
      /adminRoleArns\.1 .*listed twice/,
    );
  });
});
