// MeshRoot on its own under mocks: an RSA key and a self-signed CA certificate from the root spec, the key kept secret, both published as the mesh's stack outputs.
import * as assert from "node:assert/strict";
import { caCertOptions, rootCaSpec } from "../../builders/mesh-root";
import { OUTPUTS } from "../../builders/multicluster";
import { MeshRoot } from "../../components/mesh-root";
import { buildUnderMocks, isSecret, ofType, promiseOf } from "../support/component-mocks";
import { multiCluster } from "../support/multicluster";

describe("MeshRoot", () => {
  const m = multiCluster();

  async function build() {
    return buildUnderMocks(() => new MeshRoot("mesh-root", { multiCluster: m }), {
      settle: (c) => [c.certPem, c.keyPem],
      state: (r) =>
        r.type === "tls:index/privateKey:PrivateKey"
          ? { privateKeyPem: "-----BEGIN PRIVATE KEY-----\nK\n-----END PRIVATE KEY-----\n" }
          : r.type === "tls:index/selfSignedCert:SelfSignedCert"
            ? { certPem: "-----BEGIN CERTIFICATE-----\nC\n-----END CERTIFICATE-----\n" }
            : {},
    });
  }

  it("generates the key and a self-signed CA certificate from the mesh's root spec", async () => {
    const { registered } = await build();
    const spec = rootCaSpec(m);
    const [key] = ofType(registered, "tls:index/privateKey:PrivateKey");
    assert.equal(key.name, "mesh-root-key");
    assert.deepEqual(key.inputs, { algorithm: "RSA", rsaBits: 4096 });
    const [cert] = ofType(registered, "tls:index/selfSignedCert:SelfSignedCert");
    assert.equal(cert.name, "mesh-root-cert");
    const { privateKeyPem, ...rest } = cert.inputs;
    assert.ok(privateKeyPem, "the certificate is signed with the generated key");
    assert.deepEqual(rest, { subject: spec.subject, ...caCertOptions(spec) });
  });

  it("keeps the key secret and publishes both under the names the other stacks read", async () => {
    const { component } = await build();
    assert.equal(await isSecret(component.keyPem), true);
    assert.deepEqual(
      Object.keys(component.outputs).sort(),
      [OUTPUTS.rootCertPem, OUTPUTS.rootKeyPem].sort(),
    );
    assert.match(await promiseOf(component.outputs[OUTPUTS.rootCertPem]), /BEGIN CERTIFICATE/);
    assert.equal(await isSecret(component.outputs[OUTPUTS.rootKeyPem]), true);
    assert.equal(await isSecret(component.certPem), false);
  });
});
