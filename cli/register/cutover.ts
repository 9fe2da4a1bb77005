// Registers `meshlift cutover run|status` (flags and help only); the work is in cli/commands/cutover.ts, loaded when it runs.
import { Command } from "commander";

/** The command's work, loaded only when it runs (see cli/main.ts). */
const work = () => require("../commands/cutover") as typeof import("../commands/cutover");

export function registerCutover(program: Command): void {
  const cutover = program
    .command("cutover")
    .description(
      "Shift the Route 53 weight to Istio step by step, judged by live metrics (phase cutover)",
    );
  cutover
    .command("run")
    .description(
      "for each step of cutover.progressive.steps: set the weight, wait the interval, query, decide (exit 0 done, 2 bad config, 3 rolled back, 4 stopped for lack of data, 5 a weight change failed, 130 Ctrl-C)",
    )
    .requiredOption("-s, --stack <stack>", "stack name")
    .option(
      "--dry-run",
      "run the offline plan at each step instead of `up`: nothing is applied",
      false,
    )
    .option("--json", "print each decision as one JSON object per line", false)
    .option("--set <key=value...>", "override a config key for this run (meshlift: is implied)", [])
    .action((o: { stack: string; dryRun: boolean; json: boolean; set: string[] }) =>
      work().runCutoverCommand(o),
    );
  cutover
    .command("status")
    .description(
      "the Istio weight in the stack config, the last run and its last decisions (from the journal)",
    )
    .requiredOption("-s, --stack <stack>", "stack name")
    .option("--json", "print the status as JSON", false)
    .action((o: { stack: string; json: boolean }) => work().runCutoverStatus(o));
}
