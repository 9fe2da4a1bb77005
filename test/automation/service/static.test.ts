// The board's files as the service serves them: read once from the build's manifest, with an ETag each; which paths answer with the page.
import { strict as assert } from "node:assert";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  BOARD_PAGE,
  isBoardRoute,
  loadBoardAssets,
  MANIFEST_FILE,
} from "../../../automation/service/static";
import { tempDir } from "../support";

/** A build directory holding `files` (name -> text) and a manifest listing `listed`. */
function build(
  files: Record<string, string>,
  listed: Record<string, { file: string; type: string }>,
): string {
  const dir = tempDir("meshlift-static-");
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  fs.writeFileSync(
    path.join(dir, MANIFEST_FILE),
    JSON.stringify({ sourceHash: "x", files: listed }),
  );
  return dir;
}

const PAGE = { file: "index.html", type: "text/html; charset=utf-8" };

describe("board assets", () => {
  it("serves exactly the files the manifest lists, each with its type and a content hash ETag", () => {
    const dir = build(
      { "index.html": "<!doctype html>", "board.js": "run()", "stray.txt": "not listed" },
      { [BOARD_PAGE]: PAGE, "/assets/board.js": { file: "board.js", type: "text/javascript" } },
    );
    const assets = loadBoardAssets(dir);
    assert.deepEqual([...assets.keys()], ["/index.html", "/assets/board.js"]);
    const js = assets.get("/assets/board.js");
    assert.equal(js?.type, "text/javascript");
    assert.equal(js?.body.toString(), "run()");
    const hash = crypto.createHash("sha256").update("run()").digest("base64url").slice(0, 22);
    assert.equal(js?.etag, `"${hash}"`);
    assert.notEqual(assets.get(BOARD_PAGE)?.etag, js?.etag);
  });

  it("refuses a manifest naming a file outside the build directory", () => {
    const dir = build({ "index.html": "x" }, { [BOARD_PAGE]: { ...PAGE, file: "../index.html" } });
    assert.throws(() => loadBoardAssets(dir), /file "\.\.\/index\.html" must be a plain file name/);
  });

  it("refuses a build without the board page, and says how to build it when there is none", () => {
    const dir = build({ "a.js": "" }, { "/a.js": { file: "a.js", type: "text/javascript" } });
    assert.throws(() => loadBoardAssets(dir), /manifest\.json: no \/index\.html/);
    assert.throws(
      () => loadBoardAssets(path.join(dir, "missing")),
      /the board is not built \(.*manifest\.json: .*\); run `npm run build:web`/,
    );
  });

  it("answers the board and each stack's page with the board page, and nothing deeper", () => {
    for (const p of ["/", "/index.html", "/stacks/dev", "/stacks/a%20b"])
      assert.equal(isBoardRoute(p), true, p);
    for (const p of ["/stacks", "/stacks/", "/stacks/dev/x", "/api/stacks/dev", "/index.htm"])
      assert.equal(isBoardRoute(p), false, p);
  });
});
