// Tests for the `meshlift:multiCluster` config section: defaults, one-mesh example stacks, and every refusal.
import * as assert from "node:assert/strict";
import { ConfigError } from "../../../config/errors";
import { MeshliftConfig, parseConfig } from "../../../config/load";
import { readStackFile, SECRET_PLACEHOLDER } from "../../../config/stack-file";
import { PROJECT_DIR } from "../../../plan/offline";
import { multiClusterIstiodValues } from "../../../builders/mesh-ca";
import { rootCaSpec } from "../../../builders/mesh-root";
import { hasOpenssl, issue, Issued } from "../../support/ca";

const MESH = { meshId: "mesh-prod", clusterName: "prod-use1", network: "net-use1" };

function parse(multiCluster: unknown, stack = "prod-use1"): MeshliftConfig {
  return parseConfig(stack, {
    "aws:region": "us-east-1",
    "meshlift:environment": "prod",
    "meshlift:cluster": JSON.stringify({ mode: "existing", name: "platform-prod" }),
    "meshlift:multiCluster": JSON.stringify(multiCluster),
  });
}

function problems(multiCluster: unknown, stack = "prod-use1"): string {
  try {
    parse(multiCluster, stack);
  } catch (e) {
    if (e instanceof ConfigError) return e.message;
    throw e;
  }
  assert.fail("expected a ConfigError");
}

describe("multiCluster config", () => {
  it("is absent unless configured", () => {
    const cfg = parseConfig("dev", {
      "aws:region": "eu-west-1",
      "meshlift:environment": "dev",
      "meshlift:cluster": JSON.stringify({ mode: "existing", name: "c" }),
    });
    assert.equal(cfg.multiCluster, undefined);
  });

  it("documents its defaults: 10-year root, 5-year intermediates, serial 1, one network", () => {
    const m = parse({ ...MESH, caStack: "prod-use1" }).multiCluster;
    assert.ok(m);
    assert.equal(m.rootValidityYears, 10);
    assert.equal(m.intermediateValidityYears, 5);
    assert.equal(m.intermediateSerial, 1);
    assert.deepEqual(m.peers, []);
    assert.deepEqual(m.trustedRootsPem, []);
    assert.deepEqual(m.eastWest, { enabled: false, scheme: "internal", exposeIstiod: false });
  });

  it("refuses a peer that names this cluster itself", () => {
    const msg = problems({ ...MESH, caStack: "x", peers: [{ name: "prod-use1", stack: "other" }] });
    assert.match(
      msg,
      /meshlift:multiCluster\.peers\.0\.name \(given: "prod-use1"\): names this cluster itself/,
    );
  });

  it("refuses a peer whose stack is this stack", () => {
    const msg = problems({
      ...MESH,
      caStack: "x",
      peers: [{ name: "b", stack: "acme/meshlift/prod-use1" }],
    });
    assert.match(
      msg,
      /meshlift:multiCluster\.peers\.0\.stack \(given: "acme\/meshlift\/prod-use1"\): is this stack/,
    );
  });

  it("refuses a peer listed twice", () => {
    const peer = { name: "b", stack: "b" };
    assert.match(
      problems({ ...MESH, caStack: "x", peers: [peer, peer] }),
      /peers\.1\.name.*is listed twice/,
    );
  });

  it("needs exactly one root CA source", () => {
    assert.match(problems({ ...MESH }), /multiCluster\.caStack: set exactly one root CA source/);
    const both = {
      ...MESH,
      caStack: "x",
      rootCa: { certPem: SECRET_PLACEHOLDER, keyPem: SECRET_PLACEHOLDER },
    };
    assert.match(problems(both), /set exactly one root CA source/);
  });

  it("refuses an intermediate that would outlive the root", () => {
    const msg = problems({
      ...MESH,
      caStack: "x",
      rootValidityYears: 3,
      intermediateValidityYears: 4,
    });
    assert.match(
      msg,
      /intermediateValidityYears \(given: 4\): must not exceed rootValidityYears \(3\)/,
    );
  });

  it("needs the east-west gateway when a peer is on another network", () => {
    const peers = [{ name: "b", stack: "b", network: "net-b" }];
    assert.match(
      problems({ ...MESH, caStack: "x", peers }),
      /eastWest\.enabled: must be true: peer\(s\) b are on another network/,
    );
    assert.ok(parse({ ...MESH, caStack: "x", peers, eastWest: { enabled: true } }).multiCluster);
  });

  it("names bad ids and CIDRs with what is allowed", () => {
    const msg = problems({
      ...MESH,
      clusterName: "Prod_1",
      caStack: "x",
      peers: [{ name: "b", stack: "b", cidrs: ["10.0.0.0"] }],
    });
    assert.match(msg, /multiCluster\.clusterName \(given: "Prod_1"\): must be a DNS label/);
    assert.match(msg, /peers\.0\.cidrs\.0 \(given: "10\.0\.0\.0"\): must be an IPv4 or IPv6 CIDR/);
  });

  it("suggests the right key for a typo", () => {
    const msg = problems({ ...MESH, caStack: "x", meshID: "m" });
    assert.match(
      msg,
      /meshlift:multiCluster\.meshID \(given: "m"\): unknown key; did you mean meshlift:multiCluster\.meshId\?/,
    );
  });

  it("accepts secret placeholders for the root CA offline", () => {
    const m = parse({
      ...MESH,
      rootCa: { certPem: SECRET_PLACEHOLDER, keyPem: SECRET_PLACEHOLDER },
    }).multiCluster;
    assert.equal(m?.rootCa?.keyPem, SECRET_PLACEHOLDER);
  });

  describe("with a root CA from secret config", function () {
    let root: Issued;
    let other: Issued;
    before(function () {
      if (!hasOpenssl()) {
        console.log(
          "    (skipped: the openssl CLI is not installed; it issues the test certificates)",
        );
        this.skip();
      }
      const spec = rootCaSpec(parse({ ...MESH, caStack: "x" }).multiCluster!);
      root = issue(spec);
      other = issue(spec);
    });

    it("accepts a CA certificate with its own key", () => {
      const m = parse({
        ...MESH,
        rootCa: { certPem: root.certPem, keyPem: root.keyPem },
      }).multiCluster;
      assert.equal(m?.rootCa?.certPem, root.certPem);
    });

    it("refuses a key that is not the certificate's, without printing the key", () => {
      const msg = problems({ ...MESH, rootCa: { certPem: root.certPem, keyPem: other.keyPem } });
      assert.match(
        msg,
        /multiCluster\.rootCa\.keyPem \(given: "<redacted>"\): is not the private key of rootCa\.certPem/,
      );
      assert.ok(!msg.includes("PRIVATE KEY"), msg);
      const body = other.keyPem.split("\n")[1];
      assert.ok(!msg.includes(body.slice(0, 16)), "no key material in the message");
    });

    it("refuses a broken key without echoing it", () => {
      const msg = problems({
        ...MESH,
        rootCa: { certPem: root.certPem, keyPem: "-----BEGIN PRIVATE KEY-----\nsecretstuff" },
      });
      assert.match(msg, /rootCa\.keyPem \(given: "<redacted>"\): must be a PEM private key/);
      assert.ok(!msg.includes("secretstuff"), msg);
    });

    it("refuses a certificate that is not a CA", () => {
      const leaf = issue({
        ...rootCaSpec(parse({ ...MESH, caStack: "x" }).multiCluster!),
        isCaCertificate: false as true,
      });
      const msg = problems({ ...MESH, rootCa: { certPem: leaf.certPem, keyPem: leaf.keyPem } });
      assert.match(msg, /rootCa\.certPem.*is not a CA \(basicConstraints CA:FALSE\)/);
    });

    it("refuses a trusted root that is not a certificate", () => {
      const msg = problems({ ...MESH, caStack: "x", trustedRootsPem: ["nope"] });
      assert.match(msg, /trustedRootsPem\.0 \(given: "nope"\): must be a PEM certificate/);
    });
  });
});

describe("example stacks prod-use1 and prod-usw2", () => {
  const load = (stack: string) => parseConfig(stack, readStackFile(PROJECT_DIR, stack).config);

  it("form one mesh: same mesh id and root, each the other's peer, distinct clusters", () => {
    const use1 = load("prod-use1").multiCluster!;
    const usw2 = load("prod-usw2").multiCluster!;
    assert.equal(use1.meshId, usw2.meshId);
    assert.equal(use1.caStack, "prod-use1");
    assert.equal(usw2.caStack, "prod-use1");
    assert.notEqual(use1.clusterName, usw2.clusterName);
    assert.deepEqual(
      use1.peers.map((p) => [p.name, p.stack, p.network]),
      [[usw2.clusterName, "prod-usw2", usw2.network]],
    );
    assert.deepEqual(
      usw2.peers.map((p) => [p.name, p.stack, p.network]),
      [[use1.clusterName, "prod-use1", use1.network]],
    );
  });

  it("give each cluster its own istiod values under the one mesh id", () => {
    assert.deepEqual(multiClusterIstiodValues(load("prod-use1").multiCluster!), {
      global: {
        meshID: "mesh-prod",
        multiCluster: { clusterName: "prod-use1" },
        network: "net-use1",
      },
    });
    assert.deepEqual(multiClusterIstiodValues(load("prod-usw2").multiCluster!), {
      global: {
        meshID: "mesh-prod",
        multiCluster: { clusterName: "prod-usw2" },
        network: "net-usw2",
      },
    });
  });

  it("admit each other's VPC CIDR", () => {
    const use1 = load("prod-use1");
    const usw2 = load("prod-usw2");
    assert.equal(use1.cluster.mode, "create");
    assert.equal(usw2.cluster.mode, "create");
    if (use1.cluster.mode !== "create" || usw2.cluster.mode !== "create") return;
    assert.deepEqual(use1.multiCluster!.peers[0].cidrs, [usw2.cluster.vpc.cidr]);
    assert.deepEqual(usw2.multiCluster!.peers[0].cidrs, [use1.cluster.vpc.cidr]);
  });
});
