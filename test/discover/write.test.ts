// The output directory is written whole or not at all, and only where discover may write.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DiscoverError } from "../../discover";
import { checkOutDir, writeOutDir } from "../../discover/write";

describe("discover output directory", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "meshlift-write-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("creates the target with every file, and replaces an earlier output as a whole", () => {
    const out = path.join(dir, "a", "out");
    writeOutDir(
      out,
      new Map([
        ["inventory.json", "{}"],
        ["exports/x.yaml", "x"],
      ]),
    );
    assert.equal(fs.readFileSync(path.join(out, "exports", "x.yaml"), "utf8"), "x");
    writeOutDir(
      out,
      new Map([
        ["inventory.json", "{}"],
        ["exports/y.yaml", "y"],
      ]),
    );
    assert.deepEqual(
      fs.readdirSync(path.join(out, "exports")),
      ["y.yaml"],
      "no file of the old output is left",
    );
    assert.deepEqual(fs.readdirSync(path.join(dir, "a")), ["out"], "no temporary directories");
  });

  it("refuses paths that leave the target, and leaves nothing behind", () => {
    const out = path.join(dir, "out");
    assert.throws(() => writeOutDir(out, new Map([["../escape.txt", "x"]])), DiscoverError);
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  it("checks the target before discover reads anything", () => {
    fs.writeFileSync(path.join(dir, "f"), "");
    assert.throws(() => checkOutDir(path.join(dir, "f")), /exists and is not a directory/);
    fs.mkdirSync(path.join(dir, "full"));
    fs.writeFileSync(path.join(dir, "full", "x"), "");
    assert.throws(() => checkOutDir(path.join(dir, "full")), /a directory with other files/);
    fs.mkdirSync(path.join(dir, "empty"));
    checkOutDir(path.join(dir, "empty"));
    checkOutDir(path.join(dir, "new"));
  });
});
