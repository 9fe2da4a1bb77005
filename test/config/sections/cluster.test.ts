// The cluster config section on its own: a created cluster's defaults, an adopted one by name, and each refusal at its path.
import * as assert from "node:assert/strict";
import { clusterSchema } from "../../../config/sections/cluster";
import { DEFAULT_KUBERNETES_VERSION } from "../../../config/versions";

/** The issues of a value the schema refuses, as "path: message". */
function refusals(v: unknown): string[] {
  const r = clusterSchema.safeParse(v);
  assert.equal(r.success, false, JSON.stringify(v));
  return (r.error?.issues ?? []).map((i) => `${i.path.join(".")}: ${i.message}`);
}

describe("config cluster", () => {
  it("creates a cluster with a new 3-AZ VPC, two node groups, a public endpoint and no Auto Mode by default", () => {
    const c = clusterSchema.parse({ mode: "create" });
    assert.equal(c.mode, "create");
    if (c.mode !== "create") return;
    assert.equal(c.kubernetesVersion, DEFAULT_KUBERNETES_VERSION);
    assert.deepEqual(c.vpc, { cidr: "10.0.0.0/16", availabilityZones: 3, natGateways: "single" });
    assert.equal(c.endpointPublicAccess, true);
    assert.equal(c.autoMode, false);
    assert.deepEqual(c.adminRoleArns, []);
    assert.equal(c.nodeGroups.core.instanceTypes[0], "m6i.xlarge");
    assert.equal(c.nodeGroups.gateway.instanceTypes[0], "m6i.2xlarge");
    assert.equal(c.nodeGroupNaming, undefined, "decided against the deployed stack");
  });

  it("adopts an existing cluster by name only", () => {
    assert.deepEqual(clusterSchema.parse({ mode: "existing", name: "prod-eks" }), {
      mode: "existing",
      name: "prod-eks",
    });
    assert.deepEqual(refusals({ mode: "existing" }).length, 1);
    assert.match(refusals({ mode: "existing", name: "prod", vpc: {} })[0], /vpc/);
  });

  it("says which modes there are when the mode is missing or unknown", () => {
    const want = 'needs mode: "create" (a new cluster) or "existing" (adopt a cluster by name)';
    assert.deepEqual(refusals({}), [`mode: ${want}`]);
    assert.deepEqual(refusals({ mode: "adopt" }), [`mode: ${want}`]);
  });

  it("refuses a role listed twice, subnets without a VPC, and an existing VPC with one subnet", () => {
    const role = "arn:aws:iam::123456789012:role/admin";
    assert.deepEqual(refusals({ mode: "create", adminRoleArns: [role, role] }), [
      "adminRoleArns.1: is listed twice (entries 0 and 1); EKS keeps one access entry per role",
    ]);
    assert.deepEqual(
      refusals({ mode: "create", vpc: { privateSubnetIds: ["subnet-0123456789abcdef0"] } }),
      ["vpc.vpcId: subnet ids are only allowed together with an existing vpcId"],
    );
    assert.deepEqual(
      refusals({
        mode: "create",
        vpc: { vpcId: "vpc-0123456789abcdef0", privateSubnetIds: ["subnet-0123456789abcdef0"] },
      }),
      [
        "vpc.privateSubnetIds: an existing vpcId needs at least 2 private subnet ids in different AZs",
      ],
    );
    assert.match(
      refusals({ mode: "create", vpc: { cidr: "10.0.0.0/8" } })[0],
      /^vpc\.cidr: must have a prefix from \/16 to \/24$/,
    );
    assert.match(
      refusals({ mode: "create", name: "9bad" })[0],
      /^name: must be an EKS cluster name/,
    );
  });
});
