// Bench: wall time of `npm start` from cold, and of one in-process offline plan per phase of each stack.
import { spawnSync } from "node:child_process";
import { PROJECT_DIR, runOfflinePlan } from "../plan/offline";
import { listStacks } from "../config/stack-file";
import { PHASES } from "../phases/phases";

export default async function bench(): Promise<string[]> {
  const lines: string[] = [];
  const t0 = process.hrtime.bigint();
  const r = spawnSync("npm", ["start", "--silent"], { cwd: PROJECT_DIR, encoding: "utf8" });
  const coldMs = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`npm start failed: ${r.stderr}`);
  lines.push(`npm start (cold process, dev stack): ${coldMs.toFixed(0)} ms`);

  // The first in-process plan loads the Pulumi SDK and providers; report it apart from warm runs.
  const w0 = process.hrtime.bigint();
  await runOfflinePlan({ stack: "dev" });
  lines.push(
    `first in-process plan (module load included): ${(Number(process.hrtime.bigint() - w0) / 1e6).toFixed(0)} ms`,
  );

  lines.push("", "| stack | phase | resources | plan ms |", "|---|---|---|---|");
  for (const stack of listStacks(PROJECT_DIR)) {
    for (const phase of PHASES) {
      const s = process.hrtime.bigint();
      const { document } = await runOfflinePlan({ stack, phase });
      const ms = Number(process.hrtime.bigint() - s) / 1e6;
      lines.push(`| ${stack} | ${phase} | ${document.resources.length} | ${ms.toFixed(0)} |`);
    }
  }
  return lines;
}
