// `meshlift serve` at work: the automation API over HTTP, with embedded defaults (127.0.0.1:8080, SQLite under ~/.meshlift).
import { CutoverRunner } from "../../automation/runners/cutover-runner";
import { AutomationRunner } from "../../automation/runners/local";
import { OperatorRunner } from "../../automation/runners/operator";
import { PlanRunner } from "../../automation/runners/plan";
import { CancelledError } from "../../automation/runners/runner";
import { createService, Service } from "../../automation/service/server";
import { StoreOpenError } from "../../automation/service/store-errors";
import { fsReason } from "../../config/files";
import {
  ensureDataDir,
  loadTokens,
  resolveServeSettings,
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
  // The Automation API runner uses the Pulumi backend the user is logged into unless one is forced.
  const local = new AutomationRunner({
    projectDir: settings.projectDir,
    backendUrl: settings.backendUrl,
    policyPacks: settings.policyPacks,
  });
  const backend = settings.runner === "operator" ? undefined : local.backend();
  const automation =
    settings.runner === "operator"
      ? new OperatorRunner({
          namespace: settings.operatorNamespace,
          kubeconfig: settings.kubeconfig,
        })
      : local;
  let service: Service;
  try {
    service = createService({
      backend,
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
        automation,
        cutover: new CutoverRunner({
          plan,
          automation,
          projectDir: settings.projectDir,
          journalDir: path.join(settings.dataDir, "cutover"),
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
    log(
      `Pulumi state: ${backend?.url ?? "no backend (run `pulumi login`)"} (${backend?.source ?? "none"}); project: ${settings.projectDir}`,
    );
    if (!pulumiCli().present)
      log("Pulumi CLI not found: plan and reads work; preview/up/refresh/destroy answer 503");
  }
  // Workers load the program in the background: the service answers reads meanwhile.
  plan.warmUp().then(
    () => undefined,
    // A stop during the warm-up terminates the workers on purpose: that is no failure to report.
    (e: unknown) => {
      if (!(e instanceof CancelledError)) log(`plan workers failed to start: ${String(e)}`);
    },
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

/** `meshlift serve` from the command line: serves until SIGINT or SIGTERM. */
export async function runServe(flags: ServeFlags): Promise<void> {
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
}
