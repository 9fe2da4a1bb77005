// Registers `meshlift serve` (flags and help only); the work is in cli/commands/serve.ts, loaded when it runs.
import { Command } from "commander";
import type { ServeFlags } from "../../automation/service/settings";
import { SERVE_ENV } from "../../automation/service/serve-env";

/** The command's work, loaded only when it runs (see cli/main.ts). */
const work = () => require("../commands/serve") as typeof import("../commands/serve");

export function registerServe(program: Command): void {
  program
    .command("serve")
    .description("Serve the automation API (operations, events, stacks) over HTTP")
    .option("--host <host>", `listen address [${SERVE_ENV.host}] (default 127.0.0.1)`)
    .option("--port <port>", `listen port, 0 for any [${SERVE_ENV.port}] (default 8080)`)
    .option("--data-dir <dir>", `data directory [${SERVE_ENV.dataDir}] (default ~/.meshlift)`)
    .option("--db <file>", `SQLite file [${SERVE_ENV.db}] (default <data-dir>/meshlift.db)`)
    .option(
      "--tokens-file <file>",
      `"<scope>:<token>" lines [${SERVE_ENV.tokensFile}, or inline MESHLIFT_TOKENS] (default <data-dir>/tokens)`,
    )
    .option(
      "--backend-url <url>",
      "Pulumi state backend to force (default: the one `pulumi login` chose, or PULUMI_BACKEND_URL)",
    )
    .option("--max-concurrent <n>", `operations at once [${SERVE_ENV.maxConcurrent}] (default 4)`)
    .option(
      "--max-body-bytes <n>",
      `request body limit [${SERVE_ENV.maxBodyBytes}] (default 65536)`,
    )
    .option(
      "--db-max-bytes <n>",
      `cap the database size; past it submits answer 507 [${SERVE_ENV.dbMaxBytes}] (default none)`,
    )
    .option("--project-dir <dir>", `directory with Pulumi.yaml [${SERVE_ENV.projectDir}]`)
    .option(
      "--runner <runner>",
      `what runs preview/up/refresh/destroy: local (Automation API here) or operator (the fleet's Stacks) [${SERVE_ENV.runner}] (default local)`,
    )
    .option(
      "--operator-namespace <ns>",
      `namespace of the fleet's Stack objects, with --runner operator [${SERVE_ENV.operatorNamespace}] (default meshlift-fleet)`,
    )
    .option(
      "--kubeconfig <file>",
      "management cluster kubeconfig, with --runner operator [KUBECONFIG]",
    )
    .option(
      "--policy-packs <dirs>",
      `policy packs every preview and up runs, comma-separated, or "none" [${SERVE_ENV.policyPacks}] (default <project-dir>/policy)`,
    )
    .option(
      "--plan-workers <n>",
      `worker threads for offline plans, 0 = in-process [${SERVE_ENV.planWorkers}] (default CPUs - 1, 1 to 4)`,
    )
    .action((flags: ServeFlags) => work().runServe(flags));
}
