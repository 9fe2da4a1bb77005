// Writes a discovery's files all at once: into a temporary directory beside the target, renamed into place at the end.
import * as fs from "node:fs";
import * as path from "node:path";
import { DiscoverError } from "./connect";

/** The file that marks a directory as a discover output (an older one may be replaced). */
export const MARKER = "inventory.json";

function fail(what: string, e: unknown): never {
  const code = (e as NodeJS.ErrnoException).code ?? String(e);
  throw new DiscoverError(`--out: cannot ${what} (${code}); nothing was written`);
}

/** Checks --out before any request is made: it must be a directory discover may fill or replace. */
export function checkOutDir(target: string): void {
  if (target === "") throw new DiscoverError("--out: an empty path is not a directory");
  let st: fs.Stats;
  try {
    st = fs.lstatSync(target);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return;
    fail(`read ${JSON.stringify(target)}`, e);
  }
  if (!st.isDirectory())
    throw new DiscoverError(`--out ${JSON.stringify(target)} exists and is not a directory`);
  const entries = fs.readdirSync(target);
  if (entries.length && !entries.includes(MARKER)) {
    throw new DiscoverError(
      `--out ${JSON.stringify(target)} is a directory with other files (no ${MARKER} of an earlier discover); choose a new or empty directory`,
    );
  }
}

/** Writes `files` (paths relative to the target) so that the target holds all of them or is left as it was. */
export function writeOutDir(target: string, files: ReadonlyMap<string, string>): void {
  checkOutDir(target);
  const abs = path.resolve(target);
  const parent = path.dirname(abs);
  try {
    fs.mkdirSync(parent, { recursive: true });
  } catch (e) {
    fail(`create ${JSON.stringify(parent)}`, e);
  }
  let tmp: string;
  try {
    tmp = fs.mkdtempSync(path.join(parent, `.${path.basename(abs)}.tmp-`));
  } catch (e) {
    fail(`write in ${JSON.stringify(parent)}`, e);
  }
  try {
    for (const [rel, content] of files) {
      const file = path.resolve(tmp, rel);
      if (!file.startsWith(tmp + path.sep))
        throw new DiscoverError(`refusing to write ${JSON.stringify(rel)} outside --out`);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content);
    }
    if (fs.existsSync(abs)) {
      const old = `${tmp}.old`;
      fs.renameSync(abs, old);
      try {
        fs.renameSync(tmp, abs);
      } catch (e) {
        fs.renameSync(old, abs);
        throw e;
      }
      fs.rmSync(old, { recursive: true, force: true });
    } else {
      fs.renameSync(tmp, abs);
    }
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    if (e instanceof DiscoverError) throw e;
    fail(`write ${JSON.stringify(target)}`, e);
  }
}
