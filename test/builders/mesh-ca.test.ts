// Tests for the multi-cluster pure builders: real CA chains checked with node:crypto, values, manifests.
import * as assert from "node:assert/strict";
import { createPrivateKey, X509Certificate } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import YAML from "yaml";
import { MultiClusterConfig, multiClusterSchema } from "../../config/sections/multicluster";
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
import { checkRemoteAccess, remoteSecret } from "../../builders/remote-secrets";
import { crossClusterRules } from "../../builders/cross-cluster-rules";
import { crossNetworkGateway, eastWestGatewayValues } from "../../builders/east-west-gateway";
import { nlbServiceAnnotations } from "../../builders/lb-controller";
import { HOURS_PER_YEAR, rootCaSpec, validityHours } from "../../builders/mesh-root";
import { isMultiNetwork, qualifiedStack } from "../../builders/multicluster";
import { hasOpenssl, issue, Issued, keyUsages } from "../support/ca";

function mc(over: Record<string, unknown> = {}): MultiClusterConfig {
  return multiClusterSchema.parse({
    meshId: "mesh-prod",
    clusterName: "prod-use1",
    network: "net-use1",
    caStack: "prod-use1",
    ...over,
  });
}

const DAY_MS = 24 * 3600 * 1000;
function lifetimeDays(c: X509Certificate): number {
  return Math.round((Date.parse(c.validTo) - Date.parse(c.validFrom)) / DAY_MS);
}

describe("multi-cluster CA chain (real certificates)", function () {
  const a = mc();
  const b = mc({ clusterName: "prod-usw2", network: "net-usw2", intermediateValidityYears: 2 });
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
    otherRoot = issue(rootCaSpec(mc({ meshId: "other-mesh" })));
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
    assert.deepEqual(multiClusterIstiodValues(mc()), {
      global: {
        meshID: "mesh-prod",
        multiCluster: { clusterName: "prod-use1" },
        network: "net-use1",
      },
    });
  });

  it("sets only istiod keys the chart reads", () => {
    const keys = readKeys("istiod.keys");
    for (const p of leafPaths(multiClusterIstiodValues(mc()))) {
      assert.ok(allowed(keys, p), `istiod does not read ${p}`);
    }
  });

  it("rotates only the intermediate when the serial changes", () => {
    const one = mc();
    const two = mc({ intermediateSerial: 2 });
    assert.deepEqual(rootCaSpec(one), rootCaSpec(two));
    assert.notDeepEqual(intermediateCaSpec(one), intermediateCaSpec(two));
    assert.equal(intermediateCaSpec(two).subject.serialNumber, "2");
    assert.notEqual(intermediateRotationTrigger(one), intermediateRotationTrigger(two));
    // A validity change re-issues the certificate but keeps the key.
    assert.equal(
      intermediateRotationTrigger(one),
      intermediateRotationTrigger(mc({ intermediateValidityYears: 3 })),
    );
    assert.equal(
      rootCaSpec(mc({ rootValidityYears: 20 })).validityPeriodHours,
      20 * HOURS_PER_YEAR,
    );
  });

  it("refuses a non-integer or non-positive validity", () => {
    assert.throws(() => validityHours(0), /positive integer \(given: 0\)/);
    assert.throws(() => validityHours(1.5), /given: 1.5/);
  });

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

  it("qualifies stack names with the organization and project", () => {
    assert.equal(qualifiedStack("prod-usw2", "acme", "meshlift"), "acme/meshlift/prod-usw2");
    assert.equal(qualifiedStack("other/prod-usw2", "acme", "meshlift"), "acme/other/prod-usw2");
    assert.equal(qualifiedStack("x/y/z", "acme", "meshlift"), "x/y/z");
  });

  const multiNet = mc({
    peers: [
      { name: "prod-usw2", stack: "prod-usw2", network: "net-usw2", cidrs: ["10.41.0.0/16"] },
    ],
    eastWest: { enabled: true },
  });

  it("makes the east-west gateway a network gateway with only keys the chart accepts", () => {
    const v = eastWestGatewayValues(multiNet);
    assert.equal(v.networkGateway, "net-use1");
    assert.equal(v.labels.istio, "eastwestgateway");
    assert.ok(!("topology.istio.io/network" in v.labels), "the chart adds it; twice breaks YAML");
    assert.equal(
      v.service.annotations["service.beta.kubernetes.io/aws-load-balancer-scheme"],
      "internal",
    );
    assert.deepEqual(v.service.loadBalancerSourceRanges, ["10.41.0.0/16"]);
    // The same NLB annotations as the ingress gateway: cross-zone as an attribute, never the deprecated one.
    assert.deepEqual(v.service.annotations, nlbServiceAnnotations("internal"));
    const keys = readKeys("istio-gateway.keys");
    for (const p of leafPaths(v)) assert.ok(allowed(keys, p), `gateway chart rejects ${p}`);
    assert.equal("loadBalancerClass" in v.service, false, "the LB controller's NLB by default");
    const auto = eastWestGatewayValues(multiNet, { loadBalancerClass: "eks.amazonaws.com/nlb" });
    assert.equal(auto.service.loadBalancerClass, "eks.amazonaws.com/nlb", "EKS Auto Mode's NLB");
    for (const p of leafPaths(auto)) assert.ok(allowed(keys, p), `gateway chart rejects ${p}`);
  });

  it("routes other networks' mTLS through 15443 in AUTO_PASSTHROUGH", async () => {
    const gw = crossNetworkGateway(multiNet);
    const { Gateway } = await import("@kubernetes-models/istio/networking.istio.io/v1/Gateway");
    new Gateway(gw as never).validate();
    assert.deepEqual(gw.spec.selector, { istio: "eastwestgateway" });
    assert.deepEqual(gw.spec.servers, [
      {
        port: { number: 15443, name: "tls", protocol: "TLS" },
        tls: { mode: "AUTO_PASSTHROUGH" },
        hosts: ["*.local"],
      },
    ]);
    const exposed = crossNetworkGateway(mc({ eastWest: { enabled: true, exposeIstiod: true } }));
    assert.deepEqual(
      exposed.spec.servers.map((s) => (s.port as { number: number }).number),
      [15443, 15012, 15017],
    );
  });

  it("opens cross-cluster ports from peer CIDRs only as the topology needs", () => {
    const ports = (m: MultiClusterConfig, pub = true) =>
      crossClusterRules(m, { endpointPublicAccess: pub }).map((r) => `${r.port}<-${r.cidr}`);
    assert.deepEqual(ports(multiNet), ["15443<-10.41.0.0/16"]);
    assert.deepEqual(ports(multiNet, false), ["15443<-10.41.0.0/16", "443<-10.41.0.0/16"]);
    const sameNet = mc({ peers: [{ name: "b", stack: "b", cidrs: ["10.9.0.0/16"] }] });
    assert.equal(isMultiNetwork(sameNet), false);
    assert.deepEqual(ports(sameNet), []);
    const exposed = mc({
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

/** Chart key lists, copied from the shared reference into reference/charts/. */
function readKeys(file: string): string[] {
  const p = path.resolve(__dirname, "../../reference/charts", file);
  return fs.readFileSync(p, "utf8").split("\n").filter(Boolean);
}

function allowed(keys: readonly string[], p: string): boolean {
  return keys.some((k) => k === p || (k.endsWith(".*") && p.startsWith(k.slice(0, -1))));
}

function leafPaths(v: unknown, prefix = ""): string[] {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return [prefix];
  return Object.entries(v).flatMap(([k, x]) => leafPaths(x, prefix ? `${prefix}.${k}` : k));
}
