// Tests what the schema says at a config path: values as read, allowed keys, secret keys, and redaction.
import * as assert from "node:assert/strict";
import {
  configValue,
  isSecretPath,
  knownKeysAt,
  redact,
  redactFlatConfig,
  schemasAt,
} from "../../config/schema-paths";

const KEY = "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n";

describe("config schema paths", () => {
  it("reads values as JSON except for plain-string keys and text that is not JSON", () => {
    assert.deepEqual(configValue("istio", '{"mode":"ambient"}'), { mode: "ambient" });
    assert.equal(configValue("phase", "123"), "123");
    assert.equal(configValue("region", "us-east-1"), "us-east-1");
  });

  it("knows the keys a section allows and has no schema for unknown or polluting keys", () => {
    assert.ok(knownKeysAt(["istio"]).includes("mode"));
    assert.deepEqual(schemasAt(["nope"]), []);
    assert.deepEqual(schemasAt(["__proto__"]), []);
    assert.deepEqual(schemasAt(["istio", "constructor"]), []);
  });

  it("marks the root CA key secret and replaces it, key material and secret-named keys at any depth", () => {
    assert.ok(isSecretPath(["multiCluster", "rootCa", "keyPem"]));
    assert.ok(!isSecretPath(["multiCluster", "rootCa", "certPem"]));
    assert.deepEqual(redact({ rootCa: { certPem: "c", keyPem: "k" } }, ["multiCluster"]), {
      rootCa: { certPem: "c", keyPem: "<redacted>" },
    });
    assert.deepEqual(redact({ a: [KEY] }, ["istio"]), { a: ["<redacted>"] });
    assert.equal(redact("k", ["multiCluster", "rootCa", "kyePassword"]), "<redacted>");
  });

  it("redacts a flat config map for records and says whether it replaced anything", () => {
    const clean = redactFlatConfig({ "meshlift:phase": "parallel", "aws:region": "us-east-1" });
    assert.deepEqual(clean, {
      config: { "meshlift:phase": "parallel", "aws:region": "us-east-1" },
      redacted: false,
    });
    const dirty = redactFlatConfig({
      "meshlift:multiCluster": JSON.stringify({ rootCa: { certPem: "c", keyPem: KEY } }),
      "other:apiToken": "t0ps3cr3t",
    });
    assert.equal(dirty.redacted, true);
    assert.ok(!dirty.config["meshlift:multiCluster"].includes("PRIVATE KEY"));
    assert.equal(dirty.config["other:apiToken"], "<redacted>");
  });
});
