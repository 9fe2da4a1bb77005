// The fleet's per-environment identity: names, labels, the workspace ServiceAccount and role, and the backend credentials.
import { strict as assert } from "node:assert";
import {
  authDelegatorBinding,
  credentialEnvRefs,
  fleetLabels,
  IRSA_ANNOTATION,
  podIdentityTrustPolicy,
  roleArn,
  roleName,
  serviceAccount,
  stackObjectName,
  stateAccessPolicy,
  usesPassphrase,
  workspaceRole,
} from "../../fleet/identity";
import { fleetConfig, ISSUER } from "../support/fleet";

const podIdentity = { mode: "pod-identity", accountId: "111122223333", clusterName: "mgmt" };
const KMS = "awskms:///arn:aws:kms:us-east-1:111122223333:key/1234abcd?region=us-east-1";

describe("fleet identity", () => {
  it("names and labels an environment's objects after its stack", () => {
    assert.equal(stackObjectName("prod"), "meshlift-prod");
    assert.deepEqual(fleetLabels("prod"), {
      "app.kubernetes.io/managed-by": "meshlift",
      "app.kubernetes.io/part-of": "meshlift-fleet",
      "meshlift.io/stack": "prod",
    });
  });

  it("names the role with the prefix and refuses one IAM cannot hold", () => {
    const f = fleetConfig();
    assert.equal(roleName(f, "dev"), `${f.rolePrefix}dev`);
    assert.equal(roleArn(f, "dev"), `arn:aws:iam::111122223333:role/${f.rolePrefix}dev`);
    assert.throws(
      () => roleName(fleetConfig({ rolePrefix: "r".repeat(30) }), "s".repeat(35)),
      /^Error: fleet\.rolePrefix: role name "r{30}s{35}" is 65 characters; IAM allows 64$/,
    );
  });

  it("annotates the ServiceAccount with the role under IRSA only", () => {
    const f = fleetConfig();
    const sa = serviceAccount(f, "dev");
    assert.equal(sa.metadata.name, "meshlift-dev");
    assert.equal(sa.metadata.namespace, f.namespace);
    assert.deepEqual(sa.metadata.annotations, { [IRSA_ANNOTATION]: roleArn(f, "dev") });
    assert.equal(
      serviceAccount(fleetConfig({ identity: podIdentity }), "dev").metadata.annotations,
      undefined,
    );
  });

  it("binds the workspace's ServiceAccount to system:auth-delegator", () => {
    const b = authDelegatorBinding(fleetConfig({ namespace: "platform" }), "dev");
    assert.equal(b.metadata.name, "platform:meshlift-dev:system:auth-delegator");
    assert.equal(b.roleRef.name, "system:auth-delegator");
    assert.deepEqual(b.subjects, [
      { kind: "ServiceAccount", name: "meshlift-dev", namespace: "platform" },
    ]);
  });

  it("trusts the cluster's OIDC provider for IRSA, and the EKS pods service for Pod Identity", () => {
    const irsa = workspaceRole(fleetConfig(), "dev");
    const trust = JSON.stringify(irsa.trustPolicy);
    assert.ok(trust.includes(`oidc-provider/${ISSUER.replace(/^https:\/\//, "")}`));
    assert.ok(trust.includes("system:serviceaccount:meshlift-fleet:meshlift-dev"));
    assert.equal(irsa.podIdentityAssociation, undefined);
    const pod = workspaceRole(fleetConfig({ identity: podIdentity }), "dev");
    assert.deepEqual(pod.trustPolicy, podIdentityTrustPolicy("111122223333"));
    assert.deepEqual(pod.podIdentityAssociation, {
      clusterName: "mgmt",
      namespace: "meshlift-fleet",
      serviceAccount: "meshlift-dev",
      roleArn: pod.arn,
    });
    assert.deepEqual(podIdentityTrustPolicy("444455556666").Statement[0], {
      Effect: "Allow",
      Principal: { Service: "pods.eks.amazonaws.com" },
      Action: ["sts:AssumeRole", "sts:TagSession"],
      Condition: { StringEquals: { "aws:SourceAccount": "444455556666" } },
    });
  });

  it("grants the state bucket under its prefix and the KMS key, and nothing for other backends", () => {
    const p = stateAccessPolicy(
      fleetConfig({ backend: "s3://acme-state/meshlift/", secretsProvider: KMS }),
    );
    assert.deepEqual(
      p?.Statement.map((s) => [s.Sid, s.Resource]),
      [
        ["StateBucketList", "arn:aws:s3:::acme-state"],
        ["StateObjects", "arn:aws:s3:::acme-state/meshlift/*"],
        ["SecretsKey", "arn:aws:kms:us-east-1:111122223333:key/1234abcd"],
      ],
    );
    assert.equal(
      stateAccessPolicy(fleetConfig({ backend: "s3://acme-state" }))?.Statement[1].Resource,
      "arn:aws:s3:::acme-state/*",
    );
    assert.equal(stateAccessPolicy(fleetConfig({ backend: "https://api.pulumi.com" })), undefined);
  });

  it("reads the access token for Pulumi Cloud and the passphrase for a bucket without KMS", () => {
    const cloud = fleetConfig({ backend: "https://api.pulumi.com" });
    assert.equal(usesPassphrase(cloud), false);
    assert.deepEqual(Object.keys(credentialEnvRefs(cloud)), ["PULUMI_ACCESS_TOKEN"]);
    const bucket = fleetConfig({ backend: "s3://acme-state" });
    assert.equal(usesPassphrase(bucket), true);
    assert.deepEqual(credentialEnvRefs(bucket), {
      PULUMI_CONFIG_PASSPHRASE: {
        type: "Secret",
        secret: { name: bucket.credentialsSecret, key: "passphrase" },
      },
    });
    assert.equal(
      usesPassphrase(fleetConfig({ backend: "s3://acme-state", secretsProvider: KMS })),
      false,
    );
    assert.equal(
      usesPassphrase(
        fleetConfig({ backend: "https://api.pulumi.com", secretsProvider: "passphrase" }),
      ),
      true,
    );
  });
});
