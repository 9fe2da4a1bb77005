// `meshlift plan` at work: the offline plan of a stack at a phase, as a tree, a JSON document and manifest files.
import { loadStack } from "../../config/load";
import { PROJECT_DIR, runOfflinePlan } from "../../plan/offline";
import { diffPlans, renderDiff } from "../../plan/diff";
import { renderTree, writeManifests } from "../../plan/render";
import type { Phase } from "../../phases/phases";
import { writeTextFile } from "../../config/files";
import { forbiddenSegment, refusedSegmentMessage } from "../../config/keys";
import { looksSecret, REDACTED } from "../../config/redact";
import { CliError } from "../errors";
import { forFlag } from "../files";
import { policyReport } from "./policy";

export function parseSet(pairs: readonly string[]): Record<string, string> {
  const out = Object.create(null) as Record<string, string>;
  for (const p of pairs) {
    const i = p.indexOf("=");
    if (i <= 0)
      throw new CliError(
        `--set "${shown(p)}": expected key=value (e.g. --set cutover.istioWeight=10)`,
      );
    const key = p.slice(0, i);
    const refused = forbiddenSegment(key.split(/[:.]/));
    if (refused !== undefined)
      throw new CliError(`--set "${shown(key)}": ${refusedSegmentMessage(refused)}`);
    out[key] = p.slice(i + 1);
  }
  return out;
}

/** A flag value as an error quotes it: cut short, and never a secret. */
function shown(s: string): string {
  if (looksSecret(s)) return REDACTED;
  return s.length > 80 ? `${s.slice(0, 80)}...` : s;
}

export interface PlanFlags {
  readonly stack: string;
  readonly phase?: Phase;
  readonly set: string[];
  readonly json?: string;
  readonly out?: string;
  readonly diffPhase?: Phase;
  readonly policy?: boolean;
}

export async function runPlan(o: PlanFlags): Promise<void> {
  // Read and parsed once, whatever the command plans from it.
  const loaded = loadStack(o.stack, { projectDir: PROJECT_DIR, set: parseSet(o.set) });
  const { document } = await runOfflinePlan({ stack: o.stack, loaded, phase: o.phase });
  if (o.diffPhase) {
    const target = await runOfflinePlan({ stack: o.stack, loaded, phase: o.diffPhase });
    process.stdout.write(`${renderDiff(diffPlans(document, target.document))}\n`);
    if (o.policy) process.stdout.write(`${policyReport(target.document)}\n`);
    return;
  }
  process.stdout.write(`${renderTree(document)}\n`);
  if (o.json) {
    const file = o.json;
    forFlag("--json", () => writeTextFile(file, `${JSON.stringify(document, null, 2)}\n`));
    process.stdout.write(`\nPlan document written to ${o.json}\n`);
  }
  if (o.out) {
    const dir = o.out;
    const files = forFlag("--out", () => writeManifests(document, dir));
    process.stdout.write(`${files.length} manifest file(s) written to ${o.out}\n`);
  }
  // Last, so that the tree and the files are there to look at when a policy fails.
  if (o.policy) process.stdout.write(`${policyReport(document)}\n`);
}
