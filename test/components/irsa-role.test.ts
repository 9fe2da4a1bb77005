// IrsaRole on its own under mocks: a role only one ServiceAccount may assume, its policies attached, the annotated ServiceAccount on the cluster's provider; refusals before anything exists.
import * as assert from "node:assert/strict";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { irsaTrustPolicy } from "../../builders/irsa-role";
import { IrsaRole, IrsaRoleArgs } from "../../components/irsa-role";
import { buildUnderMocks, ofType, Registered } from "../support/component-mocks";

const ROLE_ARN = "arn:aws:iam::123456789012:role/irsa-role";
const OIDC = {
  oidcProviderArn:
    "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC",
  oidcIssuer: "https://oidc.eks.eu-west-1.amazonaws.com/id/ABC",
};
const state = (r: Registered) =>
  r.type === "aws:iam/role:Role"
    ? { arn: ROLE_ARN, name: "irsa-role" }
    : r.type === "aws:iam/policy:Policy"
      ? { arn: "arn:aws:iam::123456789012:policy/irsa-policy" }
      : {};

function build(args: Partial<IrsaRoleArgs>, withProvider = true) {
  return buildUnderMocks(
    () => {
      const provider = withProvider ? new k8s.Provider("k8s", { kubeconfig: "{}" }) : undefined;
      return new IrsaRole(
        "irsa",
        { ...OIDC, namespace: "kube-system", serviceAccountName: "reader", ...args },
        provider ? { providers: [provider] } : {},
      );
    },
    { settle: (c) => [c.roleArn, ...(c.serviceAccount ? [c.serviceAccount.id] : [])], state },
  );
}

describe("IrsaRole", () => {
  it("trusts only system:serviceaccount:<ns>:<name> through the cluster's OIDC provider", async () => {
    const { registered } = await build({ tags: { team: "mesh" } });
    const [role] = ofType(registered, "aws:iam/role:Role");
    assert.equal(role.name, "irsa-role");
    assert.equal(
      role.inputs.assumeRolePolicy,
      JSON.stringify(
        irsaTrustPolicy(
          { providerArn: OIDC.oidcProviderArn, issuer: OIDC.oidcIssuer },
          "kube-system",
          "reader",
        ),
      ),
    );
    assert.equal(role.inputs.description, "IRSA for system:serviceaccount:kube-system:reader");
    assert.deepEqual(role.inputs.tags, { team: "mesh" });
    assert.equal("name" in role.inputs, false, "a generated role name by default");
  });

  it("creates and attaches the inline policy and each managed policy, then the annotated ServiceAccount", async () => {
    const policy = {
      Version: "2012-10-17" as const,
      Statement: [{ Effect: "Allow" as const, Action: ["s3:GetObject"], Resource: "*" }],
    };
    const { registered } = await build({
      policy,
      managedPolicyArns: ["arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"],
      serviceAccountLabels: { app: "reader" },
      roleName: "fixed-name",
    });
    assert.equal(ofType(registered, "aws:iam/role:Role")[0].inputs.name, "fixed-name");
    const [p] = ofType(registered, "aws:iam/policy:Policy");
    assert.equal(p.inputs.policy, JSON.stringify(policy));
    assert.deepEqual(
      ofType(registered, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")
        .map((a) => [a.name, a.inputs.policyArn])
        // Registration order follows when each policy ARN is known: compare as a set.
        .sort(),
      [
        ["irsa-AmazonEKS_CNI_Policy", "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"],
        ["irsa-policy-attachment", "arn:aws:iam::123456789012:policy/irsa-policy"],
      ],
    );
    const [sa] = ofType(registered, "kubernetes:core/v1:ServiceAccount");
    assert.equal(sa.name, "irsa-sa");
    assert.deepEqual(sa.inputs.metadata, {
      name: "reader",
      namespace: "kube-system",
      labels: { app: "reader" },
      annotations: { "eks.amazonaws.com/role-arn": ROLE_ARN },
    });
  });

  it("leaves the ServiceAccount to its owner when asked, and then needs no provider", async () => {
    const { component, registered } = await build({ createServiceAccount: false }, false);
    assert.equal(component.serviceAccount, undefined);
    assert.deepEqual(ofType(registered, "kubernetes:core/v1:ServiceAccount"), []);
    assert.equal(component.serviceAccountName, "reader");
  });

  it("refuses a missing Kubernetes provider and a bad name before registering a role", async () => {
    await buildUnderMocks(() => undefined, { settle: () => [] });
    assert.throws(
      () => new IrsaRole("irsa", { ...OIDC, namespace: "kube-system", serviceAccountName: "r" }),
      (e: unknown) =>
        e instanceof pulumi.ResourceError &&
        /a Kubernetes provider \(opts\.providers\) is required to create ServiceAccount kube-system\/r/.test(
          e.message,
        ),
    );
    const { registered } = await buildUnderMocks(
      () => {
        assert.throws(
          () =>
            new IrsaRole("irsa", {
              ...OIDC,
              namespace: "Kube_System",
              serviceAccountName: "r",
              createServiceAccount: false,
            }),
          /namespace "Kube_System" is not a Kubernetes name/,
        );
      },
      { settle: () => [] },
    );
    assert.deepEqual(ofType(registered, "aws:iam/role:Role"), []);
  });
});
