// Registers `meshlift discover` (flags and help only); the work is in cli/commands/discover.ts, loaded when it runs.
import { Command, InvalidArgumentError } from "commander";
import type { DiscoverFlags } from "../commands/discover";
import { collect } from "./options";

/** The command's work, loaded only when it runs (see cli/main.ts). */
const work = () => require("../commands/discover") as typeof import("../commands/discover");

function seconds(value: string): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || n <= 0 || n > 3600) {
    throw new InvalidArgumentError("expected seconds between 0 and 3600, e.g. 30");
  }
  return n;
}

export function registerDiscover(program: Command): void {
  program
    .command("discover")
    .description(
      "Inventory App Mesh in the live cluster: per-namespace exports for convert and appmeshExport, inventory.json, summary.md, and the workloads at risk",
    )
    .option(
      "--out <dir>",
      "directory to write (created, or replaced if it holds an earlier discover output)",
    )
    .option("--kubeconfig <file>", "kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)")
    .option("--context <name>", "kubeconfig context (default: its current-context)")
    .option(
      "-n, --namespace <ns>",
      "only this namespace (repeatable; default: every namespace)",
      collect,
      [],
    )
    .option("--request-timeout <seconds>", "give up on an API request after this long", seconds, 30)
    .option(
      "--print-cluster-role",
      "print the read-only ClusterRole discover needs (YAML) and exit",
    )
    .action((o: DiscoverFlags) => work().runDiscover(o));
}
