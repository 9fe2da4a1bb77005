// Prints the layout figures of issue 10: per folder, source files with behaviour and how many have a test at the mirrored path; files over 500 lines; exported function names defined twice.
import * as path from "node:path";
import {
  exportedFunctions,
  hasBehaviour,
  lineCount,
  mirroredTests,
  sourceFiles,
  TESTED_ELSEWHERE,
} from "../test/support/layout";

const files = sourceFiles();
const rows = new Map<string, { total: number; mirrored: number; missing: string[] }>();
for (const f of files.filter((f) => hasBehaviour(f) && !(f in TESTED_ELSEWHERE))) {
  const folder = f.includes("/") ? f.split("/")[0] : ".";
  const row = rows.get(folder) ?? { total: 0, mirrored: 0, missing: [] };
  row.total++;
  if (mirroredTests(f).length > 0) row.mirrored++;
  else row.missing.push(path.basename(f));
  rows.set(folder, row);
}
let total = 0;
let mirrored = 0;
for (const [folder, r] of [...rows].sort()) {
  total += r.total;
  mirrored += r.mirrored;
  console.log(
    `${folder.padEnd(12)} ${String(r.mirrored).padStart(3)}/${String(r.total).padEnd(3)} missing: ${r.missing.join(" ")}`,
  );
}
console.log(`mirrored: ${mirrored}/${total} = ${((100 * mirrored) / total).toFixed(1)}%`);
console.log(
  `over 500 lines: ${files.filter((f) => !f.startsWith("appmesh/") && lineCount(f) > 500).join(" ") || "none"}`,
);
const where = new Map<string, string[]>();
for (const f of files)
  for (const n of exportedFunctions(f)) where.set(n, [...(where.get(n) ?? []), f]);
const dups = [...where].filter(([, fs]) => fs.length > 1);
console.log(
  `exported twice: ${dups.map(([n, fs]) => `${n} (${fs.join(", ")})`).join("; ") || "none"}`,
);
