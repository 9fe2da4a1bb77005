// convert's source reading (cli/commands/convert.ts): stdin and the -f list.
import * as assert from "node:assert/strict";
import { readSources } from "../../cli/commands/convert";

describe("readSources", () => {
  it("reads - from stdin and refuses an empty -f list", () => {
    assert.deepEqual(
      readSources(["-"], () => "kind: x"),
      [{ path: "<stdin>", content: "kind: x" }],
    );
    assert.throws(() => readSources([]), /-f is required/);
  });
});
