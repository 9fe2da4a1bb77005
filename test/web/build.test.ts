// The board's build: esbuild bundles web/src into a manifest-listed directory, and a stale or broken build is noticed and redone.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { loadBoardAssets, MANIFEST_FILE } from "../../automation/service/static";
import { buildBoard, ensureBoard, staleReason } from "../../web/build";
import { tempDir } from "../automation/support";

describe("board build", () => {
  it("bundles the page, one script and one stylesheet, with no inline script or style", async () => {
    const dir = path.join(tempDir("meshlift-web-"), "dist");
    const manifest = await buildBoard(dir);
    assert.deepEqual(Object.keys(manifest.files).sort(), [
      "/assets/board.css",
      "/assets/board.js",
      "/assets/favicon.svg",
      "/index.html",
    ]);
    assert.ok(manifest.inputs.includes("web/src/main.tsx"));
    assert.ok(manifest.inputs.some((i) => i.startsWith("node_modules/preact/")));
    // The browser gets JavaScript, never TypeScript sources.
    const js = fs.readFileSync(path.join(dir, "board.js"), "utf8");
    assert.doesNotMatch(js, /^import .* from "preact"/m);
    assert.doesNotMatch(js, /sourceMappingURL/);
    const html = fs.readFileSync(path.join(dir, "index.html"), "utf8");
    assert.doesNotMatch(html, /<script>|<style|style=/);
    assert.equal(staleReason(dir), undefined);
    const assets = loadBoardAssets(dir);
    assert.equal(assets.get("/index.html")?.type, "text/html; charset=utf-8");
    assert.ok(!assets.has(`/${MANIFEST_FILE}`));
  });

  it("notices a missing file, a changed input and a broken manifest, and rebuilds", async () => {
    const dir = path.join(tempDir("meshlift-web-"), "dist");
    await buildBoard(dir);
    fs.rmSync(path.join(dir, "board.js"));
    assert.equal(staleReason(dir), "board.js is missing");
    await ensureBoard(() => undefined, dir);
    assert.equal(staleReason(dir), undefined);
    const file = path.join(dir, MANIFEST_FILE);
    const m = JSON.parse(fs.readFileSync(file, "utf8")) as { sourceHash: string };
    fs.writeFileSync(file, JSON.stringify({ ...m, sourceHash: "0".repeat(64) }));
    assert.equal(staleReason(dir), "its sources changed");
    const logged: string[] = [];
    await ensureBoard((l) => logged.push(l), dir);
    assert.match(logged[0], /board built \(its sources changed\)/);
    fs.writeFileSync(file, "{");
    assert.equal(staleReason(dir), "not built yet");
    assert.throws(() => loadBoardAssets(dir), /the board is not built .*npm run build:web/);
  });

  it("serves the shipped build as it is where the sources are not installed (a packed meshlift)", async () => {
    const dir = path.join(tempDir("meshlift-web-"), "dist");
    await buildBoard(dir);
    const manifest = path.join(dir, MANIFEST_FILE);
    // An install from the tarball: web/src and the front-end dev dependencies are absent.
    const m = JSON.parse(fs.readFileSync(manifest, "utf8")) as { sourceHash: string };
    fs.writeFileSync(manifest, JSON.stringify({ ...m, sourceHash: "from-another-machine" }));
    assert.equal(staleReason(dir), "its sources changed");
    assert.equal(staleReason(dir, path.join(dir, "no-such-src")), undefined);
    fs.rmSync(path.join(dir, "board.js"));
    assert.equal(staleReason(dir, path.join(dir, "no-such-src")), "board.js is missing");
  });
});
