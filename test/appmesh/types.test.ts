// The converter's input error: the file, the document and the reason in one message.
import * as assert from "node:assert/strict";
import { InputError, SEVERITIES, TARGETS } from "../../appmesh/types";

describe("appmesh types", () => {
  it("names the file and, when known, the document of unreadable input", () => {
    const e = new InputError("shop.yaml", 3, "not YAML");
    assert.ok(e instanceof Error);
    assert.equal(e.name, "InputError");
    assert.equal(e.message, "shop.yaml (document 3): not YAML");
    assert.equal(e.file, "shop.yaml");
    assert.equal(e.document, 3);
    assert.equal(e.reason, "not YAML");
    assert.equal(new InputError("-", undefined, "empty").message, "-: empty");
    assert.equal(new InputError("a.yaml", 0, "x").message, "a.yaml (document 0): x");
  });

  it("lists severities most severe first, and the three targets", () => {
    assert.deepEqual(SEVERITIES, ["blocker", "warning", "info"]);
    assert.deepEqual(TARGETS, ["istio", "gateway-api", "ambient"]);
  });
});
