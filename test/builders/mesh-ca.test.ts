// Tests for the multi-cluster pure builders: real CA chains checked with node:crypto, values, manifests.
import * as assert from "node:assert/strict";
import { createPrivateKey, X509Certificate } from "node:crypto";
import {
  cacertsData,
  cacertsProblems,
  CACERTS_KEYS,
  certChain,
  intermediateCaSpec,
  intermediateRotationTrigger,
  multiClusterIstiodValues,
  rootBundle,
  splitPem,
} from "../../builders/mesh-ca";
import { HOURS_PER_YEAR, rootCaSpec, validityHours } from "../../builders/mesh-root";
import { hasOpenssl, issue, Issued, keyUsages } from "../support/ca";
import { loadKeys, unknownKeys } from "../support/chart-keys";
import { multiCluster } from "../support/multicluster";

const DAY_MS = 24 * 3600 * 1000;
function lifetimeDays(c: X509Certificate): number {
  return Math.round((Date.parse(c.validTo) - Date.parse(c.validFrom)) / DAY_MS);
}

describe("multi-cluster CA chain (real certificates)", function () {
  const a = multiCluster();
  const b = multiCluster({
    clusterName: "prod-usw2",
    network: "net-usw2",
    intermediateValidityYears: 2,
  });
  let root: Issued;
  let interA: Issued;
  let interB: Issued;
  let otherRoot: Issued;

  before(function () {
    if (!hasOpenssl()) {
      console.log(
        "    (skipped: the openssl CLI is not installed; it issues the test certificates)",
      );
      this.skip();
    }
    root = issue(rootCaSpec(a));
    interA = issue(intermediateCaSpec(a), root);
    interB = issue(intermediateCaSpec(b), root);
    otherRoot = issue(rootCaSpec(multiCluster({ meshId: "other-mesh" })));
  });

  function data(inter: Issued, r: Issued = root) {
    return cacertsData({
      intermediateCertPem: inter.certPem,
      intermediateKeyPem: inter.keyPem,
      rootCertPem: r.certPem,
    });
  }

  it("puts the intermediate then the root in cert-chain.pem, each verifiable", () => {
    const d = data(interA);
    assert.deepEqual(Object.keys(d), [...CACERTS_KEYS]);
    const chain = splitPem(d["cert-chain.pem"]).map((p) => new X509Certificate(p));
    assert.equal(chain.length, 2);
    const inter = new X509Certificate(interA.certPem);
    const r = new X509Certificate(root.certPem);
    assert.equal(chain[0].fingerprint256, inter.fingerprint256);
    assert.equal(chain[1].fingerprint256, r.fingerprint256);
    assert.ok(chain[0].verify(chain[1].publicKey), "intermediate signed by the root");
    assert.ok(chain[1].verify(chain[1].publicKey), "root self-signed");
    assert.equal(new X509Certificate(d["ca-cert.pem"]).fingerprint256, inter.fingerprint256);
    assert.equal(new X509Certificate(d["root-cert.pem"]).fingerprint256, r.fingerprint256);
    assert.ok(inter.checkPrivateKey(createPrivateKey(d["ca-key.pem"])), "ca-key.pem is its key");
    assert.deepEqual(cacertsProblems(d), []);
  });

  it("issues CA certificates that may sign certificates and CRLs", () => {
    for (const pem of [root.certPem, interA.certPem]) {
      const c = new X509Certificate(pem);
      assert.equal(c.ca, true, `${c.subject} is a CA`);
      const usages = keyUsages(c);
      assert.ok(usages.includes("keyCertSign"), `${c.subject}: ${usages.join(",")}`);
      assert.ok(usages.includes("cRLSign"), `${c.subject}: ${usages.join(",")}`);
    }
  });

  it("gives every cluster its own intermediate under the one root", () => {
    const r = new X509Certificate(root.certPem);
    const ia = new X509Certificate(interA.certPem);
    const ib = new X509Certificate(interB.certPem);
    assert.notEqual(ia.fingerprint256, ib.fingerprint256);
    assert.ok(ia.verify(r.publicKey) && ib.verify(r.publicKey));
    assert.ok(!ia.verify(ib.publicKey));
    assert.match(ia.subject, /CN=prod-use1 intermediate CA/);
    assert.match(ib.subject, /CN=prod-usw2 intermediate CA/);
    assert.ok(ia.issuer.includes("CN=mesh-prod root CA"));
  });

  it("turns validity years into certificate lifetimes", () => {
    assert.equal(lifetimeDays(new X509Certificate(root.certPem)), 10 * 365);
    assert.equal(lifetimeDays(new X509Certificate(interA.certPem)), 5 * 365);
    assert.equal(lifetimeDays(new X509Certificate(interB.certPem)), 2 * 365);
  });

  it("reports an intermediate that another root signed", () => {
    const problems = cacertsProblems(data(interA, otherRoot));
    assert.ok(problems.includes("ca-cert.pem is not signed by root-cert.pem"), problems.join("; "));
  });

  it("reports a key that is not the intermediate's", () => {
    const d = { ...data(interA), "ca-key.pem": interB.keyPem };
    assert.deepEqual(cacertsProblems(d), ["ca-key.pem does not belong to ca-cert.pem"]);
  });

  it("reports a chain in the wrong order", () => {
    const d = { ...data(interA), "cert-chain.pem": root.certPem + interA.certPem };
    assert.deepEqual(cacertsProblems(d), [
      "cert-chain.pem must be ca-cert.pem followed by the root certificate",
    ]);
  });

  it("reports an intermediate that outlives its root", () => {
    const long = issue({ ...intermediateCaSpec(a), validityPeriodHours: validityHours(12) }, root);
    const problems = cacertsProblems(data(long));
    assert.deepEqual(problems, ["ca-cert.pem outlives the root certificate"]);
  });

  it("refuses bundles where one certificate is expected", () => {
    assert.throws(
      () => certChain(interA.certPem + root.certPem, root.certPem),
      /the intermediate must hold exactly one PEM certificate \(found 2\)/,
    );
    assert.throws(() => certChain("not a pem", root.certPem), /found 0/);
  });

  it("appends extra trusted roots to root-cert.pem once, and never to cert-chain.pem", () => {
    const d = cacertsData({
      intermediateCertPem: interA.certPem,
      intermediateKeyPem: interA.keyPem,
      rootCertPem: root.certPem,
      trustedRootsPem: [otherRoot.certPem, root.certPem, otherRoot.certPem],
    });
    assert.equal(d["root-cert.pem"], rootBundle(root.certPem, [otherRoot.certPem]));
    assert.equal(splitPem(d["root-cert.pem"]).length, 2);
    assert.equal(splitPem(d["cert-chain.pem"]).length, 2);
    assert.deepEqual(cacertsProblems(d), []);
  });
});

describe("multi-cluster specs and values", () => {
  it("sets one mesh id, the cluster id and the network in istiod values", () => {
    assert.deepEqual(multiClusterIstiodValues(multiCluster()), {
      global: {
        meshID: "mesh-prod",
        multiCluster: { clusterName: "prod-use1" },
        network: "net-use1",
      },
    });
  });

  it("sets only istiod keys the chart reads", () => {
    assert.deepEqual(unknownKeys(multiClusterIstiodValues(multiCluster()), loadKeys("istiod")), []);
  });

  it("rotates only the intermediate when the serial changes", () => {
    const one = multiCluster();
    const two = multiCluster({ intermediateSerial: 2 });
    assert.deepEqual(rootCaSpec(one), rootCaSpec(two));
    assert.notDeepEqual(intermediateCaSpec(one), intermediateCaSpec(two));
    assert.equal(intermediateCaSpec(two).subject.serialNumber, "2");
    assert.notEqual(intermediateRotationTrigger(one), intermediateRotationTrigger(two));
    // A validity change re-issues the certificate but keeps the key.
    assert.equal(
      intermediateRotationTrigger(one),
      intermediateRotationTrigger(multiCluster({ intermediateValidityYears: 3 })),
    );
    assert.equal(
      rootCaSpec(multiCluster({ rootValidityYears: 20 })).validityPeriodHours,
      20 * HOURS_PER_YEAR,
    );
  });
});
