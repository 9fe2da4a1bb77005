// Builds the migration board (web/src) into web/dist with esbuild: one script, one stylesheet, the page and a manifest; rebuilds only when an input changed.
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { BoardManifest, MANIFEST_FILE } from "../automation/service/static";
import { PROJECT_ROOT } from "../config/project";

/** web/ of the project, also when this file runs compiled from dist/web/build.js. */
export const WEB_DIR = path.join(PROJECT_ROOT, "web");
export const SRC_DIR = path.join(WEB_DIR, "src");
/** Build output: never committed (.gitignore), rebuilt by `npm ci` (prepare) and by `meshlift serve`. */
export const DIST_DIR = path.join(WEB_DIR, "dist");
const ROOT = PROJECT_ROOT;

/** Files copied as they are, beside the bundle. */
const COPIED: Readonly<Record<string, { file: string; type: string }>> = {
  "/index.html": { file: "index.html", type: "text/html; charset=utf-8" },
  "/assets/favicon.svg": { file: "favicon.svg", type: "image/svg+xml" },
};

interface BuiltManifest extends BoardManifest {
  /** Every file the bundle was made from, relative to the project root, for the staleness check. */
  readonly inputs: readonly string[];
}

function hashInputs(inputs: readonly string[]): string | undefined {
  const h = crypto.createHash("sha256");
  for (const rel of [...inputs].sort()) {
    let body: Buffer;
    try {
      body = fs.readFileSync(path.join(ROOT, rel));
    } catch {
      return undefined;
    }
    h.update(rel).update("\0").update(body).update("\0");
  }
  return h.digest("hex");
}

/** Why the build in `dir` must be redone, or undefined when it matches its inputs. */
export function staleReason(dir: string = DIST_DIR, srcDir: string = SRC_DIR): string | undefined {
  let manifest: BuiltManifest;
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_FILE), "utf8")) as BuiltManifest;
  } catch {
    return "not built yet";
  }
  // An installed package ships the board built, without web/src: its files are all there is.
  const sourcesHere = fs.existsSync(srcDir);
  if (
    sourcesHere &&
    (!Array.isArray(manifest.inputs) || hashInputs(manifest.inputs) !== manifest.sourceHash)
  )
    return "its sources changed";
  for (const f of Object.values(manifest.files))
    if (!fs.existsSync(path.join(dir, f.file))) return `${f.file} is missing`;
  return undefined;
}

/** Bundles web/src into `dir` (minified, no source maps, no network), replacing what was there. */
export async function buildBoard(dir: string = DIST_DIR): Promise<BuiltManifest> {
  // Loaded here: `meshlift serve` imports this module only to check the build.
  let esbuild: typeof import("esbuild");
  try {
    esbuild = await import("esbuild");
  } catch {
    throw new Error("esbuild is not installed (a dev dependency of meshlift): run `npm ci`");
  }
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  fs.mkdirSync(tmp, { recursive: true });
  try {
    const result = await esbuild
      .build({
        entryPoints: {
          board: path.join(SRC_DIR, "main.tsx"),
          "board-style": path.join(SRC_DIR, "board.css"),
        },
        outdir: tmp,
        bundle: true,
        minify: true,
        format: "esm",
        target: ["es2020", "chrome100", "firefox100", "safari15"],
        jsx: "automatic",
        jsxImportSource: "preact",
        tsconfig: path.join(SRC_DIR, "tsconfig.json"),
        legalComments: "none",
        metafile: true,
        logLevel: "silent",
        absWorkingDir: ROOT,
      })
      .catch((e: Error) => {
        // A package the board needs is missing: usually node_modules predates a dependency.
        const hint = /Could not resolve/.test(e.message) ? " (run `npm install`)" : "";
        throw new Error(`${e.message.replace(/\s+/g, " ").trim()}${hint}`);
      });
    for (const f of Object.values(COPIED))
      fs.copyFileSync(path.join(SRC_DIR, f.file), path.join(tmp, f.file));
    const inputs = [
      ...Object.keys(result.metafile.inputs),
      ...Object.values(COPIED).map((f) => path.relative(ROOT, path.join(SRC_DIR, f.file))),
    ].map((p) => p.split(path.sep).join("/"));
    const manifest: BuiltManifest = {
      sourceHash: hashInputs(inputs) as string,
      inputs,
      files: {
        ...COPIED,
        "/assets/board.js": { file: "board.js", type: "text/javascript; charset=utf-8" },
        "/assets/board.css": { file: "board-style.css", type: "text/css; charset=utf-8" },
      },
    };
    fs.writeFileSync(path.join(tmp, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    fs.rmSync(dir, { recursive: true, force: true });
    try {
      fs.renameSync(tmp, dir);
    } catch (e) {
      // Another process built the same sources at the same moment: theirs is as good as ours.
      if (staleReason(dir) !== undefined) throw e;
    }
    return manifest;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** The build directory, built first when missing or older than its sources. */
export async function ensureBoard(
  log: (line: string) => void = () => undefined,
  dir: string = DIST_DIR,
): Promise<string> {
  const why = staleReason(dir);
  if (why === undefined) return dir;
  const started = Date.now();
  await buildBoard(dir);
  log(`board built (${why}) in ${Date.now() - started} ms: ${dir}`);
  return dir;
}

if (require.main === module) {
  ensureBoard((l) => process.stdout.write(`${l}\n`)).then(
    (dir) => {
      const files = fs.readdirSync(dir).map((f) => `${f} ${fs.statSync(path.join(dir, f)).size} B`);
      process.stdout.write(`board: ${dir} (${files.join(", ")})\n`);
    },
    (e: unknown) => {
      process.stderr.write(`board build failed: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    },
  );
}
