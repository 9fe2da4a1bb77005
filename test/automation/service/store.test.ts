// The SQLite store: records survive reopening; recovery marks unfinished operations interrupted.
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { Store } from "../../../automation/service/store";
import { tempDir } from "../support";

describe("operation store", () => {
  it("keeps operations and events across reopen, and recovers unfinished ones once", () => {
    const file = path.join(tempDir(), "nested", "m.db");
    const a = new Store(file);
    a.insert({
      id: "1",
      stack: "dev",
      kind: "up",
      phase: "parallel",
      config: { "meshlift:x": "1" },
    });
    a.insert({ id: "2", stack: "dev", kind: "plan", config: {} });
    a.insert({ id: "3", stack: "prod", kind: "preview", config: {} });
    assert.ok(a.start("1"));
    a.appendEvent("1", 1, { stdoutEvent: { message: "hello" } });
    assert.ok(a.start("3"));
    a.finish("3", "succeeded", { summary: { ok: true } });
    a.close();

    const b = new Store(file);
    const recovered = b.recoverInterrupted();
    assert.deepEqual(
      recovered.interrupted.map((o) => [o.id, o.status]),
      [["1", "interrupted"]],
    );
    // Queued and never started, with nothing redacted: handed back to be resumed.
    assert.deepEqual(
      recovered.queued.map((o) => [o.id, o.status]),
      [["2", "queued"]],
    );
    assert.deepEqual(b.get("1")?.config, { "meshlift:x": "1" });
    assert.equal(b.get("1")?.events, 1);
    assert.deepEqual(b.events("1")[0].data, { stdoutEvent: { message: "hello" } });
    assert.equal(b.get("3")?.status, "succeeded");
    assert.equal(b.lastOperation("dev")?.id, "2");
    assert.deepEqual(b.recoverInterrupted().interrupted, []);
    // An interrupted operation cannot be started afterwards.
    assert.equal(b.start("1"), false);
    b.close();
  });

  it("refuses a second process (or store) on the same file, saying why", () => {
    const file = path.join(tempDir(), "m.db");
    const a = new Store(file);
    try {
      assert.throws(() => new Store(file), /is in use by another process.*--db/);
    } finally {
      a.close();
    }
    new Store(file).close();
  });
});
