// `npm run bench`: runs every bench/*.bench.ts in name order and prints its report.
import * as fs from "node:fs";
import * as path from "node:path";

/** A bench module's default export: runs, returns the lines of its report. */
export type Bench = () => Promise<string[]>;

async function main(): Promise<void> {
  const only = process.argv[2];
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith(".bench.ts") && (!only || f.includes(only)))
    .sort();
  for (const f of files) {
    const mod = (await import(path.join(__dirname, f))) as { default: Bench };
    const started = Date.now();
    process.stdout.write(`\n## ${f.replace(/\.bench\.ts$/, "")}\n`);
    const lines = await mod.default();
    process.stdout.write(
      `${lines.join("\n")}\n(${((Date.now() - started) / 1000).toFixed(1)} s)\n`,
    );
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`bench failed: ${String(e instanceof Error ? e.stack : e)}\n`);
    process.exit(1);
  },
);
