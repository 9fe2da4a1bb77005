// `meshlift precheck` at work: what cannot be carried over from App Mesh to Istio, as a table or JSON; exit 3 on blockers.
import { renderFindingsTable, summarize } from "../../appmesh";
import { EXIT } from "../errors";
import { convertOrExit, readSources } from "./convert";

export interface PrecheckFlags {
  readonly filename: string[];
  readonly json?: boolean;
  readonly namespace: string;
}

export function runPrecheck(o: PrecheckFlags): void {
  const result = convertOrExit(readSources(o.filename), o.namespace);
  const counts = summarize(result.findings);
  if (o.json) {
    process.stdout.write(
      `${JSON.stringify({ summary: counts, findings: result.findings }, null, 2)}\n`,
    );
  } else {
    const width =
      process.stdout.columns && process.stdout.columns > 80 ? process.stdout.columns : 140;
    process.stdout.write(renderFindingsTable(result.findings, width));
  }
  if (counts.blocker > 0) process.exitCode = EXIT.blocked;
}
