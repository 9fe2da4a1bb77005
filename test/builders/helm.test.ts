// Tests the Helm values helpers.
import * as assert from "node:assert/strict";
import { deepMerge } from "../../builders/helm";

describe("deepMerge", () => {
  it("merges objects and replaces lists and scalars, leaving its inputs alone", () => {
    const a = { global: { meshID: "a", proxy: { x: 1 } }, list: [1] };
    const b = { global: { network: "n", proxy: { y: 2 } }, list: [2] };
    assert.deepEqual(deepMerge(a, b), {
      global: { meshID: "a", network: "n", proxy: { x: 1, y: 2 } },
      list: [2],
    });
    assert.deepEqual(a, { global: { meshID: "a", proxy: { x: 1 } }, list: [1] });
  });
});
