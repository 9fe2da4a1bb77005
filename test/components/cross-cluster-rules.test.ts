// CrossClusterRules on its own under mocks: one security group ingress rule per port and peer CIDR, named so that adding a peer renames nothing.
import * as assert from "node:assert/strict";
import { CrossClusterRules } from "../../components/cross-cluster-rules";
import { MultiClusterConfig } from "../../config/sections/multicluster";
import { buildUnderMocks, ofType } from "../support/component-mocks";
import { multiCluster, multiNetwork } from "../support/multicluster";

const RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";

function build(m: MultiClusterConfig, endpointPublicAccess: boolean) {
  return buildUnderMocks(
    () =>
      new CrossClusterRules("xc", {
        multiCluster: m,
        securityGroupId: "sg-0123",
        endpointPublicAccess,
        tags: { team: "mesh" },
      }),
    { settle: (c) => [c.urn, ...c.rules.map((r) => r.id)] },
  );
}

describe("CrossClusterRules", () => {
  it("opens 15443 and, for a private API server, 443 to each peer CIDR on the cluster security group", async () => {
    const { registered } = await build(multiNetwork, false);
    assert.deepEqual(
      ofType(registered, RULE).map((r) => [r.name, r.inputs]),
      [
        [
          "xc-15443-10-41-0-0-16",
          {
            securityGroupId: "sg-0123",
            cidrIpv4: "10.41.0.0/16",
            ipProtocol: "tcp",
            fromPort: 15443,
            toPort: 15443,
            description: "prod-usw2: east-west gateway mTLS passthrough",
            tags: { team: "mesh" },
          },
        ],
        [
          "xc-443-10-41-0-0-16",
          {
            securityGroupId: "sg-0123",
            cidrIpv4: "10.41.0.0/16",
            ipProtocol: "tcp",
            fromPort: 443,
            toPort: 443,
            description: "prod-usw2: private API server, read by peer istiod",
            tags: { team: "mesh" },
          },
        ],
      ],
    );
    assert.ok(registered.some((r) => r.type === "meshlift:mesh:CrossClusterRules"));
  });

  it("puts an IPv6 peer CIDR in cidrIpv6", async () => {
    const m = multiCluster({
      peers: [{ name: "b", stack: "b", network: "n2", cidrs: ["fd00:10::/56"] }],
      eastWest: { enabled: true },
    });
    const [rule] = ofType((await build(m, true)).registered, RULE);
    assert.equal(rule.name, "xc-15443-fd00-10---56");
    assert.equal(rule.inputs.cidrIpv6, "fd00:10::/56");
    assert.equal("cidrIpv4" in rule.inputs, false);
  });

  it("registers no rule for a same-network mesh with a public API server", async () => {
    const m = multiCluster({ peers: [{ name: "b", stack: "b", cidrs: ["10.9.0.0/16"] }] });
    const { component, registered } = await build(m, true);
    assert.deepEqual(component.rules, []);
    assert.deepEqual(ofType(registered, RULE), []);
  });
});
