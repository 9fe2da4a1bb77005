// Registers `meshlift verify` (flags and help only); the work is in cli/commands/verify.ts, loaded when it runs.
import { Command, InvalidArgumentError } from "commander";
import type { VerifyFlags } from "../commands/verify";

/** The command's work, loaded only when it runs (see cli/main.ts). */
const work = () => require("../commands/verify") as typeof import("../commands/verify");

function seconds(value: string): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || n <= 0 || n > 3600) {
    throw new InvalidArgumentError("expected seconds between 0 and 3600, e.g. 30");
  }
  return n;
}

export function registerVerify(program: Command): void {
  program
    .command("verify")
    .description(
      "After the restarts: read the live pods of the namespaces the phase moves to Istio and report pods still on the App Mesh Envoy, with both proxies, without the Istio proxy, or with a proxy not ready (exit 3)",
    )
    .requiredOption("-s, --stack <stack>", "stack name (stacks/Pulumi.<stack>.yaml)")
    .option(
      "--phase <phase>",
      "phase whose namespaces to check (default: the stack's meshlift:phase)",
    )
    .option("--kubeconfig <file>", "kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)")
    .option("--context <name>", "kubeconfig context (default: its current-context)")
    .option("--request-timeout <seconds>", "give up on an API request after this long", seconds, 30)
    .option("--json", "print the report as JSON")
    .action((o: VerifyFlags) => work().runVerify(o));
}
