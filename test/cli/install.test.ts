// The installable CLI: `npm run build` compiles dist/, the `meshlift` bin runs from it, `npm pack` ships what it needs, `npm run meshlift` picks dist/ only when fresh.
import * as assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { ensureBoard } from "../../web/build";
import { cli } from "../support/cli";

const ROOT = path.join(__dirname, "../..");
const PKG = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
  version: string;
  bin: Record<string, string>;
  scripts: Record<string, string>;
};
const BIN = path.join(ROOT, PKG.bin.meshlift ?? "");
const SMALL = path.join(ROOT, "test/fixtures/appmesh/shop.yaml");
const env = {
  ...process.env,
  PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ""}`,
};

function run(file: string, args: readonly string[]) {
  return spawnSync(file, args, {
    cwd: ROOT,
    encoding: "utf8",
    env,
    timeout: 300_000,
    maxBuffer: 64 * 1024 * 1024,
  });
}

describe("the installable meshlift CLI", () => {
  before(async function () {
    // Never a stale dist/: build it now (incremental, quick when `npm ci` already did through prepare).
    this.timeout(15 * 60_000);
    execFileSync("npm", ["run", "--silent", "build"], { cwd: ROOT, stdio: "pipe", env });
    await ensureBoard();
  });

  it("is built by prepare, so that npm ci leaves the CLI and the board ready", () => {
    assert.match(PKG.scripts.prepare ?? "", /web\/build\.ts/);
    assert.match(PKG.scripts.prepare ?? "", /npm run build/);
    assert.equal(PKG.bin.meshlift, "dist/cli/main.js");
  });

  it("runs the bin itself (shebang, executable) for --help, --version and convert", async () => {
    assert.ok(fs.readFileSync(BIN, "utf8").startsWith("#!/usr/bin/env node\n"));
    const help = run(BIN, ["--help"]);
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /Usage: meshlift/);
    assert.match(help.stdout, /completion/);
    const version = run(BIN, ["--version"]);
    assert.equal(version.status, 0, version.stderr);
    assert.equal(version.stdout.split("\n")[0], `meshlift ${PKG.version}`);
    // The compiled converter writes what the sources write.
    const compiled = run(BIN, ["convert", "-f", SMALL]);
    assert.equal(compiled.status, 0, compiled.stderr);
    const source = await cli("convert", "-f", SMALL);
    assert.equal(compiled.stdout, source.out);
    const bad = run(BIN, ["completion", "tcsh"]);
    assert.equal(bad.status, 2);
  });

  it("plans a stack from dist/ (the project directory is found from the compiled files)", () => {
    const r = run(BIN, ["plan", "--stack", "dev"]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /not a preview of live state/);
  });

  it("packs dist/, the built board, Pulumi.yaml and the stacks, and no tests or sources", () => {
    const r = spawnSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
      cwd: ROOT,
      encoding: "utf8",
      env,
      timeout: 300_000,
    });
    assert.equal(r.status, 0, r.stderr);
    const [pack] = JSON.parse(r.stdout) as { files: { path: string }[] }[];
    const files = new Set((pack?.files ?? []).map((f) => f.path));
    for (const f of [
      "package.json",
      "README.md",
      "Pulumi.yaml",
      "dist/cli/main.js",
      "dist/cli/commands/convert.js",
      "dist/program.js",
      "dist/automation/runners/plan-worker.js",
      "web/dist/index.html",
      "web/dist/manifest.json",
      "stacks/Pulumi.dev.yaml",
    ])
      assert.ok(files.has(f), `${f} not packed`);
    // npm always packs package.json's `main` (index.ts, Pulumi's entry): the program runs from a checkout.
    files.delete("index.ts");
    const unwanted = [...files].filter(
      (f) =>
        f.startsWith("test/") ||
        f.startsWith("node_modules/") ||
        (f.endsWith(".ts") && !f.endsWith(".d.ts")),
    );
    assert.deepEqual(unwanted, []);
  });

  it("npm run meshlift uses dist/ when it is fresh and the sources (saying so) when it is not", () => {
    const stamp = path.join(ROOT, "dist/.built");
    const fresh = run("npm", ["run", "--silent", "meshlift", "--", "--version"]);
    assert.equal(fresh.status, 0, fresh.stderr);
    assert.equal(fresh.stderr, "");
    const saved = fs.statSync(stamp);
    try {
      fs.utimesSync(stamp, new Date(0), new Date(0));
      const stale = run("npm", ["run", "--silent", "meshlift", "--", "--version"]);
      assert.equal(stale.status, 0, stale.stderr);
      assert.match(stale.stderr, /dist\/ is missing or older than the sources/);
      assert.equal(stale.stdout, fresh.stdout);
    } finally {
      fs.utimesSync(stamp, saved.atime, saved.mtime);
    }
  });
});
