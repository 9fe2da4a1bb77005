// RemoteSecrets under Pulumi mocks: what this cluster publishes for peers, and the peers' remote secrets it installs.
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import YAML from "yaml";
import { RemoteSecrets } from "../../components/remote-secrets";
import { MultiClusterConfig, multiClusterSchema } from "../../config/sections/multicluster";
import { secretValue, Seen } from "../support/secrets";

function mc(): MultiClusterConfig {
  return multiClusterSchema.parse({
    meshId: "mesh-prod",
    clusterName: "prod-use1",
    network: "net-use1",
    caStack: "prod-use1",
    peers: [
      { name: "prod-usw2", stack: "prod-usw2" },
      { name: "prod-euw1", stack: "prod-euw1" },
      { name: "prod-apse1", stack: "prod-apse1" },
    ],
  });
}

/** What the peers' stacks export: usw2 is up, euw1 not yet, apse1 calls itself something else. */
const PEER_OUTPUTS: Record<string, Record<string, unknown>> = {
  "acme/meshlift/prod-usw2": {
    meshRemoteAccess: {
      clusterName: "prod-usw2",
      network: "net-use1",
      server: "https://USW2.gr7.us-west-2.eks.amazonaws.com",
      caData: "dXN3Mi1jYQ==",
      token: "usw2-reader-token",
    },
  },
  "acme/meshlift/prod-euw1": {},
  "acme/meshlift/prod-apse1": {
    meshRemoteAccess: {
      clusterName: "apse1",
      network: "n",
      server: "https://x",
      caData: "eA==",
      token: "t",
    },
  },
};

function promiseOf<T>(o: pulumi.Output<T>): Promise<T> {
  return (o as unknown as { promise(): Promise<T> }).promise();
}

describe("RemoteSecrets", () => {
  let seen: Seen[];
  let rs: RemoteSecrets;

  before(async () => {
    seen = [];
    await pulumi.runtime.setMocks(
      {
        newResource(a) {
          seen.push({ type: a.type, name: a.name, inputs: a.inputs });
          const extra: Record<string, unknown> = {};
          if (a.type === "pulumi:pulumi:StackReference") {
            extra.outputs = PEER_OUTPUTS[a.inputs.name as string];
            extra.secretOutputNames = ["meshRemoteAccess"];
          }
          if (a.inputs.type === "kubernetes.io/service-account-token") {
            extra.data = {
              token: Buffer.from("use1-reader-token").toString("base64"),
              "ca.crt": "dXNlMS1jYQ==",
            };
          }
          return { id: `${a.name}-id`, state: { ...a.inputs, ...extra } };
        },
        call: () => ({}),
      },
      "meshlift",
      "prod-use1",
      false,
      "acme",
    );
    rs = new RemoteSecrets("mesh-remote", {
      multiCluster: mc(),
      endpoint: "https://USE1.gr7.us-east-1.eks.amazonaws.com",
    });
    await Promise.all(["prod-usw2", "prod-euw1"].map((p) => promiseOf(rs.remoteSecrets[p].id)));
  });

  it("publishes this cluster's endpoint, CA and decoded reader token as one secret output", async () => {
    assert.equal(await (rs.access as unknown as { isSecret: Promise<boolean> }).isSecret, true);
    assert.deepEqual(await promiseOf(rs.access), {
      clusterName: "prod-use1",
      network: "net-use1",
      server: "https://USE1.gr7.us-east-1.eks.amazonaws.com",
      caData: "dXNlMS1jYQ==",
      token: "use1-reader-token",
    });
  });

  it("writes a peer's remote secret from its published access, token-only kubeconfig", () => {
    const s = seen.find((x) => x.name === "mesh-remote-prod-usw2");
    assert.ok(s);
    assert.deepEqual(s.inputs.metadata, {
      name: "istio-remote-secret-prod-usw2",
      namespace: "istio-system",
      labels: { "istio/multiCluster": "true" },
      annotations: { "networking.istio.io/cluster": "prod-usw2" },
    });
    const data = secretValue(s.inputs.stringData, "remote secret data") as Record<string, string>;
    assert.deepEqual(Object.keys(data), ["prod-usw2"]);
    const kc = YAML.parse(data["prod-usw2"]);
    assert.equal(kc.clusters[0].cluster.server, "https://USW2.gr7.us-west-2.eks.amazonaws.com");
    assert.equal(kc.clusters[0].cluster["certificate-authority-data"], "dXN3Mi1jYQ==");
    assert.deepEqual(kc.users[0].user, { token: "usw2-reader-token" });
  });

  it("leaves a not-yet-deployed peer's remote secret empty instead of failing", () => {
    const s = seen.find((x) => x.name === "mesh-remote-prod-euw1");
    assert.ok(s);
    assert.deepEqual(secretValue(s.inputs.stringData, "remote secret data"), {});
  });

  it("refuses a peer whose published cluster id differs from peers[].name", async () => {
    await assert.rejects(
      promiseOf(rs.remoteSecrets["prod-apse1"].stringData),
      /says its clusterName is "apse1", but peers\[\]\.name is "prod-apse1"/,
    );
  });
});
