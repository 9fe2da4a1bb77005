// The Automation API runner: LocalWorkspace on the project directory, so the service and `pulumi up` cannot drift.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import type { EngineEvent, LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import { SemVer } from "semver";
import { redactFlatConfig } from "../../config/schema-paths";
import { stackFilePath } from "../../config/stack-file";
import { MIN_PULUMI_VERSION } from "../../config/versions";
import { describeBackend, findOnPath, pulumiCli, PulumiCliMissingError } from "../prerequisites";
import {
  CancelledError,
  DEFAULT_PROJECT_DIR,
  OperationKind,
  Runner,
  RunRequest,
  RunResult,
  StackOutput,
} from "./runner";
import { qualifyKey } from "../../config/stack-file";

type Env = Readonly<Record<string, string | undefined>>;

export interface AutomationRunnerOptions {
  /** @default the directory holding Pulumi.yaml */
  readonly projectDir?: string;
  /**
   * The Pulumi state backend. @default the one the user is logged into (`pulumi login`, or
   * `PULUMI_BACKEND_URL`), so that the service sees the stacks `pulumi up` deployed
   */
  readonly backendUrl?: string;
  /** Where the Pulumi CLI is looked up and what it runs with. @default process.env */
  readonly env?: Env;
  /** Policy pack directories every preview and up runs (mandatory violations fail them). @default [<projectDir>/policy] */
  readonly policyPacks?: readonly string[];
}

/**
 * The options of one engine operation: its events and cancellation, and for preview and up the
 * policy packs (`--policy-pack`), so that the service enforces what `pulumi up --policy-pack` does.
 */
export function engineOptions(
  req: Pick<RunRequest, "kind" | "onEvent" | "signal">,
  policyPacks: readonly string[],
): { onEvent: (e: EngineEvent) => void; signal: AbortSignal; policyPacks?: string[] } {
  const common = {
    onEvent: (e: EngineEvent) => req.onEvent(e as unknown as Record<string, unknown>),
    signal: req.signal,
  };
  const policed = (req.kind === "preview" || req.kind === "up") && policyPacks.length > 0;
  return policed ? { ...common, policyPacks: [...policyPacks] } : common;
}

/**
 * A copy of the stack's config file with this run's overrides, for `--config-file`: a preview must
 * not write them into stacks/Pulumi.<stack>.yaml, which LocalWorkspace.setConfig (`pulumi config
 * set`) does. The overrides are set in the copy by the CLI itself (`config set --config-file`), so
 * that secret ones are encrypted with the stack's own secrets provider, never written in the clear.
 * `remove` deletes the copy.
 */
export async function configFileWith(
  stack: Stack,
  projectDir: string,
  config: ReturnType<typeof configToSet>,
): Promise<{ file: string; remove: () => void }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "meshlift-config-"));
  const remove = () => fs.rmSync(dir, { recursive: true, force: true });
  const file = path.join(dir, `Pulumi.${stack.name}.yaml`);
  try {
    const source = stackFilePath(projectDir, stack.name);
    if (fs.existsSync(source)) fs.copyFileSync(source, file);
    else fs.writeFileSync(file, "");
    fs.chmodSync(file, 0o600);
    const ws = stack.workspace as LocalWorkspace;
    for (const c of config) {
      await run(
        ws.pulumiCommand.command,
        [
          "config",
          "set",
          "--config-file",
          file,
          "--stack",
          stack.name,
          c.value.secret ? "--secret" : "--plaintext",
          "--non-interactive",
          "--",
          c.key,
          c.value.value,
        ],
        { cwd: projectDir, env: { ...process.env, ...ws.envVars }, timeout: 60_000 },
      );
    }
    return { file, remove };
  } catch (e) {
    remove();
    throw e;
  }
}

const run = promisify(execFile);

/** The CLI the Automation API drives: the one on this runner's PATH, refused below MIN_PULUMI_VERSION. */
async function pulumiCommand(env: Env): Promise<PulumiCommand> {
  const { PulumiCommand } =
    require("@pulumi/pulumi/automation") as typeof import("@pulumi/pulumi/automation");
  const found = findOnPath("pulumi", env);
  const bin = found ? path.dirname(found) : undefined;
  const root = bin && path.basename(bin) === "bin" ? path.dirname(bin) : undefined;
  try {
    return await PulumiCommand.get({ root, version: new SemVer(MIN_PULUMI_VERSION) });
  } catch (e) {
    const m = /your current CLI version is (\S+)/.exec(errorText(e));
    if (!m) throw e;
    throw new PulumiCliTooOldError(m[1].replace(/\.$/, ""));
  }
}

/** The installed Pulumi CLI is older than the program needs. */
export class PulumiCliTooOldError extends Error {
  constructor(readonly found: string) {
    super(
      `the Pulumi CLI is ${found}; meshlift needs ${MIN_PULUMI_VERSION} or newer (replacementTrigger, which rotates the mesh intermediate CA). ` +
        "Upgrade it: https://www.pulumi.com/docs/iac/download-install/",
    );
    this.name = "PulumiCliTooOldError";
  }
}

/** Expands `file://~/...` and creates a file backend's directory, which the CLI will not do. */
export function prepareBackend(url: string, home = os.homedir()): string {
  if (!url.startsWith("file://")) return url;
  let dir = url.slice("file://".length);
  if (dir === "~" || dir.startsWith("~/")) dir = path.join(home, dir.slice(1));
  // The file backend holds the stack state (secrets encrypted, everything else plain): private.
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  return `file://${dir}`;
}

export class AutomationRunner implements Runner {
  private readonly projectDir: string;
  private readonly env: Env;
  private readonly backendUrl?: string;
  private readonly policyPacks: readonly string[];

  constructor(opts: AutomationRunnerOptions = {}) {
    this.projectDir = opts.projectDir ?? DEFAULT_PROJECT_DIR;
    this.policyPacks = opts.policyPacks ?? [path.join(this.projectDir, "policy")];
    this.env = opts.env ?? process.env;
    this.backendUrl = opts.backendUrl;
  }

  /** Which backend the runner's stacks live in, and who said so. */
  backend(): ReturnType<typeof describeBackend> {
    return describeBackend(this.env, os.homedir(), this.backendUrl);
  }

  unavailable(kind: OperationKind): Error | undefined {
    if (kind === "plan")
      return new Error('"plan" is offline; the Automation API runner does not run it');
    if (kind === "cutover")
      return new Error('"cutover" is a series of up runs; the cutover runner drives it');
    return pulumiCli(this.env).present
      ? undefined
      : new PulumiCliMissingError(`operation "${kind}"`);
  }

  /** Selects the stack in the project directory; `create` adds it to the backend on first use. */
  async stack(name: string, what: string, create = true): Promise<Stack> {
    if (!pulumiCli(this.env).present) throw new PulumiCliMissingError(what);
    // Loaded on first use: the SDK takes seconds to import and reads never need it.
    const { LocalWorkspace } =
      require("@pulumi/pulumi/automation") as typeof import("@pulumi/pulumi/automation");
    const envVars: Record<string, string> = {};
    for (const [k, v] of Object.entries(this.env)) if (v !== undefined) envVars[k] = v;
    // Only a configured backend is forced; otherwise the CLI uses the user's own login, so that
    // a stack deployed with `pulumi up` is the same stack here.
    if (this.backendUrl) envVars.PULUMI_BACKEND_URL = prepareBackend(this.backendUrl);
    envVars.PULUMI_SKIP_UPDATE_CHECK = "true";
    const args = { stackName: name, workDir: this.projectDir };
    const opts = {
      workDir: this.projectDir,
      envVars,
      pulumiCommand: await pulumiCommand(this.env),
    };
    return create
      ? LocalWorkspace.createOrSelectStack(args, opts)
      : LocalWorkspace.selectStack(args, opts);
  }

  /** The stack's outputs as deployed; empty when the backend has no such stack yet. */
  async outputs(name: string): Promise<Record<string, StackOutput>> {
    const { StackNotFoundError } =
      require("@pulumi/pulumi/automation") as typeof import("@pulumi/pulumi/automation");
    try {
      return await (await this.stack(name, "reading the deployed phase", false)).outputs();
    } catch (e) {
      if (e instanceof StackNotFoundError) return {};
      throw e;
    }
  }

  async run(req: RunRequest): Promise<RunResult> {
    const unavailable = this.unavailable(req.kind);
    if (unavailable) throw unavailable;
    const stack = await this.stack(req.stack, `operation "${req.kind}"`);
    const config = configToSet(req);
    if (req.kind === "up") {
      // An update changes what is deployed, so its config is what the stack file says after it.
      for (const c of config) await stack.setConfig(c.key, c.value, false);
    }
    const common = engineOptions(req, this.policyPacks);
    try {
      switch (req.kind) {
        case "preview": {
          // A preview changes nothing, the stack file included: its overrides go in a copy.
          const copy = await configFileWith(stack, this.projectDir, config);
          try {
            const r = await stack.preview({ ...common, configFile: copy.file });
            return { summary: { changes: r.changeSummary } };
          } finally {
            copy.remove();
          }
        }
        case "up": {
          const r = await stack.up(common);
          return { summary: { changes: r.summary.resourceChanges ?? {} }, outputs: r.outputs };
        }
        case "refresh": {
          const r = await stack.refresh(common);
          return {
            summary: { changes: r.summary.resourceChanges ?? {} },
            outputs: await stack.outputs(),
          };
        }
        case "destroy": {
          const r = await stack.destroy(common);
          return { summary: { changes: r.summary.resourceChanges ?? {} }, outputs: {} };
        }
        case "plan":
        case "cutover":
          throw new Error(`unreachable: ${req.kind} is refused above`);
        default: {
          const never: never = req.kind;
          throw new Error(`unknown operation kind ${String(never)}`);
        }
      }
    } catch (e) {
      if (req.signal.aborted) throw new CancelledError(`cancelled: ${errorText(e)}`);
      throw e;
    }
  }
}

/**
 * The config an operation sets before preview or up. Dotted keys are set as keys, not `--path`s:
 * the program deep-merges `meshlift:cluster.nodeGroups` into its section exactly as the offline
 * plan does, and a JSON object stays an object (a path would store it as a string). Values that
 * are secret by schema or by their look are set as Pulumi secrets.
 */
export function configToSet(
  req: Pick<RunRequest, "config" | "phase">,
): { key: string; value: { value: string; secret: boolean } }[] {
  const config: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.config ?? {})) config[qualifyKey(k)] = v;
  if (req.phase) config["meshlift:phase"] = req.phase;
  const { config: shown } = redactFlatConfig(config);
  return Object.entries(config).map(([key, value]) => ({
    key,
    value: { value, secret: shown[key] !== value },
  }));
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
