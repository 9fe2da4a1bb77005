// Tests the IRSA trust policy.
import * as assert from "node:assert/strict";
import { irsaTrustPolicy } from "../../builders/irsa-role";

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
