// Where `meshlift serve` listens and keeps its data: flags, then environment, then embedded defaults.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fsReason } from "../../config/files";
import { isDnsLabel } from "../../appmesh/names";
import { makePrivate } from "./store";
import { DEFAULT_PROJECT_DIR } from "../runners/runner";
import { generateToken, loadTokenFile, parseTokens, TokenEntry } from "./auth";
import { DEFAULT_MAX_BODY_BYTES } from "./server";
import { SERVE_ENV } from "./serve-env";

type Env = Readonly<Record<string, string | undefined>>;

export interface ServeFlags {
  readonly host?: string;
  readonly port?: string;
  readonly dataDir?: string;
  readonly db?: string;
  readonly tokensFile?: string;
  readonly backendUrl?: string;
  readonly maxConcurrent?: string;
  readonly maxBodyBytes?: string;
  readonly dbMaxBytes?: string;
  readonly projectDir?: string;
  readonly planWorkers?: string;
  readonly policyPacks?: string;
  readonly runner?: string;
  readonly operatorNamespace?: string;
  readonly kubeconfig?: string;
}

export interface ServeSettings {
  readonly host: string;
  readonly port: number;
  /** @default ~/.meshlift */
  readonly dataDir: string;
  /** @default <dataDir>/meshlift.db */
  readonly dbFile: string;
  /** A backend to force. @default none: the one the user is logged into (or PULUMI_BACKEND_URL) */
  readonly backendUrl?: string;
  readonly maxConcurrent: number;
  readonly maxBodyBytes: number;
  /** Size cap of the database; past it, submits answer 507 and reads keep working. @default none */
  readonly dbMaxBytes?: number;
  readonly projectDir: string;
  /** Worker threads for offline plans. @default CPUs - 1, between 1 and 4 */
  readonly planWorkers: number;
  /** Policy packs every preview and up runs (`--policy-pack`). @default [<projectDir>/policy] */
  readonly policyPacks: readonly string[];
  /**
   * What runs preview/up/refresh/destroy: `local` (the Automation API on this machine) or `operator`
   * (each stack's pulumi.com/v1 Stack on the Pulumi Kubernetes Operator). @default local
   */
  readonly runner: "local" | "operator";
  /** Namespace of the fleet's Stack objects (runner operator). @default meshlift-fleet */
  readonly operatorNamespace: string;
  /** Kubeconfig of the management cluster (runner operator). @default KUBECONFIG, ~/.kube/config or in-cluster */
  readonly kubeconfig?: string;
  /** Where tokens come from: a file, or the MESHLIFT_TOKENS variable. */
  readonly tokenSource: { readonly file: string } | { readonly env: "MESHLIFT_TOKENS" };
}

export { SERVE_ENV };

export function resolveServeSettings(
  flags: ServeFlags,
  env: Env = process.env,
  home: string = os.homedir(),
): ServeSettings {
  const pick = (k: keyof typeof SERVE_ENV) => flags[k] ?? env[SERVE_ENV[k]];
  const dataDir = path.resolve(pick("dataDir") ?? path.join(home, ".meshlift"));
  const tokensFile = pick("tokensFile");
  const projectDir = path.resolve(pick("projectDir") ?? DEFAULT_PROJECT_DIR);
  return {
    host: pick("host") ?? "127.0.0.1",
    port: integer("port", pick("port") ?? "8080", 0, 65535),
    dataDir,
    dbFile: path.resolve(pick("db") ?? path.join(dataDir, "meshlift.db")),
    // Only a flag forces a backend; otherwise the CLI's own login (or PULUMI_BACKEND_URL) applies,
    // so that the service sees the stacks `pulumi up` deployed.
    backendUrl: flags.backendUrl,
    maxConcurrent: integer("max-concurrent", pick("maxConcurrent") ?? "4", 1, 256),
    maxBodyBytes: integer(
      "max-body-bytes",
      pick("maxBodyBytes") ?? String(DEFAULT_MAX_BODY_BYTES),
      256,
      64 * 1024 * 1024,
    ),
    dbMaxBytes:
      pick("dbMaxBytes") === undefined
        ? undefined
        : integer("db-max-bytes", pick("dbMaxBytes") as string, 64 * 1024, Number.MAX_SAFE_INTEGER),
    projectDir,
    policyPacks: policyPacks(pick("policyPacks"), projectDir),
    ...runnerSettings(pick("runner"), pick("operatorNamespace"), flags.kubeconfig),
    planWorkers: integer(
      "plan-workers",
      pick("planWorkers") ?? String(Math.min(4, Math.max(1, os.cpus().length - 1))),
      0,
      64,
    ),
    tokenSource: tokensFile
      ? { file: path.resolve(tokensFile) }
      : env.MESHLIFT_TOKENS
        ? { env: "MESHLIFT_TOKENS" }
        : { file: path.join(dataDir, "tokens") },
  };
}

function runnerSettings(
  runner: string | undefined,
  namespace: string | undefined,
  kubeconfig: string | undefined,
): Pick<ServeSettings, "runner" | "operatorNamespace" | "kubeconfig"> {
  const r = runner ?? "local";
  if (r !== "local" && r !== "operator") {
    throw new Error(`--runner "${r}": must be local or operator`);
  }
  const ns = namespace ?? "meshlift-fleet";
  if (!isDnsLabel(ns)) {
    throw new Error(`--operator-namespace "${ns}": must be a Kubernetes namespace name`);
  }
  if (kubeconfig !== undefined && !fs.existsSync(kubeconfig)) {
    throw new Error(`--kubeconfig ${kubeconfig}: no such file`);
  }
  return {
    runner: r,
    operatorNamespace: ns,
    ...(kubeconfig !== undefined ? { kubeconfig: path.resolve(kubeconfig) } : {}),
  };
}

/** Comma-separated pack directories, "none" for none; each must hold a PulumiPolicy.yaml. */
function policyPacks(raw: string | undefined, projectDir: string): string[] {
  if (raw === undefined) return [path.join(projectDir, "policy")];
  if (raw.trim() === "none") return [];
  const dirs = raw.split(",").map((d) => d.trim());
  for (const d of dirs) {
    if (d === "" || !fs.existsSync(path.join(path.resolve(d), "PulumiPolicy.yaml"))) {
      throw new Error(
        `--policy-packs "${raw}": "${d}" is not a policy pack directory (no PulumiPolicy.yaml); give directories, or "none"`,
      );
    }
  }
  return dirs.map((d) => path.resolve(d));
}

function integer(name: string, raw: string, min: number, max: number): number {
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || n < min || n > max)
    throw new Error(`--${name} "${raw}": must be a whole number from ${min} to ${max}`);
  return n;
}

/**
 * Creates the data directory if needed and makes it private (0700), however tokens are given:
 * it holds the database, the token file and the file state backend.
 */
export function ensureDataDir(s: ServeSettings): void {
  try {
    fs.mkdirSync(s.dataDir, { recursive: true, mode: 0o700 });
    makePrivate(s.dataDir, 0o700);
  } catch (e) {
    throw new Error(
      `data directory ${s.dataDir}: ${fsReason(e)} (set --data-dir or MESHLIFT_HOME)`,
    );
  }
}

/**
 * Loads the tokens. With no token configured anywhere, the first start writes one admin token to
 * `<dataDir>/tokens` (mode 0600) and says so, so that the service is never open without a token.
 */
export function loadTokens(
  s: ServeSettings,
  env: Env = process.env,
): { tokens: TokenEntry[]; created?: string } {
  if ("env" in s.tokenSource)
    return { tokens: parseTokens(env.MESHLIFT_TOKENS ?? "", "MESHLIFT_TOKENS") };
  const file = s.tokenSource.file;
  const isDefault = file === path.join(s.dataDir, "tokens");
  if (!fs.existsSync(file)) {
    if (!isDefault) throw new Error(`--tokens-file ${file}: no such file`);
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    fs.writeFileSync(
      file,
      `# meshlift serve tokens: one "<scope>:<token>" a line; scopes read, operate, admin\nadmin:${generateToken()}\n`,
      { mode: 0o600, flag: "wx" },
    );
    const tokens = loadTokenFile(file);
    return { tokens, created: file };
  }
  const tokens = loadTokenFile(file);
  if (tokens.length === 0) throw new Error(`${file}: no tokens; add a line "<scope>:<token>"`);
  return { tokens };
}
