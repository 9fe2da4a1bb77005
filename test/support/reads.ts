// Counts how often files are read while a piece of code runs: whole-file reads and opens (the bounded reader opens, then reads).
import * as path from "node:path";

// The module object itself: an `import * as` namespace only has getters onto it.
const fs = require("node:fs") as typeof import("node:fs");

/** Runs `fn` and returns how many times each of `files` was read meanwhile. */
export async function countReads(
  files: readonly string[],
  fn: () => Promise<unknown>,
): Promise<Record<string, number>> {
  const counts: Record<string, number> = Object.fromEntries(files.map((f) => [f, 0]));
  const wanted = new Map(files.map((f) => [path.resolve(f), f]));
  const seen = (p: unknown) => {
    const key = typeof p === "string" ? wanted.get(path.resolve(p)) : undefined;
    if (key !== undefined) counts[key] += 1;
  };
  const { readFileSync, openSync } = fs;
  fs.readFileSync = function (this: unknown, ...args: Parameters<typeof readFileSync>) {
    seen(args[0]);
    return readFileSync.apply(this, args);
  } as typeof readFileSync;
  fs.openSync = function (this: unknown, ...args: Parameters<typeof openSync>) {
    seen(args[0]);
    return openSync.apply(this, args);
  };
  try {
    await fn();
  } finally {
    fs.readFileSync = readFileSync;
    fs.openSync = openSync;
  }
  return counts;
}
