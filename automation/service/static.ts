// The board's built files, held in memory and served by exact path: nothing outside the build's manifest is ever read.
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

/** What `web/build.ts` writes beside the bundle: the files to serve, by URL path. */
export interface BoardManifest {
  /** Hash of the sources the bundle was built from (to rebuild when they change). */
  readonly sourceHash: string;
  /** URL path (`/assets/board.js`) -> file name in the build directory and its media type. */
  readonly files: Readonly<Record<string, { readonly file: string; readonly type: string }>>;
}

export const MANIFEST_FILE = "manifest.json";

export interface StaticAsset {
  readonly type: string;
  readonly body: Buffer;
  readonly etag: string;
}

/** The page every board route answers with; the script routes on the path. */
export const BOARD_PAGE = "/index.html";

/** Reads every file the manifest lists; throws naming the directory when the build is missing or broken. */
export function loadBoardAssets(dir: string): Map<string, StaticAsset> {
  const manifestFile = path.join(dir, MANIFEST_FILE);
  let manifest: BoardManifest;
  try {
    manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8")) as BoardManifest;
  } catch (e) {
    throw new Error(
      `the board is not built (${manifestFile}: ${(e as Error).message}); run \`npm run build:web\``,
    );
  }
  const assets = new Map<string, StaticAsset>();
  for (const [urlPath, f] of Object.entries(manifest.files)) {
    if (path.basename(f.file) !== f.file)
      throw new Error(`${manifestFile}: file "${f.file}" must be a plain file name`);
    const body = fs.readFileSync(path.join(dir, f.file));
    const etag = `"${crypto.createHash("sha256").update(body).digest("base64url").slice(0, 22)}"`;
    assets.set(urlPath, { type: f.type, body, etag });
  }
  if (!assets.has(BOARD_PAGE)) throw new Error(`${manifestFile}: no ${BOARD_PAGE}`);
  return assets;
}

/** Paths that answer with the board page: the board and each stack's page. */
export function isBoardRoute(p: string): boolean {
  return p === "/" || p === BOARD_PAGE || /^\/stacks\/[^/]+$/.test(p);
}
