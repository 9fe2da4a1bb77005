// The multi-cluster mesh in offline plans of the example stacks: what each cluster gets, secrets, ordering, rotation.
import * as assert from "node:assert/strict";
import { PlanDocument, PlanResource, PROJECT_DIR } from "../../plan/offline";
import { readStackFile, SECRET_PLACEHOLDER } from "../../config/stack-file";
import { hasOpenssl, issue } from "../support/ca";
import { named, ofType, plan, transitiveDeps } from "../support/plan";
import { rootCaSpec } from "../../builders/mesh-root";
import { multiClusterSchema } from "../../config/sections/multicluster";

const SECRET_TYPE = "kubernetes:core/v1:Secret";

function byName(doc: PlanDocument, name: string): PlanResource | undefined {
  return doc.resources.find((r) => r.name === name);
}

function inputsOf(doc: PlanDocument, pred: (r: PlanResource) => boolean) {
  return Object.fromEntries(doc.resources.filter(pred).map((r) => [r.name, r.inputs]));
}

describe("multi-cluster mesh in the offline plan", () => {
  let use1: PlanDocument;
  let usw2: PlanDocument;
  before(async () => {
    use1 = await plan({ stack: "prod-use1" });
    usw2 = await plan({ stack: "prod-usw2" });
  });

  it("creates cacerts in istio-system, after the namespace, with secret data", () => {
    for (const doc of [use1, usw2]) {
      const cacerts = named(doc, "mesh-ca-cacerts");
      assert.equal(cacerts.type, SECRET_TYPE);
      assert.deepEqual(cacerts.inputs.metadata, {
        name: "cacerts",
        namespace: "istio-system",
        labels: { "app.kubernetes.io/managed-by": "meshlift" },
      });
      assert.equal(cacerts.inputs.stringData, SECRET_PLACEHOLDER);
      const ns = named(doc, "istio-system");
      assert.ok(cacerts.dependsOn.includes(ns.urn), "cacerts after istio-system");
      assert.ok(cacerts.dependsOn.includes(named(doc, "mesh-ca-intermediate").urn));
      assert.ok(cacerts.provider?.endsWith("::cluster-k8s"));
    }
  });

  it("labels istio-system and the east-west gateway with each cluster's own network", () => {
    const net = (doc: PlanDocument) => ({
      ns: (named(doc, "istio-system").inputs.metadata as { labels: Record<string, string> }).labels[
        "topology.istio.io/network"
      ],
      gw: (named(doc, "mesh-eastwest-release").inputs.values as { networkGateway: string })
        .networkGateway,
    });
    assert.deepEqual(net(use1), { ns: "net-use1", gw: "net-use1" });
    assert.deepEqual(net(usw2), { ns: "net-usw2", gw: "net-usw2" });
    // Everything installed into istio-system waits for the namespace.
    const ns = named(use1, "istio-system").urn;
    for (const n of [
      "mesh-eastwest-release",
      "mesh-remote-reader-token",
      "mesh-remote-prod-usw2",
    ]) {
      assert.ok(transitiveDeps(use1, named(use1, n)).has(ns), `${n} after istio-system`);
    }
    const gw = named(use1, "mesh-eastwest-cross-network");
    assert.ok(gw.dependsOn.includes(named(use1, "mesh-eastwest-release").urn));
  });

  it("installs the east-west gateway after the LB controller, which a rollback then removes last", () => {
    for (const doc of [use1, usw2]) {
      const ew = named(doc, "mesh-eastwest-release");
      assert.ok(
        ew.dependsOn.includes(named(doc, "lb-controller-release").urn),
        ew.dependsOn.join(),
      );
    }
  });

  it("installs istiod only after cacerts, with each cluster's mesh id, cluster name and network", () => {
    for (const [doc, cluster, network] of [
      [use1, "prod-use1", "net-use1"],
      [usw2, "prod-usw2", "net-usw2"],
    ] as const) {
      const istiod = named(doc, "istio-istiod");
      assert.ok(
        istiod.dependsOn.includes(named(doc, "mesh-ca-cacerts").urn),
        "cacerts before istiod",
      );
      const g = (istiod.inputs.values as { global: Record<string, unknown> }).global;
      assert.ok(typeof g.meshID === "string" && g.meshID.length > 0);
      assert.equal(g.meshID, use1Mesh(use1), "one mesh id for all clusters");
      assert.deepEqual(g.multiCluster, { clusterName: cluster });
      assert.equal(g.network, network);
    }
  });

  it("gives ztunnel each cluster's name and network in ambient mode, so istiod's CA accepts its requests", async () => {
    for (const [stack, cluster, network] of [
      ["prod-use1", "prod-use1", "net-use1"],
      ["prod-usw2", "prod-usw2", "net-usw2"],
    ] as const) {
      const doc = await plan({ stack, set: { "istio.mode": "ambient" } });
      const values = named(doc, "istio-ztunnel").inputs.values as Record<string, unknown>;
      assert.deepEqual(values.multiCluster, { clusterName: cluster });
      assert.equal(values.network, network);
      // The chart's own image keys stay as they were.
      assert.equal(values.hub, "docker.io/istio");
    }
  });

  it("generates the root only in the caStack, protected, and signs each cluster's own intermediate", () => {
    const roots = (doc: PlanDocument) => ofType(doc, "tls:index/selfSignedCert:SelfSignedCert");
    assert.equal(roots(use1).length, 1);
    assert.equal(roots(use1)[0].protect, true);
    assert.equal(named(use1, "mesh-root-key").protect, true);
    assert.equal(roots(usw2).length, 0);
    assert.equal(byName(usw2, "mesh-root-key"), undefined);
    const cn = (doc: PlanDocument) =>
      (named(doc, "mesh-ca-intermediate-csr").inputs.subject as { commonName: string }).commonName;
    assert.equal(cn(use1), "prod-use1 intermediate CA");
    assert.equal(cn(usw2), "prod-usw2 intermediate CA");
    // prod-usw2 signs with the root it reads from prod-use1.
    const signed = named(usw2, "mesh-ca-intermediate");
    assert.ok(signed.dependsOn.some((u) => u.endsWith("StackReference::mesh-ca-ca-stack")));
  });

  it("marks every private key and token secret in the plan", () => {
    for (const doc of [use1, usw2]) {
      assert.equal(named(doc, "mesh-ca-intermediate-csr").inputs.privateKeyPem, SECRET_PLACEHOLDER);
      assert.equal(named(doc, "mesh-ca-intermediate").inputs.caPrivateKeyPem, SECRET_PLACEHOLDER);
      assert.equal(doc.outputs.meshRemoteAccess, SECRET_PLACEHOLDER);
      for (const s of ofType(doc, SECRET_TYPE).filter((r) => r.name.startsWith("mesh-remote-"))) {
        if (s.name === "mesh-remote-reader-token") continue;
        assert.equal(s.inputs.stringData, SECRET_PLACEHOLDER, s.name);
      }
    }
    assert.equal(named(use1, "mesh-root-cert").inputs.privateKeyPem, SECRET_PLACEHOLDER);
    assert.equal(use1.outputs.meshRootKeyPem, SECRET_PLACEHOLDER);
    assert.ok("meshRootCertPem" in use1.outputs);
    assert.ok(!("meshRootKeyPem" in usw2.outputs), "only the caStack publishes the root");
  });

  it("publishes the reader token Secret for istio-reader-service-account", () => {
    const t = named(usw2, "mesh-remote-reader-token");
    assert.equal(t.inputs.type, "kubernetes.io/service-account-token");
    assert.deepEqual(t.inputs.metadata, {
      name: "istio-reader-service-account-istio-remote-secret-token",
      namespace: "istio-system",
      annotations: { "kubernetes.io/service-account.name": "istio-reader-service-account" },
    });
  });

  it("installs one remote secret per peer, in the shape istiod watches", async () => {
    const peers = [
      { name: "prod-usw2", stack: "prod-usw2", network: "net-usw2", cidrs: ["10.41.0.0/16"] },
      { name: "prod-euw1", stack: "acme/meshlift/prod-euw1", network: "net-euw1" },
    ];
    const doc = await plan({
      stack: "prod-use1",
      set: { "multiCluster.peers": JSON.stringify(peers) },
    });
    const remote = inputsOf(
      doc,
      (r) => r.type === SECRET_TYPE && /^mesh-remote-prod-/.test(r.name),
    );
    assert.deepEqual(Object.keys(remote).sort(), [
      "mesh-remote-prod-euw1",
      "mesh-remote-prod-usw2",
    ]);
    for (const peer of ["prod-usw2", "prod-euw1"]) {
      assert.deepEqual(remote[`mesh-remote-${peer}`], {
        apiVersion: "v1",
        kind: "Secret",
        type: "Opaque",
        metadata: {
          name: `istio-remote-secret-${peer}`,
          namespace: "istio-system",
          labels: { "istio/multiCluster": "true" },
          annotations: { "networking.istio.io/cluster": peer },
        },
        stringData: SECRET_PLACEHOLDER,
      });
    }
  });

  it("opens 15443 from the peer's CIDR on the cluster security group in create mode", () => {
    const rules = ofType(use1, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
      .filter((r) => r.name.startsWith("mesh-peers-"))
      .map((r) => `${String(r.inputs.fromPort)} ${String(r.inputs.cidrIpv4)}`);
    assert.deepEqual(rules, ["15443 10.41.0.0/16"]);
  });

  it("opens no ports on an adopted cluster", async () => {
    const doc = await plan({
      stack: "prod-usw2",
      set: { cluster: JSON.stringify({ mode: "existing", name: "platform-usw2" }) },
    });
    assert.equal(byName(doc, "mesh-peers"), undefined);
    assert.ok(byName(doc, "mesh-ca-cacerts"), "the CA does not depend on the cluster mode");
  });

  it("keeps only the caStack's root before Istio is installed, so a rollback never drops it", async () => {
    const names = async (stack: string) =>
      (await plan({ stack, phase: "discovery" })).resources
        .filter((r) => r.name.startsWith("mesh-"))
        .map((r) => r.name)
        .sort();
    assert.deepEqual(await names("prod-use1"), ["mesh-root", "mesh-root-cert", "mesh-root-key"]);
    assert.deepEqual(await names("prod-usw2"), []);
    const doc = await plan({ stack: "prod-use1", phase: "discovery" });
    assert.ok(!("meshRemoteAccess" in doc.outputs));
    assert.equal(doc.outputs.meshRootKeyPem, SECRET_PLACEHOLDER);
  });

  it("rotates only this cluster's intermediate when the serial changes", async () => {
    const bumped = await plan({
      stack: "prod-use1",
      set: { "multiCluster.intermediateSerial": "2" },
    });
    const changed = use1.resources
      .filter((r) => JSON.stringify(r.inputs) !== JSON.stringify(byName(bumped, r.name)?.inputs))
      .map((r) => r.name);
    assert.deepEqual(changed, ["mesh-ca-intermediate-csr"]);
    const subject = named(bumped, "mesh-ca-intermediate-csr").inputs.subject as Record<
      string,
      string
    >;
    assert.equal(subject.serialNumber, "2");
  });

  it("refuses a peer list naming this cluster itself before creating anything", async () => {
    const peers = [{ name: "prod-use1", stack: "prod-usw2" }];
    await assert.rejects(
      plan({ stack: "prod-use1", set: { "multiCluster.peers": JSON.stringify(peers) } }),
      /meshlift:multiCluster\.peers\.0\.name \(given: "prod-use1"\): names this cluster itself/,
    );
  });

  it("keeps a root CA given as PEM out of the plan, except its public certificate", async function () {
    if (!hasOpenssl()) {
      console.log(
        "    (skipped: the openssl CLI is not installed; it issues the test certificates)",
      );
      this.skip();
    }
    const spec = rootCaSpec(
      multiClusterSchema.parse({ meshId: "m", clusterName: "c", network: "n", caStack: "x" }),
    );
    const root = issue(spec);
    const file = readStackFile(PROJECT_DIR, "prod-usw2").config;
    const rest = JSON.parse(file["meshlift:multiCluster"]) as Record<string, unknown>;
    delete rest.caStack;
    const multiCluster = { ...rest, rootCa: { certPem: root.certPem, keyPem: root.keyPem } };
    const doc = await plan({
      stack: "prod-usw2",
      set: { multiCluster: JSON.stringify(multiCluster) },
    });
    const text = JSON.stringify(doc);
    assert.ok(!text.includes("PRIVATE KEY"), "no private key in the plan");
    assert.ok(!text.includes(root.keyPem.split("\n")[1]), "no key material in the plan");
    const signed = named(doc, "mesh-ca-intermediate");
    assert.equal(signed.inputs.caCertPem, root.certPem);
    assert.equal(signed.inputs.caPrivateKeyPem, SECRET_PLACEHOLDER);
    assert.ok(!signed.dependsOn.some((u) => u.includes("StackReference")));
  });
});

/** The mesh id the caStack's istiod uses: every cluster must use the same one. */
function use1Mesh(doc: PlanDocument): unknown {
  return (named(doc, "istio-istiod").inputs.values as { global: { meshID: unknown } }).global
    .meshID;
}
