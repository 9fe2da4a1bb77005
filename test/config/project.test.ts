// Finding the project directory (the one with Pulumi.yaml) from wherever the code runs.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { findProjectRoot, PROJECT_ROOT } from "../../config/project";

describe("config project", () => {
  it("is the nearest directory at or above the given one that holds Pulumi.yaml", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "meshlift-project-"));
    try {
      fs.writeFileSync(path.join(root, "Pulumi.yaml"), "name: meshlift\n");
      const deep = path.join(root, "dist", "cli");
      fs.mkdirSync(deep, { recursive: true });
      assert.equal(findProjectRoot(deep), root);
      assert.equal(findProjectRoot(root), root);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it("says where it looked when there is none", () => {
    const bare = fs.mkdtempSync(path.join(os.tmpdir(), "meshlift-noproject-"));
    try {
      // The temporary directory's parents hold no Pulumi.yaml either.
      assert.throws(
        () => findProjectRoot(bare),
        new RegExp(`no Pulumi.yaml at or above ${bare.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`),
      );
    } finally {
      fs.rmSync(bare, { recursive: true, force: true });
    }
  });

  it("finds this checkout from the config module", () => {
    assert.ok(fs.existsSync(path.join(PROJECT_ROOT, "Pulumi.yaml")));
    assert.ok(fs.existsSync(path.join(PROJECT_ROOT, "stacks")));
  });
});
