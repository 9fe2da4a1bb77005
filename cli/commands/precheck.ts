// `meshlift precheck`: what cannot be carried over from App Mesh to Istio, as a table or JSON; exit 3 on blockers.
import { Command } from "commander";
import { renderFindingsTable, summarize } from "../../appmesh";
import { EXIT } from "../errors";
import { convertOrExit, readSources } from "./convert";

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function registerPrecheck(program: Command): void {
  program
    .command("precheck")
    .description(
      "Report what App Mesh configuration cannot be carried over to Istio exactly (exit 3 on blockers)",
    )
    .option(
      "-f, --filename <path>",
      "input file, directory or - for stdin (repeatable)",
      collect,
      [],
    )
    .option("--json", "print the findings as JSON instead of a table")
    .option("-n, --namespace <ns>", "namespace for objects whose input names none", "default")
    .action((o: { filename: string[]; json?: boolean; namespace: string }) => {
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
    });
}
