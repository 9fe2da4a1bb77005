// The security config section: its defaults, and the rules it refuses, naming the key.
import * as assert from "node:assert/strict";
import { parseStack as parse, stackProblems as problems } from "../../support/config";

describe("config: security", () => {
  it("defaults to no strict mTLS, no policies", () => {
    const s = parse({}).security;
    assert.deepEqual(s, { strictMtls: false, defaultDenyNamespaces: [], allow: [], jwt: [] });
  });

  it("refuses an allow rule without a source and a plain-http JWKS URI", () => {
    const msg = problems({
      "meshlift:security": JSON.stringify({
        allow: [{ name: "open", namespace: "shop", methods: ["GET"] }],
        jwt: [{ name: "a", issuer: "i", jwksUri: "http://x/jwks" }],
      }),
    });
    assert.match(msg, /security\.allow\.0\.principals: an allow rule needs at least one source/);
    assert.match(msg, /security\.jwt\.0\.jwksUri .*https/);
  });
});
