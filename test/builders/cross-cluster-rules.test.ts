// The security group ports that peers of a multi-cluster mesh must reach in this cluster, as the topology needs them.
import * as assert from "node:assert/strict";
import { crossClusterRules } from "../../builders/cross-cluster-rules";
import { isMultiNetwork } from "../../builders/multicluster";
import { MultiClusterConfig } from "../../config/sections/multicluster";
import { multiCluster, multiNetwork } from "../support/multicluster";

describe("cross-cluster rules", () => {
  it("opens cross-cluster ports from peer CIDRs only as the topology needs", () => {
    const ports = (m: MultiClusterConfig, pub = true) =>
      crossClusterRules(m, { endpointPublicAccess: pub }).map((r) => `${r.port}<-${r.cidr}`);
    assert.deepEqual(ports(multiNetwork), ["15443<-10.41.0.0/16"]);
    assert.deepEqual(ports(multiNetwork, false), ["15443<-10.41.0.0/16", "443<-10.41.0.0/16"]);
    const sameNet = multiCluster({ peers: [{ name: "b", stack: "b", cidrs: ["10.9.0.0/16"] }] });
    assert.equal(isMultiNetwork(sameNet), false);
    assert.deepEqual(ports(sameNet), []);
    const exposed = multiCluster({
      peers: [{ name: "b", stack: "b", network: "n2", cidrs: ["10.9.0.0/16"] }],
      eastWest: { enabled: true, exposeIstiod: true },
    });
    assert.deepEqual(ports(exposed), [
      "15443<-10.9.0.0/16",
      "15012<-10.9.0.0/16",
      "15017<-10.9.0.0/16",
    ]);
  });
});
