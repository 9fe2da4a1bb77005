// Counts how often files are read while a piece of code runs (fs.readFileSync, which every config reader uses).
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
  const original = fs.readFileSync;
  const spy = function (this: unknown, ...args: Parameters<typeof fs.readFileSync>) {
    const [p] = args;
    const key = typeof p === "string" ? wanted.get(path.resolve(p)) : undefined;
    if (key !== undefined) counts[key] += 1;
    return original.apply(this, args);
  } as typeof fs.readFileSync;
  fs.readFileSync = spy;
  try {
    await fn();
  } finally {
    fs.readFileSync = original;
  }
  return counts;
}
