// What the Automation API path needs on this machine (Pulumi CLI, AWS credentials, kubectl), found without network.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export type PrerequisiteName = "pulumi" | "aws-credentials" | "kubectl" | "secrets-passphrase";

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
 * A file or S3 backend (the embedded default is `file://~/.meshlift/state`) encrypts stack secrets with
 * a passphrase; without one, selecting or creating a stack fails. Pulumi Cloud needs none.
 */
export function secretsPassphrase(env: Env = process.env): Prerequisite {
  const backend = env.PULUMI_BACKEND_URL ?? "file://~/.meshlift/state";
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

export function checkPrerequisites(env: Env = process.env, home?: string): Prerequisite[] {
  return [pulumiCli(env), awsCredentials(env, home), kubectl(env), secretsPassphrase(env)];
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
