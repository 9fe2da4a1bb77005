// `meshlift precheck` at work: what cannot be carried over from App Mesh, per target, as a table or JSON; exit 3 on blockers.
import { emit, renderFindingsTable, summarize, Target, TARGETS } from "../../appmesh";
import { EXIT } from "../errors";
import { chooseTarget, modelOrExit, readSources } from "./convert";

export interface PrecheckFlags {
  readonly filename: string[];
  readonly json?: boolean;
  readonly namespace: string;
  readonly target?: Target | "all";
  readonly stack?: string;
}

export function runPrecheck(o: PrecheckFlags): void {
  const targets: Target[] =
    o.target === "all" ? [...TARGETS] : [chooseTarget({ target: o.target, stack: o.stack })];
  const model = modelOrExit(readSources(o.filename), o.namespace);
  const results = targets.map((target) => {
    const r = emit(model, target);
    return { target, summary: summarize(r.findings), findings: r.findings };
  });
  if (o.json) {
    const doc = results.length === 1 ? results[0] : { targets: results };
    process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
  } else {
    const width =
      process.stdout.columns && process.stdout.columns > 80 ? process.stdout.columns : 140;
    for (const r of results) {
      if (results.length > 1) process.stdout.write(`\n== target ${r.target}\n`);
      process.stdout.write(renderFindingsTable(r.findings, width));
    }
    if (results.length > 1) {
      process.stdout.write("\nTARGET        BLOCKERS  WARNINGS  INFO\n");
      for (const r of results)
        process.stdout.write(
          `${r.target.padEnd(12)}  ${String(r.summary.blocker).padStart(8)}  ${String(r.summary.warning).padStart(8)}  ${String(r.summary.info).padStart(4)}\n`,
        );
    }
  }
  if (results.some((r) => r.summary.blocker > 0)) process.exitCode = EXIT.blocked;
}
