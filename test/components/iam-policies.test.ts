// Tests the IRSA trust policy and the LB controller's IAM policy against the reference action list.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  irsaTrustPolicy,
  LBC_POLICY_SOURCE,
  lbcPolicyDocument,
  policyActions,
} from "../../components/iam-policies";
import { CHARTS } from "../../config/versions";
import { REFERENCE_DIR } from "../support/chart-keys";

const OIDC = {
  providerArn: "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC",
  issuer: "https://oidc.eks.eu-west-1.amazonaws.com/id/ABC",
};

describe("irsaTrustPolicy", () => {
  it("lets only the one ServiceAccount, with the STS audience, assume the role", () => {
    const doc = irsaTrustPolicy(OIDC, "kube-system", "aws-load-balancer-controller");
    assert.equal(doc.Statement.length, 1);
    const s = doc.Statement[0];
    assert.equal(s.Effect, "Allow");
    assert.equal(s.Action, "sts:AssumeRoleWithWebIdentity");
    assert.deepEqual(s.Principal, { Federated: OIDC.providerArn });
    assert.deepEqual(s.Condition, {
      StringEquals: {
        "oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub":
          "system:serviceaccount:kube-system:aws-load-balancer-controller",
        "oidc.eks.eu-west-1.amazonaws.com/id/ABC:aud": "sts.amazonaws.com",
      },
    });
  });

  it("accepts the issuer with or without https://", () => {
    const a = irsaTrustPolicy(OIDC, "ns", "sa");
    const b = irsaTrustPolicy({ ...OIDC, issuer: OIDC.issuer.replace("https://", "") }, "ns", "sa");
    assert.deepEqual(a, b);
  });

  it("refuses wildcards and bad names, naming the value", () => {
    assert.throws(() => irsaTrustPolicy(OIDC, "kube-system", "*"), /serviceAccount "\*"/);
    assert.throws(() => irsaTrustPolicy(OIDC, "Kube_System", "sa"), /namespace "Kube_System"/);
    assert.throws(() => irsaTrustPolicy({ ...OIDC, issuer: "https://" }, "ns", "sa"), /issuer/);
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
