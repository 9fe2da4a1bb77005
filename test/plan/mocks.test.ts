// The offline stand-ins: computed outputs per resource type, answers per data source, and a loud failure for any other.
import * as assert from "node:assert/strict";
import { COMPUTED, offlineMocks, UnmockedInvokeError } from "../../plan/mocks";

async function newResource(type: string, name: string, inputs: Record<string, unknown>) {
  return offlineMocks.newResource({ type, name, inputs, custom: true });
}
async function call(token: string, inputs: Record<string, unknown> = {}) {
  return offlineMocks.call({ token, inputs });
}

describe("offlineMocks", () => {
  it("echoes the inputs of a resource and names its id after it", async () => {
    const r = await newResource("kubernetes:core/v1:ConfigMap", "cm", { data: { a: "1" } });
    assert.deepEqual(r, { id: "cm-id", state: { data: { a: "1" } } });
  });

  it("adds the outputs the cloud computes to the types whose outputs feed other inputs", async () => {
    const role = await newResource("aws:iam/role:Role", "irsa", { path: "/" });
    assert.deepEqual(role.state, { path: "/", arn: COMPUTED, name: `irsa-${COMPUTED}` });
    const cluster = await newResource("eks:index:Cluster", "c", { name: "prod", version: "1.33" });
    const eks = (cluster.state as { eksCluster: Record<string, unknown> }).eksCluster;
    assert.equal(eks.name, "prod");
    assert.equal(eks.version, "1.33");
    assert.equal(eks.endpoint, COMPUTED);
    const release = await newResource("kubernetes:helm.sh/v3:Release", "r", {
      name: "istiod",
      namespace: "istio-system",
    });
    assert.deepEqual((release.state as { status: unknown }).status, {
      name: "istiod",
      namespace: "istio-system",
      status: "deployed",
    });
  });

  it("fills a service-account token Secret with base64 stand-ins, and no other Secret", async () => {
    const token = await newResource("kubernetes:core/v1:Secret", "t", {
      type: "kubernetes.io/service-account-token",
    });
    const data = (token.state as { data: Record<string, string> }).data;
    assert.equal(Buffer.from(data.token, "base64").toString(), COMPUTED);
    const plain = await newResource("kubernetes:core/v1:Secret", "p", { type: "Opaque" });
    assert.deepEqual(plain.state, { type: "Opaque" });
  });

  it("answers a peer stack reference with its remote access, cluster named after the stack", async () => {
    const ref = await newResource("pulumi:pulumi:StackReference", "peer", {
      name: "org/meshlift/prod-west",
    });
    const state = ref.state as {
      outputs: { meshRemoteAccess: { clusterName: string; server: string } };
      secretOutputNames: string[];
    };
    assert.equal(state.outputs.meshRemoteAccess.clusterName, "prod-west");
    assert.equal(
      state.outputs.meshRemoteAccess.server,
      `https://${COMPUTED}.prod-west.eks.amazonaws.com`,
    );
    assert.deepEqual(state.secretOutputNames, ["meshRootKeyPem", "meshRemoteAccess"]);
  });

  it("answers the data sources the program calls, echoing what it was asked", async () => {
    assert.deepEqual(await call("aws:index/getPartition:getPartition"), {
      partition: "aws",
      dnsSuffix: "amazonaws.com",
    });
    assert.deepEqual(await call("aws:route53/getZone:getZone", { name: "example.com" }), {
      id: COMPUTED,
      zoneId: COMPUTED,
      name: "example.com",
      privateZone: false,
    });
  });

  it("fails on any other data source, naming its token and where to add a stand-in", async () => {
    await assert.rejects(
      async () => call("aws:ec2/getVpc:getVpc"),
      (e: unknown) =>
        e instanceof UnmockedInvokeError &&
        e.token === "aws:ec2/getVpc:getVpc" &&
        /no stand-in for the data source "aws:ec2\/getVpc:getVpc"; add one to plan\/mocks.ts/.test(
          e.message,
        ),
    );
  });
});
