// Tests the LB controller's Helm values and its IAM policy against the reference action list.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { policyActions } from "../../builders/irsa-role";
import {
  LBC_POLICY_SOURCE,
  LBC_SERVICE_ACCOUNT,
  lbcPolicyDocument,
  lbControllerValues,
  nlbServiceAnnotations,
} from "../../builders/lb-controller";
import { CHARTS } from "../../config/versions";
import { REFERENCE_DIR } from "../support/chart-keys";

describe("lbControllerValues", () => {
  it("names the cluster, region and VPC and uses the pinned, pre-made ServiceAccount", () => {
    const v = lbControllerValues({ clusterName: "c", region: "eu-west-1", vpcId: "vpc-1" });
    assert.equal(v.clusterName, "c");
    assert.equal(v.region, "eu-west-1");
    assert.equal(v.vpcId, "vpc-1");
    assert.deepEqual(v.serviceAccount, { create: false, name: LBC_SERVICE_ACCOUNT });
  });
});

describe("nlbServiceAnnotations", () => {
  it("asks for an external NLB with IP targets, the given scheme and cross-zone as an attribute", () => {
    const p = "service.beta.kubernetes.io/aws-load-balancer-";
    for (const scheme of ["internal", "internet-facing"] as const) {
      assert.deepEqual(nlbServiceAnnotations(scheme), {
        [`${p}type`]: "external",
        [`${p}nlb-target-type`]: "ip",
        [`${p}scheme`]: scheme,
        [`${p}attributes`]: "load_balancing.cross_zone.enabled=true",
      });
    }
  });
});

describe("lbcPolicyDocument", () => {
  const doc = lbcPolicyDocument();
  const reference = fs
    .readFileSync(path.join(REFERENCE_DIR, "lbc-iam-actions.txt"), "utf8")
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .sort();

  it("grants exactly the 80 actions of the upstream policy", () => {
    assert.equal(reference.length, 80);
    assert.deepEqual(policyActions(doc), reference);
  });

  it("has the upstream 16 statements with their conditions", () => {
    assert.equal(doc.Statement.length, 16);
    const withCondition = doc.Statement.flatMap((s, i) => (s.Condition ? [i] : []));
    assert.deepEqual(withCondition, [0, 5, 6, 7, 8, 10, 12, 13]);
    assert.deepEqual(doc.Statement[0].Condition, {
      StringEquals: { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" },
    });
    assert.deepEqual(doc.Statement[5].Condition, {
      StringEquals: { "ec2:CreateAction": "CreateSecurityGroup" },
      Null: { "aws:RequestTag/elbv2.k8s.aws/cluster": "false" },
    });
    const absentPresent = {
      Null: {
        "aws:RequestTag/elbv2.k8s.aws/cluster": "true",
        "aws:ResourceTag/elbv2.k8s.aws/cluster": "false",
      },
    };
    assert.deepEqual(doc.Statement[6].Condition, absentPresent);
    assert.deepEqual(doc.Statement[10].Condition, absentPresent);
    const resourcePresent = { Null: { "aws:ResourceTag/elbv2.k8s.aws/cluster": "false" } };
    assert.deepEqual(doc.Statement[7].Condition, resourcePresent);
    assert.deepEqual(doc.Statement[12].Condition, resourcePresent);
    assert.deepEqual(doc.Statement[8].Condition, {
      Null: { "aws:RequestTag/elbv2.k8s.aws/cluster": "false" },
    });
    assert.deepEqual(doc.Statement[13].Condition, {
      StringEquals: {
        "elasticloadbalancing:CreateAction": ["CreateTargetGroup", "CreateLoadBalancer"],
      },
      Null: { "aws:RequestTag/elbv2.k8s.aws/cluster": "false" },
    });
    assert.equal(doc.Statement[12].Action.length, 11);
  });

  it("never lets it retag or delete load balancers, target groups or security groups it does not own", () => {
    for (const s of doc.Statement) {
      const actions = Array.isArray(s.Action) ? s.Action : [s.Action];
      const risky = actions.filter((a) =>
        /:(CreateTags|DeleteTags|AddTags|RemoveTags|DeleteLoadBalancer|DeleteTargetGroup|DeleteSecurityGroup)$/.test(
          a,
        ),
      );
      if (risky.length === 0) continue;
      assert.ok(s.Condition || s.Resource !== "*", `${risky.join(", ")} on * without condition`);
    }
  });

  it("writes ARNs in the partition it is given", () => {
    const cn = JSON.stringify(lbcPolicyDocument("aws-cn"));
    assert.ok(cn.includes("arn:aws-cn:ec2:*:*:security-group/*"));
    assert.ok(!cn.includes("arn:aws:"));
  });

  it("is tied to the pinned chart version", () => {
    assert.equal(LBC_POLICY_SOURCE.chartVersion, CHARTS.lbController.version);
  });
});
