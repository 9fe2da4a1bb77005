// Checks on a request body before and after parsing: nesting depth, forbidden keys, and the JSON media types.
import { strict as assert } from "node:assert";
import {
  forbiddenKeyMessage,
  forbiddenKeyPath,
  isJsonContentType,
  jsonDepthExceeded,
  MAX_BODY_DEPTH,
} from "../../../automation/service/body";

describe("request body checks", () => {
  it("finds the offset where nesting first goes past the limit, skipping strings and escapes", () => {
    assert.equal(jsonDepthExceeded('{"kind":"plan","config":{"a":1}}'), -1);
    assert.equal(jsonDepthExceeded("[[[", 2), 2);
    assert.equal(jsonDepthExceeded("[][][]", 1), -1, "siblings do not add up");
    assert.equal(
      jsonDepthExceeded('["[[[[", "\\"[[[["]', 1),
      -1,
      "brackets in strings do not count",
    );
    const deep = "[".repeat(MAX_BODY_DEPTH + 1) + "]".repeat(MAX_BODY_DEPTH + 1);
    assert.equal(jsonDepthExceeded(deep), MAX_BODY_DEPTH);
  });

  it("finds the path of the first __proto__, prototype or constructor key at any depth", () => {
    assert.equal(forbiddenKeyPath({ kind: "plan", config: { a: 1 } }), undefined);
    assert.deepEqual(forbiddenKeyPath(JSON.parse('{"config":{"__proto__":{"x":1}}}')), [
      "config",
      "__proto__",
    ]);
    assert.deepEqual(forbiddenKeyPath({ a: [{ constructor: 1 }] }), ["a", "0", "constructor"]);
    assert.equal(forbiddenKeyPath("constructor"), undefined, "a value is not a key");
    assert.equal(
      forbiddenKeyMessage(["config", "prototype"]),
      '"prototype" is not allowed in a config key (__proto__, prototype, constructor are refused)',
    );
  });

  it("takes application/json and application/*+json, with parameters, in any case", () => {
    for (const t of [
      "application/json",
      "Application/JSON; charset=utf-8",
      "application/merge-patch+json",
    ])
      assert.equal(isJsonContentType(t), true, t);
    for (const t of [undefined, "", "text/json", "application/jsonp", "application/x+json+xml"])
      assert.equal(isJsonContentType(t), false, String(t));
  });
});
