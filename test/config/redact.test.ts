// What counts as a secret in config and how values are shown: schema marks, credential shapes, secret-sounding keys, bounded quoting, scrubbed text.
import * as assert from "node:assert/strict";
import { z } from "zod";
import {
  isSecretSchema,
  looksSecret,
  REDACTED,
  redactDeep,
  scrubText,
  SECRET_META,
  secretName,
  shownValue,
} from "../../config/redact";

const PEM = "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----";

describe("config redact", () => {
  it("tells a schema marked secret from one that is not", () => {
    assert.equal(isSecretSchema(z.string().meta(SECRET_META)), true);
    assert.equal(isSecretSchema(z.string()), false);
  });

  it("recognises key material and tokens by their shape, not ordinary words", () => {
    for (const s of [PEM, "AKIAABCDEFGHIJKLMNOP", "Bearer abcdefgh12", "a1".repeat(16)])
      assert.equal(looksSecret(s), true, s);
    for (const v of ["istio-system", "x".repeat(40), "1".repeat(40), 42, undefined])
      assert.equal(looksSecret(v), false, String(v));
  });

  it("treats keys named like secrets as secret", () => {
    for (const k of ["keyPem", "aws:secretKey", "tokens", "adminPassword", "credential"])
      assert.equal(secretName(k), true, k);
    for (const k of ["restartToken2", "name", "keyPemFile"]) assert.equal(secretName(k), false, k);
  });

  it("redacts marked keys and secret-looking values at any depth, and leaves the rest", () => {
    const out = redactDeep(
      { rootCa: { keyPem: "short", certPem: PEM }, list: ["ok", "AKIAABCDEFGHIJKLMNOP"], n: 1 },
      (p) => p.join(".") === "rootCa.keyPem",
    );
    assert.deepEqual(out, {
      rootCa: { keyPem: REDACTED, certPem: REDACTED },
      list: ["ok", REDACTED],
      n: 1,
    });
    assert.equal(redactDeep(undefined), undefined);
  });

  it("quotes values bounded: long strings cut, big or deep objects described", () => {
    assert.equal(shownValue("abc"), "abc");
    assert.equal(shownValue("x".repeat(100)), `${"x".repeat(80)}... (100 characters)`);
    assert.deepEqual(shownValue({ a: 1 }), { a: 1 });
    assert.equal(shownValue({ a: { b: { c: { d: 1 } } } }), "<object with 1 key(s)>");
    assert.equal(shownValue(Array.from({ length: 100 }, (_, i) => i)), "<array of 100 item(s)>");
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    assert.equal(shownValue(cyclic), "<object with 1 key(s)>");
    assert.equal(shownValue(7), 7);
  });

  it("scrubs PEM blocks and known tokens out of free text", () => {
    assert.equal(
      scrubText(`failed: ${PEM} with key AKIAABCDEFGHIJKLMNOP`),
      `failed: ${REDACTED} with key ${REDACTED}`,
    );
    assert.equal(scrubText("nothing secret here"), "nothing secret here");
  });
});
