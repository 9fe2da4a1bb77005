// Which plain values look like credentials, by shape or by key, at any depth, and what is reported (the path and the kind, never the value).
import * as assert from "node:assert/strict";
import { plainSecrets } from "../../config/secret-values";
import { SECRET_PLACEHOLDER } from "../../config/stack-file";

describe("config secret values", () => {
  it("finds credentials by their shape whatever the key, naming the path and the kind", () => {
    const found = plainSecrets({
      rootCa: { keyPem: "-----BEGIN RSA PRIVATE KEY-----\nMII\n-----END RSA PRIVATE KEY-----" },
      env: [{ value: "AKIAABCDEFGHIJKLMNOP" }],
      note: "pul-" + "a".repeat(40),
    });
    assert.deepEqual(found, [
      { path: "rootCa.keyPem", reason: "a PEM private key" },
      { path: "env.0.value", reason: "an AWS access key id" },
      { path: "note", reason: "a Pulumi access token" },
    ]);
    for (const f of found) assert.ok(!JSON.stringify(f).includes("AKIA"));
  });

  it("finds plain values under credential keys, but not counters, references or placeholders", () => {
    assert.deepEqual(plainSecrets({ adminPassword: "hunter2", apiToken: "abc" }), [
      { path: "adminPassword", reason: 'a plain value under the credential key "adminPassword"' },
      { path: "apiToken", reason: 'a plain value under the credential key "apiToken"' },
    ]);
    assert.deepEqual(
      plainSecrets({
        restartToken: "istio-3",
        existingSecret: "grafana-admin",
        password: "${GRAFANA_PASSWORD}",
        clientSecret: "<computed>",
        secretKey: " ",
      }),
      [],
    );
    assert.deepEqual(plainSecrets("s3cr3t", { key: "password" }), [
      { path: "", reason: 'a plain value under the credential key "password"' },
    ]);
  });

  it("counts the offline secret placeholder as a secret only where asked", () => {
    const v = { values: { adminPassword: SECRET_PLACEHOLDER } };
    assert.deepEqual(plainSecrets(v), []);
    assert.deepEqual(plainSecrets(v, { placeholderIsSecret: true }), [
      { path: "values.adminPassword", reason: "a secret value" },
    ]);
  });

  it("stops past 64 levels instead of overflowing", () => {
    let deep: unknown = { password: "x" };
    for (let i = 0; i < 100; i++) deep = { d: deep };
    assert.deepEqual(plainSecrets(deep), []);
  });
});
