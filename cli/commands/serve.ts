// `meshlift serve`: the automation API over HTTP, with embedded defaults (127.0.0.1:8080, SQLite under ~/.meshlift).
import { Command } from "commander";
import { AutomationRunner } from "../../automation/runners/local";
import { OperatorRunner } from "../../automation/runners/operator";
import { PlanRunner } from "../../automation/runners/plan";
import { createService, Service } from "../../automation/service/server";
import { StoreOpenError } from "../../automation/service/store";
import { fsReason } from "../../config/files";
import {
  ensureDataDir,
  loadTokens,
  resolveServeSettings,
  SERVE_ENV,
  ServeFlags,
} from "../../automation/service/settings";
import * as path from "node:path";
import { pulumiCli } from "../../automation/prerequisites";
import { ensureBoard } from "../../web/build";
import { CliError } from "../errors";

/** Starts the service as the CLI does; resolves once it listens. */
export async function startServe(
  flags: ServeFlags,
  log: (line: string) => void,
): Promise<{ service: Service; url: string }> {
  let settings;
  let tokens;
  try {
    settings = resolveServeSettings(flags);
    ensureDataDir(settings);
    const loaded = loadTokens(settings);
    tokens = loaded.tokens;
    if (loaded.created) log(`no token configured: wrote an admin token to ${loaded.created}`);
  } catch (e) {
    throw new CliError((e as Error).message);
  }
  let boardDir: string | undefined;
  try {
    boardDir = await ensureBoard(log);
  } catch (e) {
    // The API serves without the board; say why and how to get it.
    log(`the board is not served: ${(e as Error).message} (run \`npm run build:web\`)`);
  }
  const discoveryDir = path.join(settings.dataDir, "discovery");
  const plan = new PlanRunner({ projectDir: settings.projectDir, workers: settings.planWorkers });
  let service: Service;
  try {
    service = createService({
      dbFile: settings.dbFile,
      dbMaxBytes: settings.dbMaxBytes,
      tokens,
      projectDir: settings.projectDir,
      maxConcurrent: settings.maxConcurrent,
      maxBodyBytes: settings.maxBodyBytes,
      boardDir,
      discoveryDir,
      planDocuments: (o) => plan.document(o),
      runners: {
        plan,
        automation:
          settings.runner === "operator"
            ? new OperatorRunner({
                namespace: settings.operatorNamespace,
                kubeconfig: settings.kubeconfig,
              })
            : new AutomationRunner({
                projectDir: settings.projectDir,
                backendUrl: settings.backendUrl,
                policyPacks: settings.policyPacks,
              }),
      },
    });
  } catch (e) {
    if (e instanceof StoreOpenError) throw new CliError(e.message);
    throw e;
  }
  for (const op of service.recovered)
    log(`operation ${op.id} (${op.kind} on ${op.stack}) was interrupted: ${op.guidance ?? ""}`);
  for (const op of service.resumed)
    log(`operation ${op.id} (${op.kind} on ${op.stack}) was queued before the restart: resumed`);
  let url: string;
  try {
    url = await service.listen(settings.port, settings.host);
  } catch (e) {
    await service.close();
    throw new CliError(
      `cannot listen on ${settings.host}:${settings.port}: ${listenReason(e)} (set --host/--port or MESHLIFT_HOST/MESHLIFT_PORT)`,
    );
  }
  log(`meshlift serve listening on ${url} (database ${settings.dbFile})`);
  if (boardDir)
    log(`migration board: ${url}/ (discovery data from ${discoveryDir}/<stack>/inventory.json)`);
  if (settings.runner === "operator") {
    log(
      `runner operator: an up patches the Stack meshlift-<stack> in namespace ${settings.operatorNamespace} and follows its status; plan runs here`,
    );
  } else {
    log(`Pulumi state: ${settings.backendUrl}; project: ${settings.projectDir}`);
    if (!pulumiCli().present)
      log("Pulumi CLI not found: plan and reads work; preview/up/refresh/destroy answer 503");
  }
  // Workers load the program in the background: the service answers reads meanwhile.
  plan.warmUp().then(
    () => undefined,
    (e: unknown) => log(`plan workers failed to start: ${String(e)}`),
  );
  return { service, url };
}

function listenReason(e: unknown): string {
  switch ((e as NodeJS.ErrnoException).code) {
    case "EADDRINUSE":
      return "the address is in use by another process (EADDRINUSE)";
    case "EACCES":
      return "permission denied (EACCES): ports below 1024 need privileges";
    case "EADDRNOTAVAIL":
      return "the address is not on this machine (EADDRNOTAVAIL)";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "the host name does not resolve";
    default:
      return fsReason(e);
  }
}

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
      "Pulumi state backend [PULUMI_BACKEND_URL] (default file://<data-dir>/state)",
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
    .action(async (flags: ServeFlags) => {
      const log = (line: string) => process.stdout.write(`${line}\n`);
      const { service } = await startServe(flags, log);
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          log(`${signal}: stopping (running operations are cancelled)`);
          service.close().then(resolve, resolve);
        };
        process.once("SIGINT", () => stop("SIGINT"));
        process.once("SIGTERM", () => stop("SIGTERM"));
      });
    });
}
