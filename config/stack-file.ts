// Reads stacks/Pulumi.<stack>.yaml into the flat config map the Pulumi runtime uses.
import * as fs from "node:fs";
import * as path from "node:path";
import YAML from "yaml";

export interface StackFile {
  /** `"<namespace>:<key>" -> string` (objects as JSON), as `PULUMI_CONFIG` carries them. */
  readonly config: Record<string, string>;
  /** Keys whose values are `secure:` ciphertext; offline they read as "[secret]". */
  readonly secretKeys: string[];
}

export const SECRET_PLACEHOLDER = "[secret]";

export function stackFilePath(projectDir: string, stack: string): string {
  return path.join(projectDir, "stacks", `Pulumi.${stack}.yaml`);
}

/** Names of the stacks that have a config file, sorted. */
export function listStacks(projectDir: string): string[] {
  const dir = path.join(projectDir, "stacks");
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

export class StackNotFoundError extends Error {
  constructor(
    readonly stack: string,
    readonly known: string[],
  ) {
    super(
      `unknown stack "${stack}": no stacks/Pulumi.${stack}.yaml (stacks: ${known.join(", ") || "none"})`,
    );
    this.name = "StackNotFoundError";
  }
}

export function readStackFile(projectDir: string, stack: string): StackFile {
  const file = stackFilePath(projectDir, stack);
  if (!fs.existsSync(file)) throw new StackNotFoundError(stack, listStacks(projectDir));
  const doc = YAML.parse(fs.readFileSync(file, "utf8")) as {
    config?: Record<string, unknown>;
  } | null;
  return flattenConfig(doc?.config ?? {});
}

/** Flattens a stack file's `config:` block the way the Pulumi CLI hands it to the program. */
export function flattenConfig(config: Record<string, unknown>): StackFile {
  const out: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries(config)) {
    if (isSecure(value)) {
      out[key] = SECRET_PLACEHOLDER;
      secretKeys.push(key);
    } else if (typeof value === "object" && value !== null) {
      out[key] = JSON.stringify(replaceSecure(value));
    } else {
      out[key] = String(value);
    }
  }
  return { config: out, secretKeys };
}

function isSecure(v: unknown): boolean {
  return (
    typeof v === "object" && v !== null && !Array.isArray(v) && Object.keys(v).join() === "secure"
  );
}

function replaceSecure(v: unknown): unknown {
  if (isSecure(v)) return SECRET_PLACEHOLDER;
  if (Array.isArray(v)) return v.map(replaceSecure);
  if (typeof v === "object" && v !== null) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, replaceSecure(x)]));
  }
  return v;
}
