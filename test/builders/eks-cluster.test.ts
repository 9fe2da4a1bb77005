// The EKS cluster's pure builders: node group names and specs, admin access entries, the adopted cluster's kubeconfig, the Kubernetes API address.
import * as assert from "node:assert/strict";
import {
  accessEntryKey,
  adminAccessEntries,
  adoptedKubeconfig,
  CLUSTER_ADMIN_POLICY_ARN,
  issuerHostPath,
  kubernetesApiExcludeRange,
  NODE_GROUP_PREFIX_MAX,
  nodeGroupNamePrefix,
} from "../../builders/eks-cluster";

describe("eks-cluster builders", () => {
  it("is the first address of the service CIDR, never the whole CIDR", () => {
    assert.equal(kubernetesApiExcludeRange({ serviceIpv4Cidr: "172.20.0.0/16" }), "172.20.0.1/32");
    assert.equal(kubernetesApiExcludeRange({ serviceIpv4Cidr: "10.100.0.0/16" }), "10.100.0.1/32");
    assert.equal(
      kubernetesApiExcludeRange({ ipFamily: "ipv6", serviceIpv6Cidr: "fd12:3456:789a::/108" }),
      "fd12:3456:789a::1/128",
    );
    for (const bad of [undefined, "", "<computed>", "172.20.0.0", "300.1.0.0/16"]) {
      assert.throws(
        () => kubernetesApiExcludeRange({ serviceIpv4Cidr: bad }),
        /kubernetesNetworkConfig\.serviceIpv4Cidr: .* is not a CIDR/,
      );
    }
  });

  it("names node groups <cluster>-<role>-, cutting the cluster name so EKS can append its suffix", () => {
    assert.equal(nodeGroupNamePrefix("dev", "core"), "dev-core-");
    const long = nodeGroupNamePrefix("a-very-long-cluster-name-for-production-use", "gateway");
    assert.equal(long, "a-very-long-cluster-name-for-gateway-");
    assert.ok(long.length <= NODE_GROUP_PREFIX_MAX, long);
    // A cut that ends in a dash does not leave two.
    assert.equal(
      nodeGroupNamePrefix("abcdefghijklmnopqrstuvwxyz1234-5678", "core"),
      "abcdefghijklmnopqrstuvwxyz1234-core-",
    );
  });

  it("keys an admin's access entry by account and role name, whatever the role's path", () => {
    assert.equal(
      accessEntryKey("arn:aws:iam::123456789012:role/Admin"),
      "admin-123456789012-Admin",
    );
    assert.equal(
      accessEntryKey("arn:aws-cn:iam::123456789012:role/team/ops/Admin"),
      "admin-123456789012-Admin",
    );
    assert.throws(
      () => accessEntryKey("arn:aws:iam::123456789012:user/bob"),
      /cluster\.adminRoleArns: "arn:aws:iam::123456789012:user\/bob" is not an IAM role ARN/,
    );
    assert.deepEqual(adminAccessEntries(["arn:aws:iam::123456789012:role/Admin"]), [
      {
        key: "admin-123456789012-Admin",
        principalArn: "arn:aws:iam::123456789012:role/Admin",
        policyArn: CLUSTER_ADMIN_POLICY_ARN,
      },
    ]);
  });

  it("writes the adopted cluster's kubeconfig with aws eks get-token, the profile and the assumed role", () => {
    const base = {
      name: "prod",
      endpoint: "https://ABC.gr7.eu-west-1.eks.amazonaws.com",
      certificateAuthorityData: "Y2E=",
      region: "eu-west-1",
    };
    const kc = JSON.parse(adoptedKubeconfig(base));
    assert.equal(kc["current-context"], "prod");
    assert.deepEqual(kc.clusters[0].cluster, {
      server: base.endpoint,
      "certificate-authority-data": "Y2E=",
    });
    assert.deepEqual(kc.users[0].user.exec, {
      apiVersion: "client.authentication.k8s.io/v1beta1",
      command: "aws",
      args: ["eks", "get-token", "--cluster-name", "prod", "--region", "eu-west-1"],
    });
    const assumed = JSON.parse(
      adoptedKubeconfig({
        ...base,
        profile: "ops",
        roleArn: "arn:aws:iam::123456789012:role/Deploy",
      }),
    );
    assert.deepEqual(assumed.users[0].user.exec.args.slice(-2), [
      "--role-arn",
      "arn:aws:iam::123456789012:role/Deploy",
    ]);
    assert.deepEqual(assumed.users[0].user.exec.env, [{ name: "AWS_PROFILE", value: "ops" }]);
  });

  it("writes the OIDC issuer without its scheme", () => {
    assert.equal(
      issuerHostPath("https://oidc.eks.eu-west-1.amazonaws.com/id/ABC"),
      "oidc.eks.eu-west-1.amazonaws.com/id/ABC",
    );
  });
});
