// A ConfigError lists every problem in one message (key, what was given, what is allowed), and typos get a suggestion.
import * as assert from "node:assert/strict";
import { ConfigError, didYouMean, editDistance, formatProblems } from "../../config/errors";

describe("config errors", () => {
  it("lists every problem in one message, with the given value when there is one", () => {
    const e = new ConfigError("dev", [
      { key: "meshlift:phase", given: "parralel", message: "must be one of discovery, parallel" },
      { key: "meshlift:cluster", message: "is required" },
    ]);
    assert.equal(e.name, "ConfigError");
    assert.equal(e.stack, "dev");
    assert.equal(e.problems.length, 2);
    assert.equal(
      e.message,
      'invalid config for stack "dev" (2 problems); nothing was created:\n' +
        '  - meshlift:phase (given: "parralel"): must be one of discovery, parallel\n' +
        "  - meshlift:cluster: is required",
    );
  });

  it("says 1 problem, and cuts a long given value at 80 characters", () => {
    const msg = formatProblems("s", [{ key: "k", given: "x".repeat(200), message: "bad" }]);
    assert.match(msg, /\(1 problem\);/);
    assert.ok(msg.includes(`(given: "${"x".repeat(76)}...)`), msg);
    // A value JSON cannot write is shown as String() gives it.
    assert.match(
      formatProblems("s", [{ key: "k", given: Symbol("odd"), message: "m" }]),
      /given: Symbol\(odd\)\): m$/,
    );
  });

  it("measures edits between words, and suggests a near candidate only", () => {
    assert.equal(editDistance("kitten", "sitting"), 3);
    assert.equal(editDistance("", "abc"), 3);
    assert.equal(editDistance("same", "same"), 0);
    assert.equal(didYouMean("istoi", ["istio", "cluster", "cutover"]), "istio");
    assert.equal(didYouMean("CUTOVR", ["istio", "cutover"]), "cutover");
    assert.equal(didYouMean("zzzzzz", ["istio", "cutover"]), undefined);
    assert.equal(didYouMean("x", []), undefined);
  });
});
