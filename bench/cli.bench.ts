// Bench: cold start of the meshlift CLI, each command a new process (median of 5), as a ratio to `node -e 0` in the same run.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.join(__dirname, "..");
const RUNS = 5;
/** A small App Mesh export (about 300 lines), as a user would convert first. */
const SMALL = "test/fixtures/appmesh/shop.yaml";

/** Each command as the user types it after `meshlift`, with the exit codes it may end with. */
const COMMANDS: readonly { readonly args: readonly string[]; readonly ok: readonly number[] }[] = [
  { args: ["--help"], ok: [0] },
  { args: ["convert", "-f", SMALL], ok: [0] },
  // precheck exits 3 when the file has blockers: that is its answer, not a failure.
  { args: ["precheck", "-f", SMALL], ok: [0, 3] },
  { args: ["plan", "--stack", "dev"], ok: [0] },
  { args: ["runbook", "--stack", "dev"], ok: [0] },
];

interface Row {
  readonly label: string;
  readonly argv: readonly string[];
  readonly ok: readonly number[];
  readonly ms: number[];
}

function timeOnce(row: Row): number {
  const started = process.hrtime.bigint();
  const r = spawnSync(row.argv[0], row.argv.slice(1), {
    cwd: ROOT,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status === null || !row.ok.includes(r.status)) {
    throw new Error(
      `${row.label} exited ${String(r.status ?? r.signal)}: ${r.stderr.slice(0, 500)}`,
    );
  }
  return ms;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** The compiled entry package.json's `bin` names, if there is one (absent before issue 19). */
function binEntry(): string | undefined {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
    bin?: Record<string, string>;
  };
  const bin = pkg.bin?.meshlift;
  return bin === undefined ? undefined : path.join(ROOT, bin);
}

export default function bench(): Promise<string[]> {
  const lines: string[] = [];
  const bin = binEntry();
  if (bin !== undefined) {
    // Measure the code as it is now, not a stale build.
    const b = spawnSync("npm", ["run", "--silent", "build"], { cwd: ROOT, encoding: "utf8" });
    if (b.status !== 0) throw new Error(`npm run build failed: ${b.stderr}`);
  }
  const rows: Row[] = [
    { label: "node -e 0", argv: [process.execPath, "-e", "0"], ok: [0], ms: [] },
  ];
  for (const c of COMMANDS) {
    rows.push({
      label: `npm run meshlift -- ${c.args.join(" ")}`,
      argv: ["npm", "run", "--silent", "meshlift", "--", ...c.args],
      ok: c.ok,
      ms: [],
    });
    if (bin !== undefined) {
      rows.push({
        label: `meshlift ${c.args.join(" ")}`,
        argv: [process.execPath, bin, ...c.args],
        ok: c.ok,
        ms: [],
      });
    }
  }
  if (bin === undefined)
    lines.push("no `bin` in package.json: only `npm run meshlift` is measured");
  // Round robin, so that a burst of load on the shared machine spreads over every row alike.
  for (let i = 0; i < RUNS; i++) for (const row of rows) row.ms.push(timeOnce(row));
  const base = median(rows[0].ms);
  const width = Math.max(...rows.map((r) => r.label.length));
  lines.push(`${"command".padEnd(width)}  median ms  x node -e 0`);
  for (const r of rows) {
    const m = median(r.ms);
    lines.push(
      `${r.label.padEnd(width)}  ${m.toFixed(0).padStart(9)}  ${(m / base).toFixed(1).padStart(11)}`,
    );
  }
  lines.push(
    `goals: meshlift --help <= 5x, convert/precheck of a small file <= 8x, plan --stack dev < 2000 ms`,
  );
  return Promise.resolve(lines);
}
