// The facts every multi-cluster piece shares: qualified stack names, the caStack rule, network labels.
import * as assert from "node:assert/strict";
import {
  istioNamespaceLabels,
  isMultiNetwork,
  NETWORK_LABEL,
  ownsRoot,
  qualifiedStack,
} from "../../builders/multicluster";
import { multiCluster, multiNetwork } from "../support/multicluster";

describe("multicluster", () => {
  it("qualifies stack names with the organization and project", () => {
    assert.equal(qualifiedStack("prod-usw2", "acme", "meshlift"), "acme/meshlift/prod-usw2");
    assert.equal(qualifiedStack("other/prod-usw2", "acme", "meshlift"), "acme/other/prod-usw2");
    assert.equal(qualifiedStack("x/y/z", "acme", "meshlift"), "x/y/z");
  });

  it("labels istio-system with this cluster's network", () => {
    assert.equal(NETWORK_LABEL, "topology.istio.io/network");
    assert.deepEqual(istioNamespaceLabels(multiCluster()), { [NETWORK_LABEL]: "net-use1" });
  });

  it("is multi-network only when a peer names another network", () => {
    assert.equal(isMultiNetwork(multiCluster()), false);
    assert.equal(isMultiNetwork(multiNetwork), true);
    const sameNet = multiCluster({
      peers: [{ name: "b", stack: "b", network: "net-use1", cidrs: [] }],
    });
    assert.equal(isMultiNetwork(sameNet), false);
    // A peer without a network is on this cluster's.
    assert.equal(
      isMultiNetwork(multiCluster({ peers: [{ name: "b", stack: "b", cidrs: [] }] })),
      false,
    );
  });

  it("owns the root when caStack names this stack, qualified or not", () => {
    assert.equal(ownsRoot(multiCluster(), "prod-use1"), true);
    assert.equal(ownsRoot(multiCluster({ caStack: "acme/meshlift/prod-use1" }), "prod-use1"), true);
    assert.equal(ownsRoot(multiCluster({ caStack: "prod-usw2" }), "prod-use1"), false);
  });
});
