// Token parsing and checking: scopes, bad entries, 401 versus 403.
import { strict as assert } from "node:assert";
import {
  Authenticator,
  parseTokens,
  scopeAllows,
  tokenIdentity,
} from "../../../automation/service/auth";

describe("service auth", () => {
  const tokens = parseTokens(
    "# comment\nread:rrrrrrrrrrrrrrrrrrrr\noperate:oooooooooooooooooooo, admin:aaaaaaaaaaaaaaaaaaaa",
    "test",
  );
  const auth = new Authenticator(tokens);

  it("parses scope:token entries from lines and commas", () => {
    assert.deepEqual(
      tokens.map((t) => t.scope),
      ["read", "operate", "admin"],
    );
    // Only hashes are kept.
    assert.ok(tokens.every((t) => t.hash.length === 32));
  });

  it("rejects unknown scopes and short tokens, naming the entry", () => {
    assert.throws(
      () => parseTokens("write:xxxxxxxxxxxxxxxxxxxx", "f"),
      /f: entry 1 has scope "write"/,
    );
    assert.throws(
      () => parseTokens("read:short", "f"),
      /entry 1 \(read\).*5 characters; at least 16/,
    );
  });

  it("orders scopes read < operate < admin", () => {
    assert.ok(scopeAllows("admin", "read"));
    assert.ok(scopeAllows("operate", "operate"));
    assert.ok(!scopeAllows("operate", "admin"));
    assert.ok(!scopeAllows("read", "operate"));
  });

  it("answers 401 for no or unknown token and 403 for a too-small scope", () => {
    const ok = auth.check("Bearer oooooooooooooooooooo", "operate");
    assert.equal(ok.ok, true);
    assert.equal((ok as { scope: string }).scope, "operate");
    assert.equal((auth.check(undefined, "read") as { status: number }).status, 401);
    assert.equal((auth.check("Basic abc", "read") as { status: number }).status, 401);
    assert.equal(
      (auth.check("Bearer nope-nope-nope-nope", "read") as { status: number }).status,
      401,
    );
    assert.equal(
      (auth.check("Bearer rrrrrrrrrrrrrrrrrrrr", "operate") as { status: number }).status,
      403,
    );
  });

  it("records a token's label, else its scope and hash prefix, as who acts: never the token", () => {
    const [labelled, plain] = parseTokens(
      "operate:llllllllllllllllllll ci-deployer@team\nread:pppppppppppppppppppp",
      "test",
    );
    assert.equal(labelled.label, "ci-deployer@team");
    assert.equal(tokenIdentity(labelled), "ci-deployer@team");
    assert.match(tokenIdentity(plain), /^read:[0-9a-f]{8}$/);
    assert.ok(!tokenIdentity(plain).includes("pppp"));
    const who = new Authenticator([labelled, plain]).check("Bearer pppppppppppppppppppp", "read");
    assert.deepEqual(who, { ok: true, scope: "read", identity: tokenIdentity(plain) });
  });

  it("refuses a bad label without printing it (it may be a token pasted with a space)", () => {
    for (const bad of ["two words", "<img src=x>", "x".repeat(65)]) {
      let message = "";
      try {
        parseTokens(`operate:oooooooooooooooooooo ${bad}`, "f");
      } catch (e) {
        message = (e as Error).message;
      }
      assert.match(message, /f: entry 1 \(operate\) has an invalid label/);
      assert.ok(!message.includes(bad), message);
    }
  });
});
