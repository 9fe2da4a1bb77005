// The cutover journal: private file modes, torn lines, safe file names, and the run lock.
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { CutoverBusyError, Journal, jsonSafe } from "../../cutover/journal";
import { tempDir } from "../automation/support";
import { applied, base } from "./support";

describe("cutover journal", () => {
  it("keeps the directory 0700 and the file 0600, even when they existed wider", () => {
    const dir = path.join(tempDir(), "cutover");
    fs.mkdirSync(dir, { mode: 0o755 });
    fs.chmodSync(dir, 0o755);
    fs.writeFileSync(path.join(dir, "dev.jsonl"), "", { mode: 0o644 });
    fs.chmodSync(path.join(dir, "dev.jsonl"), 0o644);
    const old = process.umask(0);
    try {
      new Journal(dir, "dev").append({ ...applied(5), runId: "r1" });
    } finally {
      process.umask(old);
    }
    assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
    assert.equal(fs.statSync(path.join(dir, "dev.jsonl")).mode & 0o777, 0o600);
  });

  it("skips a torn last line and reads the rest", () => {
    const dir = tempDir();
    const j = new Journal(dir, "dev");
    j.append({ ...applied(5), runId: "r1" });
    fs.appendFileSync(j.file, '{"type":"decis');
    assert.deepEqual(
      j.read().map((e) => e.type),
      ["applied"],
    );
  });

  it("never turns a stack name into a path", () => {
    for (const bad of ["../etc", "a/b", "", ".hidden", "a..b", "x".repeat(200), "dév"]) {
      assert.throws(() => new Journal(tempDir(), bad), /not a stack name/, bad);
    }
  });

  it("refuses a second lock while the holder lives, and takes over one a dead process left", () => {
    const dir = tempDir();
    const j = new Journal(dir, "dev");
    const release = j.lock("run-a");
    assert.throws(() => j.lock("run-b"), CutoverBusyError);
    release();
    assert.equal(j.runningRun(), undefined);
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
    fs.writeFileSync(
      path.join(dir, "dev.lock"),
      JSON.stringify({ runId: "run-dead", pid: Number(dead.stdout.toString()), at: base.at }),
    );
    assert.equal(j.runningRun(), undefined);
    const again = j.lock("run-c");
    assert.equal(j.runningRun()?.runId, "run-c");
    again();
  });

  it("writes +Inf for a latency past the last bucket (JSON has no Infinity)", () => {
    assert.equal(
      JSON.stringify({ v: Infinity, n: NaN, x: 1 }, jsonSafe),
      '{"v":"+Inf","n":"NaN","x":1}',
    );
  });
});
