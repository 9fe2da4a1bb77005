// What the Automation API path needs on this machine (Pulumi CLI and its version, backend, AWS CLI and credentials, kubectl), found without network.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { MIN_PULUMI_VERSION } from "../config/versions";

export type PrerequisiteName =
  | "pulumi"
  | "pulumi-version"
  | "pulumi-backend"
  | "aws-cli"
  | "aws-credentials"
  | "kubectl"
  | "secrets-passphrase";

export interface Prerequisite {
  readonly name: PrerequisiteName;
  /** What it is for, in one line. */
  readonly purpose: string;
  readonly present: boolean;
  /** Where it was found (a path, an env var), or why it was not. */
  readonly detail: string;
  /** How to get it, when missing. */
  readonly install: string;
}

type Env = Readonly<Record<string, string | undefined>>;

export const PULUMI_INSTALL =
  "install it with `curl -fsSL https://get.pulumi.com | sh` (or see https://www.pulumi.com/docs/iac/download-install/) " +
  "and make sure `pulumi` is on the PATH of the process";

/** The first executable called `name` on `env.PATH`, or undefined. */
export function findOnPath(name: string, env: Env = process.env): string | undefined {
  const dirs = (env.PATH ?? "").split(path.delimiter).filter(Boolean);
  const exts = process.platform === "win32" ? (env.PATHEXT ?? ".EXE;.CMD").split(";") : [""];
  for (const dir of dirs) {
    for (const ext of exts) {
      const file = path.join(dir, name + ext);
      try {
        fs.accessSync(file, fs.constants.X_OK);
        if (fs.statSync(file).isFile()) return file;
      } catch {
        // not here; keep looking
      }
    }
  }
  return undefined;
}

export function pulumiCli(env: Env = process.env): Prerequisite {
  const found = findOnPath("pulumi", env);
  return {
    name: "pulumi",
    purpose: "runs preview/up/refresh/destroy (the offline plan does not need it)",
    present: found !== undefined,
    detail: found ?? "no `pulumi` executable on PATH",
    install: PULUMI_INSTALL,
  };
}

/** `3.208.0` from `v3.208.0` (what `pulumi version` prints), or undefined. */
export function parseVersion(text: string): [number, number, number] | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(text.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

function atLeast(have: [number, number, number], want: [number, number, number]): boolean {
  for (let i = 0; i < 3; i++) if (have[i] !== want[i]) return have[i] > want[i];
  return true;
}

/**
 * The Pulumi CLI's version against the one the program needs (it refuses older engines itself;
 * this says so before a run). Runs `pulumi version`, bounded by a timeout.
 */
export function pulumiVersion(env: Env = process.env): Prerequisite {
  const base = {
    name: "pulumi-version" as const,
    purpose: `the program needs Pulumi ${MIN_PULUMI_VERSION}+ (replacementTrigger rotates the mesh intermediate CA)`,
    install: `upgrade the Pulumi CLI to ${MIN_PULUMI_VERSION} or newer (${PULUMI_INSTALL})`,
  };
  const found = findOnPath("pulumi", env);
  if (!found) return { ...base, present: false, detail: "no `pulumi` executable on PATH" };
  const r = spawnSync(found, ["version"], {
    env: { ...env, PULUMI_SKIP_UPDATE_CHECK: "true" },
    encoding: "utf8",
    timeout: 15_000,
  });
  const text = `${r.stdout ?? ""}`.trim();
  const v = parseVersion(text);
  if (!v) {
    return {
      ...base,
      present: false,
      detail: `\`${found} version\` gave no version (${r.error ? r.error.message : JSON.stringify(text.slice(0, 80))})`,
    };
  }
  const want = parseVersion(MIN_PULUMI_VERSION) as [number, number, number];
  return {
    ...base,
    present: atLeast(v, want),
    detail: `${v.join(".")} (needs ${MIN_PULUMI_VERSION} or newer)`,
  };
}

/** Where the Automation API's stacks live, and who decided it. */
export interface BackendChoice {
  /** The backend URL, when one is known. */
  readonly url?: string;
  readonly source: "configured" | "PULUMI_BACKEND_URL" | "pulumi login" | "none";
}

/**
 * The backend the service and `phase` commands use: a configured one (`--backend-url`), else
 * PULUMI_BACKEND_URL, else the one the user is logged into (`current` in
 * $PULUMI_HOME/credentials.json; only that field is read, never the tokens beside it).
 */
export function describeBackend(
  env: Env = process.env,
  home: string = os.homedir(),
  configured?: string,
): BackendChoice {
  if (configured) return { url: configured, source: "configured" };
  if (env.PULUMI_BACKEND_URL) return { url: env.PULUMI_BACKEND_URL, source: "PULUMI_BACKEND_URL" };
  const file = path.join(env.PULUMI_HOME || path.join(home, ".pulumi"), "credentials.json");
  try {
    const current = (JSON.parse(fs.readFileSync(file, "utf8")) as { current?: unknown }).current;
    if (typeof current === "string" && current) return { url: current, source: "pulumi login" };
  } catch {
    // not logged in, or unreadable: say so below
  }
  return { source: "none" };
}

export function pulumiBackend(
  env: Env = process.env,
  home: string = os.homedir(),
  configured?: string,
): Prerequisite {
  const b = describeBackend(env, home, configured);
  return {
    name: "pulumi-backend",
    purpose: "holds the stacks' state: the service uses the same backend as `pulumi up`",
    present: b.url !== undefined,
    detail: b.url ? `${b.url} (${b.source})` : "not logged in to any backend",
    install:
      "run `pulumi login` (Pulumi Cloud, or e.g. `pulumi login s3://bucket`), or set PULUMI_BACKEND_URL",
  };
}

export function awsCli(env: Env = process.env): Prerequisite {
  const found = findOnPath("aws", env);
  return {
    name: "aws-cli",
    purpose: "kubeconfigs authenticate with `aws eks get-token`, for created and adopted clusters",
    present: found !== undefined,
    detail: found ?? "no `aws` executable on PATH",
    install:
      "install the AWS CLI v2: https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html",
  };
}

/** Looks for credentials the AWS SDK would pick up; it does not call AWS, so they may still be expired. */
export function awsCredentials(env: Env = process.env, home: string = os.homedir()): Prerequisite {
  const sources: string[] = [];
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) sources.push("AWS_ACCESS_KEY_ID");
  if (env.AWS_PROFILE) sources.push(`AWS_PROFILE=${env.AWS_PROFILE}`);
  if (env.AWS_WEB_IDENTITY_TOKEN_FILE) sources.push("AWS_WEB_IDENTITY_TOKEN_FILE");
  if (env.AWS_CONTAINER_CREDENTIALS_FULL_URI || env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI)
    sources.push("container credentials");
  const credFile = env.AWS_SHARED_CREDENTIALS_FILE ?? path.join(home, ".aws", "credentials");
  const configFile = env.AWS_CONFIG_FILE ?? path.join(home, ".aws", "config");
  for (const f of [credFile, configFile]) if (fs.existsSync(f)) sources.push(f);
  return {
    name: "aws-credentials",
    purpose: "lets `pulumi up` create and read AWS resources",
    present: sources.length > 0,
    detail:
      sources.length > 0
        ? `found ${sources.join(", ")} (not verified against AWS)`
        : "no AWS_ACCESS_KEY_ID/AWS_PROFILE/web identity and no ~/.aws/credentials or ~/.aws/config",
    install: "run `aws configure` or `aws sso login`, or export AWS_PROFILE / AWS_ACCESS_KEY_ID",
  };
}

export function kubectl(env: Env = process.env): Prerequisite {
  const found = findOnPath("kubectl", env);
  return {
    name: "kubectl",
    purpose: "inspects the cluster by hand during a migration (meshlift itself does not call it)",
    present: found !== undefined,
    detail: found ?? "no `kubectl` executable on PATH",
    install: "see https://kubernetes.io/docs/tasks/tools/ (or `aws eks` docs for the EKS build)",
  };
}

/**
 * A file or S3 backend encrypts stack secrets with a passphrase (unless the stack names another
 * secrets provider); without one, selecting or creating a stack fails. Pulumi Cloud needs none.
 */
export function secretsPassphrase(
  env: Env = process.env,
  home: string = os.homedir(),
  configured?: string,
): Prerequisite {
  const backend = describeBackend(env, home, configured).url ?? "(no backend)";
  const needed = !/^https?:\/\//.test(backend);
  const source =
    env.PULUMI_CONFIG_PASSPHRASE !== undefined
      ? "PULUMI_CONFIG_PASSPHRASE"
      : env.PULUMI_CONFIG_PASSPHRASE_FILE
        ? `PULUMI_CONFIG_PASSPHRASE_FILE=${env.PULUMI_CONFIG_PASSPHRASE_FILE}`
        : undefined;
  return {
    name: "secrets-passphrase",
    purpose: `encrypts stack secrets in the ${backend} backend`,
    present: !needed || source !== undefined,
    detail: !needed
      ? `not needed for ${backend}`
      : (source ?? "neither PULUMI_CONFIG_PASSPHRASE nor PULUMI_CONFIG_PASSPHRASE_FILE is set"),
    install:
      "export PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE) before `meshlift serve`",
  };
}

export function checkPrerequisites(
  env: Env = process.env,
  home: string = os.homedir(),
  backendUrl?: string,
): Prerequisite[] {
  return [
    pulumiCli(env),
    pulumiVersion(env),
    pulumiBackend(env, home, backendUrl),
    awsCli(env),
    awsCredentials(env, home),
    kubectl(env),
    secretsPassphrase(env, home, backendUrl),
  ];
}

/** The Pulumi CLI is needed and absent: the message says what is missing and how to install it. */
export class PulumiCliMissingError extends Error {
  constructor(readonly what: string) {
    super(
      `${what} needs the Pulumi CLI, which is not installed here (no \`pulumi\` on PATH): ${PULUMI_INSTALL}. ` +
        "The offline plan (`meshlift plan`, operation kind `plan`) works without it.",
    );
    this.name = "PulumiCliMissingError";
  }
}

/** Throws PulumiCliMissingError unless the Pulumi CLI is on PATH. */
export function requirePulumiCli(what: string, env: Env = process.env): string {
  const p = pulumiCli(env);
  if (!p.present) throw new PulumiCliMissingError(what);
  return p.detail;
}
