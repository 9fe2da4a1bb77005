// LbController on its own under mocks: the controller's IRSA role with the upstream IAM policy for this partition, and the chart after its ServiceAccount.
import * as assert from "node:assert/strict";
import * as k8s from "@pulumi/kubernetes";
import {
  LBC_NAMESPACE,
  LBC_RELEASE,
  LBC_SERVICE_ACCOUNT,
  lbcPolicyDocument,
  lbControllerValues,
} from "../../builders/lb-controller";
import { LbController } from "../../components/lb-controller";
import { CHARTS } from "../../config/versions";
import { buildUnderMocks, ofType } from "../support/component-mocks";

describe("LbController", () => {
  async function build(partition: string) {
    return buildUnderMocks(
      () =>
        new LbController(
          "lbc",
          {
            clusterName: "dev",
            region: "eu-west-1",
            vpcId: "vpc-0123",
            oidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/oidc.example/id/A",
            oidcIssuer: "oidc.example/id/A",
          },
          { providers: [new k8s.Provider("k8s", { kubeconfig: "{}" })] },
        ),
      {
        settle: (c) => [c.release.id, c.irsa.roleArn],
        invokes: { "aws:index/getPartition:getPartition": { partition } },
        state: (r) => (r.type === "aws:iam/role:Role" ? { arn: "arn:role", name: "r" } : {}),
      },
    );
  }

  it("gives the controller's ServiceAccount an IRSA role with the upstream policy", async () => {
    const { registered } = await build("aws");
    assert.ok(registered.some((r) => r.type === "meshlift:iam:IrsaRole" && r.name === "lbc-irsa"));
    const [policy] = ofType(registered, "aws:iam/policy:Policy");
    assert.equal(policy.inputs.policy, JSON.stringify(lbcPolicyDocument("aws")));
    const [sa] = ofType(registered, "kubernetes:core/v1:ServiceAccount");
    const meta = sa.inputs.metadata as { name: string; namespace: string };
    assert.deepEqual([meta.namespace, meta.name], [LBC_NAMESPACE, LBC_SERVICE_ACCOUNT]);
  });

  it("writes the policy for the partition it runs in", async () => {
    const { registered } = await build("aws-cn");
    const [policy] = ofType(registered, "aws:iam/policy:Policy");
    assert.equal(policy.inputs.policy, JSON.stringify(lbcPolicyDocument("aws-cn")));
    assert.notEqual(policy.inputs.policy, JSON.stringify(lbcPolicyDocument("aws")));
  });

  it("installs the pinned chart in kube-system with the cluster, region and VPC given explicitly", async () => {
    const { registered } = await build("aws");
    const [release] = ofType(registered, "kubernetes:helm.sh/v3:Release");
    assert.equal(release.name, "lbc-release");
    assert.equal(release.inputs.name, LBC_RELEASE);
    assert.equal(release.inputs.namespace, LBC_NAMESPACE);
    assert.equal(release.inputs.chart, CHARTS.lbController.chart);
    assert.equal(release.inputs.version, CHARTS.lbController.version);
    assert.deepEqual(
      release.inputs.values,
      lbControllerValues({ clusterName: "dev", region: "eu-west-1", vpcId: "vpc-0123" }),
    );
  });
});
