// MeshCa under Pulumi mocks that hand back real certificates: the cacerts Secret it builds is a chain istiod accepts.
import * as assert from "node:assert/strict";
import { createPrivateKey, X509Certificate } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { MeshCa } from "../../components/mesh-ca";
import { MeshRoot } from "../../components/mesh-root";
import { CACERTS_KEYS, intermediateCaSpec, splitPem } from "../../builders/mesh-ca";
import { ownsRoot } from "../../builders/multicluster";
import { rootCaSpec, validityHours } from "../../builders/mesh-root";
import { MultiClusterConfig, multiClusterSchema } from "../../config/sections/multicluster";
import { hasOpenssl, issue, Issued } from "../support/ca";
import { secretValue, Seen } from "../support/secrets";

function mc(over: Record<string, unknown> = {}): MultiClusterConfig {
  return multiClusterSchema.parse({
    meshId: "mesh-prod",
    clusterName: "prod-usw2",
    network: "net-usw2",
    caStack: "prod-use1",
    ...over,
  });
}

/** Runs MeshCa with mocks whose tls resources return `certs`; resolves with what was registered. */
async function run(
  m: MultiClusterConfig,
  stack: string,
  certs: { root: Issued; intermediate: Issued },
): Promise<{ seen: Seen[]; ca: MeshCa; meshRoot?: MeshRoot }> {
  const seen: Seen[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource(a) {
        seen.push({ type: a.type, name: a.name, inputs: a.inputs });
        const extra: Record<string, unknown> = {};
        if (a.type === "tls:index/privateKey:PrivateKey") {
          extra.privateKeyPem = a.name.endsWith("-root-key")
            ? certs.root.keyPem
            : certs.intermediate.keyPem;
        }
        if (a.type === "tls:index/selfSignedCert:SelfSignedCert")
          extra.certPem = certs.root.certPem;
        if (a.type === "tls:index/certRequest:CertRequest") extra.certRequestPem = "csr";
        if (a.type === "tls:index/locallySignedCert:LocallySignedCert") {
          extra.certPem = certs.intermediate.certPem;
        }
        if (a.type === "pulumi:pulumi:StackReference") {
          extra.outputs = {
            meshRootCertPem: certs.root.certPem,
            meshRootKeyPem: certs.root.keyPem,
          };
          extra.secretOutputNames = ["meshRootKeyPem"];
        }
        return { id: `${a.name}-id`, state: { ...a.inputs, ...extra } };
      },
      call: () => ({}),
    },
    "meshlift",
    stack,
    false,
    "acme",
  );
  // The caStack generates the root itself, as program.ts wires it.
  const meshRoot = ownsRoot(m, stack) ? new MeshRoot("mesh-root", { multiCluster: m }) : undefined;
  const ca = new MeshCa("mesh-ca", { multiCluster: m, stack, root: meshRoot });
  // The checked data rejects when the chain is wrong; otherwise wait for the Secret's registration.
  await (ca.cacertsData as unknown as { promise(): Promise<unknown> }).promise();
  await new Promise((resolve) => ca.cacerts.id.apply(resolve));
  return { seen, ca, meshRoot };
}

function one(seen: Seen[], type: string, name: string): Seen {
  const r = seen.find((s) => s.type === type && s.name === name);
  assert.ok(r, `no ${type} ${name}; have ${seen.map((s) => s.name).join(", ")}`);
  return r;
}

describe("MeshCa", function () {
  let root: Issued;
  let intermediate: Issued;
  let stranger: Issued;

  before(function () {
    if (!hasOpenssl()) {
      console.log(
        "    (skipped: the openssl CLI is not installed; it issues the test certificates)",
      );
      this.skip();
    }
    root = issue(rootCaSpec(mc()));
    intermediate = issue(intermediateCaSpec(mc()), root);
    stranger = issue(intermediateCaSpec(mc()), issue(rootCaSpec(mc({ meshId: "other" }))));
  });

  it("fills cacerts with the intermediate, its key, the root and the chain, as a secret", async () => {
    const { seen } = await run(mc(), "prod-usw2", { root, intermediate });
    const secret = one(seen, "kubernetes:core/v1:Secret", "mesh-ca-cacerts");
    assert.deepEqual(secret.inputs.metadata, {
      name: "cacerts",
      namespace: "istio-system",
      labels: { "app.kubernetes.io/managed-by": "meshlift" },
    });
    const data = secretValue(secret.inputs.stringData, "cacerts stringData") as Record<
      string,
      unknown
    >;
    assert.deepEqual(Object.keys(data).sort(), [...CACERTS_KEYS].sort());
    const pem = (k: string) => data[k] as string;
    const ca = new X509Certificate(pem("ca-cert.pem"));
    const r = new X509Certificate(pem("root-cert.pem"));
    assert.equal(ca.fingerprint256, new X509Certificate(intermediate.certPem).fingerprint256);
    assert.equal(r.fingerprint256, new X509Certificate(root.certPem).fingerprint256);
    assert.ok(ca.verify(r.publicKey));
    assert.ok(ca.checkPrivateKey(createPrivateKey(pem("ca-key.pem"))));
    const chain = splitPem(pem("cert-chain.pem")).map((p) => new X509Certificate(p));
    assert.deepEqual(
      chain.map((c) => c.fingerprint256),
      [ca.fingerprint256, r.fingerprint256],
    );
  });

  it("signs the intermediate with the caStack's root, read by StackReference", async () => {
    const { seen } = await run(mc(), "prod-usw2", { root, intermediate });
    assert.ok(!seen.some((s) => s.type === "tls:index/selfSignedCert:SelfSignedCert"));
    const ref = one(seen, "pulumi:pulumi:StackReference", "mesh-ca-ca-stack");
    assert.equal(ref.inputs.name, "acme/meshlift/prod-use1");
    const signed = one(
      seen,
      "tls:index/locallySignedCert:LocallySignedCert",
      "mesh-ca-intermediate",
    );
    assert.equal(signed.inputs.caCertPem, root.certPem);
    assert.equal(secretValue(signed.inputs.caPrivateKeyPem, "caPrivateKeyPem"), root.keyPem);
    assert.equal(signed.inputs.isCaCertificate, true);
    assert.deepEqual(signed.inputs.allowedUses, [
      "cert_signing",
      "crl_signing",
      "digital_signature",
    ]);
    assert.equal(signed.inputs.validityPeriodHours, validityHours(5));
    const csr = one(seen, "tls:index/certRequest:CertRequest", "mesh-ca-intermediate-csr");
    secretValue(csr.inputs.privateKeyPem, "the CSR's private key");
    assert.deepEqual(csr.inputs.subject, {
      commonName: "prod-usw2 intermediate CA",
      organization: "meshlift",
      organizationalUnit: "mesh-prod",
      serialNumber: "1",
    });
  });

  it("generates the root in the caStack and exposes it (key secret) for the other stacks", async () => {
    const m = mc({ clusterName: "prod-use1", network: "net-use1" });
    const { seen, ca, meshRoot } = await run(m, "prod-use1", { root, intermediate });
    const self = one(seen, "tls:index/selfSignedCert:SelfSignedCert", "mesh-root-cert");
    assert.equal(self.inputs.isCaCertificate, true);
    assert.equal(self.inputs.validityPeriodHours, validityHours(10));
    assert.deepEqual(self.inputs.subject, {
      commonName: "mesh-prod root CA",
      organization: "meshlift",
    });
    assert.ok(!seen.some((s) => s.type === "pulumi:pulumi:StackReference"));
    assert.ok(meshRoot);
    const signed = one(
      seen,
      "tls:index/locallySignedCert:LocallySignedCert",
      "mesh-ca-intermediate",
    );
    assert.equal(secretValue(signed.inputs.caPrivateKeyPem, "caPrivateKeyPem"), root.keyPem);
    assert.equal(signed.inputs.caCertPem, root.certPem);
    const key = meshRoot.outputs.meshRootKeyPem;
    assert.equal(await (key as unknown as { isSecret: Promise<boolean> }).isSecret, true);
    assert.equal(await new Promise((r) => key.apply(r)), root.keyPem);
    assert.deepEqual(ca.istio.istiodValues, {
      global: {
        meshID: "mesh-prod",
        multiCluster: { clusterName: "prod-use1" },
        network: "net-use1",
      },
    });
    assert.deepEqual(ca.istio.istiodDependsOn, [ca.cacerts]);
  });

  it("refuses an intermediate that the mesh root did not sign", async () => {
    await assert.rejects(
      run(mc(), "prod-usw2", { root, intermediate: stranger }),
      /cacerts for cluster "prod-usw2" would not work: ca-cert.pem is not signed by root-cert.pem/,
    );
  });
});
