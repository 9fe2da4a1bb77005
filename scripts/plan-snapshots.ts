// Writes the offline plan of every example stack at every phase to a directory, and compares two such directories resource by resource.
//
//   npx tsx scripts/plan-snapshots.ts write <dir>          one JSON file per stack, variant and phase
//   npx tsx scripts/plan-snapshots.ts compare <a> <b>      differences, by URN and input path; exit 1 if any
//   npx tsx scripts/plan-snapshots.ts check <dir>          write to a temporary directory, compare with <dir>
//
// A refactoring that must not change behaviour keeps the plans identical: capture before, check after.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { listStacks } from "../config/stack-file";
import { PHASES } from "../phases/phases";
import { PlanDocument, PlanResource, PROJECT_DIR, runOfflinePlan } from "../plan/offline";

/** Config variants planned besides each stack file as it is. */
export const VARIANTS: readonly { stack: string; name: string; set: Record<string, string> }[] = [
  { stack: "dev", name: "ambient", set: { "istio.mode": "ambient" } },
  // The adopted App Mesh controller: decommission uninstalls it.
  {
    stack: "dev",
    name: "controller",
    set: { appmesh: JSON.stringify({ controller: { version: "1.13.1" } }) },
  },
];

/** What one snapshot file holds: the plan, or the one-line error that stopped it. */
export type Snapshot = { readonly plan: PlanDocument } | { readonly error: string };

export async function writeSnapshots(dir: string, projectDir = PROJECT_DIR): Promise<string[]> {
  fs.mkdirSync(dir, { recursive: true });
  const runs = [
    ...listStacks(projectDir).map((stack) => ({ stack, name: "", set: {} })),
    ...VARIANTS,
  ];
  const written: string[] = [];
  for (const run of runs) {
    for (const phase of PHASES) {
      let snap: Snapshot;
      try {
        const { document } = await runOfflinePlan({ stack: run.stack, phase, set: run.set });
        snap = { plan: document };
      } catch (e) {
        snap = { error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
      }
      const file = path.join(dir, `${run.stack}${run.name ? `+${run.name}` : ""}.${phase}.json`);
      fs.writeFileSync(file, `${JSON.stringify(snap, null, 2)}\n`);
      written.push(file);
    }
  }
  return written;
}

/** Paths (`a.b[2].c`) at which two JSON values differ, with both sides shortened. */
export function valueDiffs(a: unknown, b: unknown, at = ""): string[] {
  if (isDeepStrictEqual(a, b)) return [];
  const isObj = (v: unknown): v is Record<string, unknown> =>
    typeof v === "object" && v !== null && !Array.isArray(v);
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    return a.flatMap((x, i) => valueDiffs(x, b[i], `${at}[${i}]`));
  }
  if (isObj(a) && isObj(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => valueDiffs(a[k], b[k], at ? `${at}.${k}` : k));
  }
  return [`${at || "(value)"}: ${short(a)} -> ${short(b)}`];
}

function short(v: unknown): string {
  if (v === undefined) return "(absent)";
  const s = JSON.stringify(v);
  return s.length > 160 ? `${s.slice(0, 157)}...` : s;
}

/** Every field of a resource but its URN (the key), so that a field added to the contract is compared too. */
function fields(x: PlanResource, y: PlanResource): string[] {
  return [...new Set([...Object.keys(x), ...Object.keys(y)])].filter((k) => k !== "urn").sort();
}

/** Differences between two snapshots of the same stack and phase, one line each. */
export function compareSnapshots(a: Snapshot, b: Snapshot): string[] {
  if ("error" in a || "error" in b) {
    const ea = "error" in a ? a.error : "(planned)";
    const eb = "error" in b ? b.error : "(planned)";
    return ea === eb ? [] : [`result: ${short(ea)} -> ${short(eb)}`];
  }
  const out: string[] = [];
  for (const k of ["project", "stack", "phase"] as const) {
    if (a.plan[k] !== b.plan[k]) out.push(`${k}: ${short(a.plan[k])} -> ${short(b.plan[k])}`);
  }
  const before = new Map(a.plan.resources.map((r) => [r.urn, r]));
  const after = new Map(b.plan.resources.map((r) => [r.urn, r]));
  for (const urn of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const x = before.get(urn);
    const y = after.get(urn);
    if (!y) out.push(`- ${urn}`);
    else if (!x) out.push(`+ ${urn}`);
    else {
      const xs = x as unknown as Record<string, unknown>;
      const ys = y as unknown as Record<string, unknown>;
      for (const f of fields(x, y)) {
        for (const d of valueDiffs(xs[f], ys[f])) out.push(`~ ${urn} ${f}.${d}`);
      }
    }
  }
  for (const d of valueDiffs(a.plan.outputs, b.plan.outputs)) out.push(`~ outputs.${d}`);
  return out;
}

/** Compares every snapshot file of two directories; returns the report lines (empty when identical). */
export function compareDirs(dirA: string, dirB: string): string[] {
  const files = (d: string) => fs.readdirSync(d).filter((f) => f.endsWith(".json"));
  const a = new Set(files(dirA));
  const b = new Set(files(dirB));
  const out: string[] = [];
  for (const f of [...new Set([...a, ...b])].sort()) {
    if (!b.has(f)) {
      out.push(`${f}: only in ${dirA}`);
      continue;
    }
    if (!a.has(f)) {
      out.push(`${f}: only in ${dirB}`);
      continue;
    }
    const read = (d: string) => JSON.parse(fs.readFileSync(path.join(d, f), "utf8")) as Snapshot;
    const diffs = compareSnapshots(read(dirA), read(dirB));
    if (diffs.length)
      out.push(`${f}: ${diffs.length} difference(s)`, ...diffs.map((d) => `  ${d}`));
  }
  return out;
}

async function main(argv: string[]): Promise<number> {
  const [cmd, x, y] = argv;
  if (cmd === "write" && x) {
    const files = await writeSnapshots(x);
    process.stdout.write(`${files.length} plan snapshot(s) written to ${x}\n`);
    return 0;
  }
  if ((cmd === "compare" && x && y) || (cmd === "check" && x)) {
    let other = y;
    if (cmd === "check") {
      other = fs.mkdtempSync(path.join(os.tmpdir(), "meshlift-plans-"));
      await writeSnapshots(other);
    }
    const report = compareDirs(x, other);
    const n = fs.readdirSync(x).filter((f) => f.endsWith(".json")).length;
    process.stdout.write(
      report.length
        ? `${report.join("\n")}\n`
        : `identical: ${n} plan snapshot(s) in ${x} and ${other}\n`,
    );
    return report.length ? 1 : 0;
  }
  process.stderr.write("usage: plan-snapshots write <dir> | compare <dirA> <dirB> | check <dir>\n");
  return 2;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      process.stderr.write(`plan-snapshots failed: ${String(e instanceof Error ? e.stack : e)}\n`);
      process.exit(1);
    },
  );
}
