// Config keys as Pulumi writes them (namespace:key.path), and the segments and depths refused before any value is read.
import * as assert from "node:assert/strict";
import {
  forbiddenSegment,
  KNOWN_NAMESPACES,
  MAX_CONFIG_DEPTH,
  refusedSegmentMessage,
  splitKey,
  valueProblem,
} from "../../config/keys";

describe("config keys", () => {
  it("splits a key at its first colon, and knows the providers' namespaces", () => {
    assert.deepEqual(splitKey("meshlift:istio.mode"), { namespace: "meshlift", key: "istio.mode" });
    assert.deepEqual(splitKey("aws:region"), { namespace: "aws", key: "region" });
    assert.deepEqual(splitKey("a:b:c"), { namespace: "a", key: "b:c" });
    assert.deepEqual(splitKey("phase"), { namespace: undefined, key: "phase" });
    assert.ok(KNOWN_NAMESPACES.includes("meshlift") && KNOWN_NAMESPACES.includes("kubernetes"));
  });

  it("refuses __proto__, prototype and constructor as a segment, naming it", () => {
    assert.equal(forbiddenSegment(["istio", "__proto__", "x"]), "__proto__");
    assert.equal(forbiddenSegment(["constructor"]), "constructor");
    assert.equal(forbiddenSegment(["istio", "mode"]), undefined);
    assert.equal(
      refusedSegmentMessage("prototype"),
      '"prototype" is not allowed in a config key (__proto__, prototype, constructor are refused)',
    );
  });

  it("finds a forbidden key or a too deep value anywhere in a value, with its path", () => {
    assert.equal(valueProblem({ a: [1, { b: "c" }] }), undefined);
    assert.equal(valueProblem("plain"), undefined);
    const proto = JSON.parse('{"istio": {"gateway": {"__proto__": {"x": 1}}}}') as unknown;
    assert.deepEqual(valueProblem(proto), {
      path: ["istio", "gateway", "__proto__"],
      message: refusedSegmentMessage("__proto__"),
    });
    let deep: unknown = 1;
    for (let i = 0; i < MAX_CONFIG_DEPTH + 1; i++) deep = { d: deep };
    const p = valueProblem(deep);
    assert.equal(p?.message, `nests deeper than ${MAX_CONFIG_DEPTH} levels`);
    assert.equal(p?.path.length, MAX_CONFIG_DEPTH);
    assert.equal(valueProblem({ a: { b: 1 } }, 1)?.message, "nests deeper than 1 levels");
  });
});
