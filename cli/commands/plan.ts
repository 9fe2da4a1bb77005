// `meshlift plan`: the offline plan of a stack at a phase, as a tree, a JSON document and manifest files.
import { Command, Option } from "commander";
import { loadStack } from "../../config/load";
import { PROJECT_DIR, runOfflinePlan } from "../../plan/offline";
import { diffPlans, renderDiff } from "../../plan/diff";
import { renderTree, writeManifests } from "../../plan/render";
import { PHASES, Phase } from "../../phases/phases";
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

export function registerPlan(program: Command): void {
  program
    .command("plan")
    .description(
      "Show what a stack would create at a phase, offline (no AWS credentials, no Pulumi CLI)",
    )
    .requiredOption("-s, --stack <stack>", "stack name (stacks/Pulumi.<stack>.yaml)")
    .addOption(
      new Option("-p, --phase <phase>", "plan this phase instead of the configured one").choices(
        PHASES,
      ),
    )
    .option("--set <key=value...>", "override a config key (meshlift: is implied)", [])
    .option("--json <file>", "write the plan document as JSON")
    .option("--out <dir>", "write every Kubernetes object and Helm release as YAML")
    .addOption(
      new Option(
        "--diff-phase <phase>",
        "instead of the tree, show what moving to this phase would create, update, replace and delete",
      ).choices(PHASES),
    )
    .option("--policy", "also check the plan against the mesh policy pack (exit 3 on a violation)")
    .action(
      async (o: {
        stack: string;
        phase?: Phase;
        set: string[];
        json?: string;
        out?: string;
        diffPhase?: Phase;
        policy?: boolean;
      }) => {
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
      },
    );
}
