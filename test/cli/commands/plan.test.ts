// `meshlift plan` end to end as a user runs it: output, files, and exit codes.
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PROJECT_DIR } from "../../../plan/offline";

function meshlift(...args: string[]) {
  const r = spawnSync(
    process.execPath,
    [require.resolve("tsx/cli"), path.join(PROJECT_DIR, "cli/main.ts"), ...args],
    {
      encoding: "utf8",
      cwd: PROJECT_DIR,
    },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("meshlift plan (CLI)", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "meshlift-plan-"));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("prints the resource tree, says it is offline, and writes the JSON document", () => {
    const json = path.join(tmp, "plan.json");
    const r = meshlift("plan", "--stack", "dev", "--json", json, "--out", path.join(tmp, "out"));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /not a preview of live state/);
    assert.match(r.stdout, /shown as <computed>/);
    assert.match(r.stdout, /eks:index:Cluster {2}cluster-eks/);
    assert.match(r.stdout, /eks:index:ManagedNodeGroup {2}cluster-gateway/);
    const doc = JSON.parse(fs.readFileSync(json, "utf8"));
    assert.equal(doc.stack, "dev");
    assert.ok(doc.resources.length > 5);
  });

  it("exits 2 with the config message and no stack trace on a bad config", () => {
    const r = meshlift("plan", "--stack", "dev", "--set", "phse=parallel");
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /meshlift:phse \(given: "parallel"\): unknown key; did you mean meshlift:phase\?/,
    );
    assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
  });

  it("exits 2 for an unknown stack or phase", () => {
    const a = meshlift("plan", "--stack", "nope");
    assert.equal(a.code, 2);
    assert.match(a.stderr, /unknown stack "nope".*stacks: .*dev/);
    const b = meshlift("plan", "--stack", "dev", "--phase", "later");
    assert.equal(b.code, 2);
    assert.match(b.stderr, /Allowed choices are discovery, parallel/);
  });
});
