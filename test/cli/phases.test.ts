// `meshlift plan --diff-phase` and `meshlift runbook` as a user runs them.
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { PROJECT_DIR } from "../../plan/offline";

function meshlift(...args: string[]) {
  const r = spawnSync(
    process.execPath,
    [require.resolve("tsx/cli"), path.join(PROJECT_DIR, "cli/main.ts"), ...args],
    { encoding: "utf8", cwd: PROJECT_DIR },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("meshlift plan --diff-phase / runbook (CLI)", () => {
  it("prints what moving to the next phase creates, updates, replaces and deletes", () => {
    const r = meshlift(
      "plan",
      "--stack",
      "dev",
      "--phase",
      "parallel",
      "--diff-phase",
      "workloads",
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Moving from phase parallel to workloads/);
    assert.match(r.stdout, /create +kubernetes:apps\/v1:DeploymentPatch {2}ns-shop-restart-cart/);
    assert.match(
      r.stdout,
      /update +kubernetes:core\/v1:NamespacePatch {2}ns-shop-labels {2}\(metadata\)/,
    );
    // The proxy image pre-pull of parallel is gone once the workloads restart.
    assert.match(r.stdout, /delete +kubernetes:apps\/v1:DaemonSet {2}proxy-prepull-daemonset/);
    assert.match(r.stdout, /Resources: 6 to create, 2 to update, 0 to replace, 1 to delete/);
  });

  it("prints the runbook of the configured phase", () => {
    const r = meshlift("runbook", "--stack", "dev");
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^# meshlift runbook: stack `dev`, phase `discovery`/);
    assert.match(r.stdout, /## Advance/);
  });
});
