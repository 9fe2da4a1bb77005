// Child-process probe for test/cli/lazy-load.test.ts: runs meshlift commands (or loads modules) and records every module each one loads.
import * as fs from "node:fs";
import Module from "node:module";
import * as path from "node:path";

/** One step: a command line given to main(), or a module path (from the project root) to load. */
export type ProbeStep = { readonly argv: readonly string[] } | { readonly module: string };
export interface ProbeResult {
  readonly step: ProbeStep;
  readonly code?: number;
  /** Files loaded for the first time during this step. */
  readonly loaded: readonly string[];
}

const ROOT = path.join(__dirname, "../..");
const seen = new Set<string>();
// The module-load hook: every CommonJS module goes through Module.prototype.load once, with its file.
const proto = Module.prototype as unknown as { load: (this: unknown, file: string) => void };
const load = proto.load;
proto.load = function (this: unknown, file: string) {
  seen.add(file);
  load.call(this, file);
};

/** What loaded since the last call: the hook's files and anything else that reached require.cache. */
function fresh(before: ReadonlySet<string>): string[] {
  for (const k of Object.keys(require.cache)) seen.add(k);
  return [...seen].filter((f) => !before.has(f));
}

async function probe(steps: readonly ProbeStep[]): Promise<ProbeResult[]> {
  const out: ProbeResult[] = [];
  const write = process.stdout.write.bind(process.stdout);
  for (const step of steps) {
    const before = new Set(fresh(new Set()));
    if ("module" in step) {
      require(path.join(ROOT, step.module));
      out.push({ step, loaded: fresh(before) });
      continue;
    }
    // Loaded on the first step, inside the hook: main itself is part of what is measured.
    const { main } = require("../../cli/main") as typeof import("../../cli/main");
    process.stdout.write = () => true;
    let code: number;
    try {
      code = await main([...step.argv]);
    } finally {
      process.stdout.write = write;
      process.exitCode = undefined;
    }
    out.push({ step, code, loaded: fresh(before) });
  }
  return out;
}

const [stepsJson, resultFile] = process.argv.slice(2);
probe(JSON.parse(stepsJson ?? "[]") as ProbeStep[]).then(
  (r) => {
    fs.writeFileSync(resultFile ?? "", JSON.stringify(r));
    process.exit(0);
  },
  (e) => {
    process.stderr.write(`probe failed: ${String(e instanceof Error ? e.stack : e)}\n`);
    process.exit(1);
  },
);
