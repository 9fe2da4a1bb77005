// The remote secret istiod watches for a peer cluster, and the check of what a peer stack publishes.
import * as assert from "node:assert/strict";
import YAML from "yaml";
import { checkRemoteAccess, remoteSecret } from "../../builders/remote-secrets";

describe("remote secrets", () => {
  const access = {
    clusterName: "prod-usw2",
    network: "net-usw2",
    server: "https://ABC.gr7.us-west-2.eks.amazonaws.com",
    caData: "Y2EtZGF0YQ==",
    token: "eyJhbGciOi.reader",
  };

  it("builds the remote secret istiod watches, with a bearer-token kubeconfig", () => {
    const s = remoteSecret(access);
    assert.equal(s.metadata.name, "istio-remote-secret-prod-usw2");
    assert.equal(s.metadata.namespace, "istio-system");
    assert.deepEqual(s.metadata.labels, { "istio/multiCluster": "true" });
    assert.deepEqual(s.metadata.annotations, { "networking.istio.io/cluster": "prod-usw2" });
    assert.deepEqual(Object.keys(s.stringData), ["prod-usw2"]);
    const kc = YAML.parse(s.stringData["prod-usw2"]);
    assert.equal(kc["current-context"], "prod-usw2");
    assert.deepEqual(kc.clusters, [
      {
        name: "prod-usw2",
        cluster: { server: access.server, "certificate-authority-data": access.caData },
      },
    ]);
    assert.deepEqual(kc.users, [{ name: "prod-usw2", user: { token: access.token } }]);
    assert.ok(!s.stringData["prod-usw2"].includes("exec"), "istiod rejects exec auth");
  });

  it("checks a peer's published access against the peer config", () => {
    const peer = { name: "prod-usw2", stack: "prod-usw2", cidrs: [] };
    assert.deepEqual(checkRemoteAccess(peer, access), access);
    assert.throws(
      () => checkRemoteAccess(peer, { ...access, clusterName: "usw2" }),
      /says its clusterName is "usw2", but peers\[\]\.name is "prod-usw2"/,
    );
    assert.throws(
      () => checkRemoteAccess(peer, undefined),
      /missing: run `pulumi up` on that stack/,
    );
    assert.throws(
      () => checkRemoteAccess(peer, { ...access, token: "" }),
      /no token \(given: <redacted>\)/,
    );
  });
});
