// What a metrics provider hands the analysis: query errors by kind, and server text made safe to show.
import { strict as assert } from "node:assert";
import { QUERY_ERROR_KINDS, QUERY_FAULTS, QueryError, sanitize } from "../../cutover/provider";

describe("cutover provider", () => {
  it("tells the query's own faults from the backend's", () => {
    assert.deepEqual([...QUERY_FAULTS].sort(), ["bad_query", "multiple_series", "non_numeric"]);
    for (const k of QUERY_FAULTS) assert.ok(QUERY_ERROR_KINDS.includes(k));
    assert.equal(QUERY_FAULTS.has("timeout"), false);
  });

  it("carries the kind on a QueryError", () => {
    const e = new QueryError("throttled", "slow down");
    assert.ok(e instanceof Error);
    assert.equal(e.name, "QueryError");
    assert.equal(e.kind, "throttled");
    assert.equal(e.message, "slow down");
  });

  it("replaces control characters with one space, trims, and cuts long text with an ellipsis", () => {
    assert.equal(sanitize("  bad\u001b[31m\r\nquery\u0000 "), "bad [31m query");
    assert.equal(sanitize("x".repeat(300)), "x".repeat(300));
    assert.equal(sanitize("x".repeat(301)), `${"x".repeat(297)}...`);
    assert.equal(sanitize("abcdef", 5), "ab...");
  });
});
