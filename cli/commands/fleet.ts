// `meshlift fleet render` at work: the fleet's operator objects as files (flags -> fleet config, stack files -> environments -> files).
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import YAML from "yaml";
import { z } from "zod";
import { DEFAULT_PROJECT_DIR } from "../../automation/runners/runner";
import { FleetConfig, fleetSchema, missingRenderIdentity } from "../../config/sections/fleet";
import { loadFleetEnvironments } from "../../config/load";
import { renderFleet, RenderedFile } from "../../fleet/render";
import { CliError } from "../errors";

export interface FleetRenderFlags {
  readonly stacks: string;
  readonly source: "git" | "flux";
  readonly out: string;
  readonly repo?: string;
  readonly branch?: string;
  readonly repoDir?: string;
  readonly gitAuth?: "token" | "ssh" | "basic";
  readonly gitAuthSecret?: string;
  readonly fluxKind?: string;
  readonly fluxName?: string;
  readonly fluxApiVersion?: string;
  readonly fluxDir?: string;
  readonly namespace?: string;
  readonly backend?: string;
  readonly org?: string;
  readonly secretsProvider?: string;
  readonly credentialsSecret?: string;
  readonly identity: "irsa" | "pod-identity";
  readonly accountId?: string;
  readonly oidcIssuer?: string;
  readonly clusterName?: string;
  readonly rolePrefix?: string;
  readonly rolePolicyArn?: readonly string[];
  readonly workspaceImage?: string;
  readonly resyncSeconds?: string;
  readonly operator?: boolean;
  readonly operatorNamespace?: string;
  readonly projectDir?: string;
}

/** Config paths -> the flag that sets them, so an error names what the user typed. */
const FLAG_OF: Readonly<Record<string, string>> = {
  stacks: "--stacks",
  namespace: "--namespace",
  "source.repo": "--repo",
  "source.branch": "--branch",
  "source.repoDir": "--repo-dir",
  "source.auth.type": "--git-auth",
  "source.auth.secretName": "--git-auth-secret",
  "source.sourceRef.kind": "--flux-kind",
  "source.sourceRef.name": "--flux-name",
  "source.sourceRef.apiVersion": "--flux-api-version",
  "source.dir": "--flux-dir",
  backend: "--backend",
  organization: "--org",
  secretsProvider: "--secrets-provider",
  credentialsSecret: "--credentials-secret",
  "identity.mode": "--identity",
  "identity.accountId": "--account-id",
  "identity.oidcIssuer": "--oidc-issuer",
  "identity.clusterName": "--cluster-name",
  rolePrefix: "--role-prefix",
  rolePolicyArns: "--role-policy-arn",
  "workspace.image": "--workspace-image",
  resyncFrequencySeconds: "--resync-seconds",
  "operator.namespace": "--operator-namespace",
};

function flagFor(p: readonly PropertyKey[]): string {
  const key = p.filter((s) => typeof s === "string").join(".");
  return FLAG_OF[key] ?? FLAG_OF[key.split(".").slice(0, -1).join(".")] ?? key;
}

/** A given value as an error quotes it: URL credentials masked, long values cut. */
function show(v: unknown): string {
  const s = (JSON.stringify(v) ?? String(v)).replace(/\/\/[^/@\s"]*@/g, "//***@");
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/** The flags as the fleet config section, validated by its schema: one error naming every bad flag. */
export function fleetConfigFromFlags(f: FleetRenderFlags): FleetConfig {
  const stacks = f.stacks.split(",").map((s) => s.trim());
  const source =
    f.source === "git"
      ? {
          kind: "git",
          repo: f.repo,
          branch: f.branch,
          ...(f.repoDir !== undefined ? { repoDir: f.repoDir } : {}),
          ...(f.gitAuth || f.gitAuthSecret
            ? { auth: { type: f.gitAuth ?? "token", secretName: f.gitAuthSecret } }
            : {}),
        }
      : {
          kind: "flux",
          sourceRef: {
            kind: f.fluxKind,
            name: f.fluxName,
            ...(f.fluxApiVersion !== undefined ? { apiVersion: f.fluxApiVersion } : {}),
          },
          ...(f.fluxDir !== undefined ? { dir: f.fluxDir } : {}),
        };
  const resync = f.resyncSeconds === undefined ? undefined : Number(f.resyncSeconds);
  const raw = {
    stacks,
    source,
    identity:
      f.identity === "irsa"
        ? { mode: "irsa", accountId: f.accountId, oidcIssuer: f.oidcIssuer }
        : { mode: "pod-identity", accountId: f.accountId, clusterName: f.clusterName },
    ...(f.namespace !== undefined ? { namespace: f.namespace } : {}),
    ...(f.backend !== undefined ? { backend: f.backend } : {}),
    ...(f.org !== undefined ? { organization: f.org } : {}),
    ...(f.secretsProvider !== undefined ? { secretsProvider: f.secretsProvider } : {}),
    ...(f.credentialsSecret !== undefined ? { credentialsSecret: f.credentialsSecret } : {}),
    ...(f.rolePrefix !== undefined ? { rolePrefix: f.rolePrefix } : {}),
    ...(f.rolePolicyArn?.length ? { rolePolicyArns: [...f.rolePolicyArn] } : {}),
    ...(f.workspaceImage !== undefined ? { workspace: { image: f.workspaceImage } } : {}),
    ...(resync !== undefined ? { resyncFrequencySeconds: resync } : {}),
    operator: {
      install: f.operator === true,
      ...(f.operatorNamespace !== undefined ? { namespace: f.operatorNamespace } : {}),
    },
  };
  const parsed = fleetSchema.safeParse(raw);
  // The documents name the account and the management cluster: here they are required.
  const missing = missingRenderIdentity(raw.identity).map(
    (p) => `  - ${FLAG_OF[p]}: is required${requiredHint(FLAG_OF[p])}`,
  );
  if (parsed.success && missing.length === 0) return parsed.data;
  const lines = [...(parsed.success ? [] : issueLines(parsed.error, raw, f)), ...missing];
  throw new CliError(`invalid fleet flags:\n${lines.join("\n")}`);
}

function issueLines(error: z.ZodError, raw: unknown, f: FleetRenderFlags): string[] {
  return error.issues.map((i) => {
    const flag = flagFor(i.path);
    let given: unknown = raw;
    for (const seg of i.path) given = (given as Record<PropertyKey, unknown> | undefined)?.[seg];
    if (flag === "--resync-seconds") given = f.resyncSeconds;
    const what = describeIssue(i, flag, given);
    return `  - ${flag}${given === undefined ? "" : ` ${show(given)}`}: ${what}`;
  });
}

function describeIssue(i: z.core.$ZodIssue, flag: string, given: unknown): string {
  if (flag === "--resync-seconds") return "must be a whole number of seconds from 60 to 86400";
  switch (i.code) {
    case "invalid_type":
      return given === undefined ? `is required${requiredHint(flag)}` : i.message;
    case "invalid_value":
      return `must be one of: ${i.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "too_small":
      return i.origin === "array" ? `needs at least ${String(i.minimum)} item(s)` : i.message;
    case "too_big":
      return i.origin === "array"
        ? `allows at most ${String(i.maximum)} item(s)`
        : i.origin === "string"
          ? `must be at most ${String(i.maximum)} characters`
          : i.message;
    default:
      return i.message;
  }
}

function requiredHint(flag: string): string {
  switch (flag) {
    case "--repo":
    case "--branch":
      return " with --source git";
    case "--flux-kind":
    case "--flux-name":
      return " with --source flux";
    case "--oidc-issuer":
      return " with --identity irsa (the management cluster's OIDC issuer)";
    case "--cluster-name":
      return " with --identity pod-identity (the management cluster)";
    case "--git-auth-secret":
      return " with --git-auth";
    default:
      return "";
  }
}

/** YAML or JSON text of one rendered file. */
export function fileText(f: RenderedFile): string {
  switch (f.kind) {
    case "kubernetes":
      return YAML.stringify(f.object, { sortMapEntries: false });
    case "helm-release":
      return YAML.stringify(f.release, { sortMapEntries: false });
    case "helm-values":
      return YAML.stringify(f.values, { sortMapEntries: false });
    case "iam-role":
      return `${JSON.stringify(f.role, null, 2)}\n`;
    default: {
      const never: never = f;
      throw new Error(`unknown file kind ${JSON.stringify(never)}`);
    }
  }
}

/** Marks a directory as a fleet render, so that a second render may replace it and nothing else. */
export const RENDER_MARKER = ".meshlift-fleet";

/**
 * Writes the render all at once: into a fresh sibling directory first, then moved into place, so
 * an error never leaves half a fleet. An existing directory is replaced only if a previous render
 * made it (or it is empty).
 */
export function writeRender(out: string, files: readonly RenderedFile[]): void {
  const target = path.resolve(out);
  if (fs.existsSync(target)) {
    const st = fs.statSync(target);
    if (!st.isDirectory()) throw new CliError(`--out ${out}: exists and is not a directory`);
    const entries = fs.readdirSync(target);
    if (entries.length > 0 && !entries.includes(RENDER_MARKER)) {
      throw new CliError(
        `--out ${out}: directory is not empty and holds no earlier fleet render (${RENDER_MARKER}); choose a new or empty directory`,
      );
    }
  }
  const parent = path.dirname(target);
  if (!fs.existsSync(parent))
    throw new CliError(`--out ${out}: parent directory ${parent} does not exist`);
  const staging = path.join(
    parent,
    `.${path.basename(target)}.${crypto.randomBytes(4).toString("hex")}`,
  );
  try {
    fs.mkdirSync(staging);
    for (const f of files) {
      const p = path.join(staging, f.path);
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, fileText(f));
    }
    fs.writeFileSync(path.join(staging, RENDER_MARKER), "written by meshlift fleet render\n");
    if (fs.existsSync(target)) fs.rmSync(target, { recursive: true, force: true });
    fs.renameSync(staging, target);
  } catch (e) {
    fs.rmSync(staging, { recursive: true, force: true });
    if (e instanceof CliError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "EACCES" || code === "EPERM" || code === "EROFS" || code === "ENOSPC") {
      throw new CliError(`--out ${out}: cannot write (${code})`);
    }
    throw e;
  }
}

/** The command's work, callable in-process: returns the lines it prints. */
export function fleetRender(flags: FleetRenderFlags): string[] {
  const fleet = fleetConfigFromFlags(flags);
  const projectDir = path.resolve(flags.projectDir ?? DEFAULT_PROJECT_DIR);
  const envs = loadFleetEnvironments(projectDir, fleet.stacks);
  const { files, nextSteps } = renderFleet(fleet, envs);
  writeRender(flags.out, files);
  const stacks = files.filter((f) => f.kind === "kubernetes" && f.object.kind === "Stack").length;
  return [
    `Rendered ${stacks} Stack object(s) (${files.length} files) into ${flags.out}`,
    "",
    "Before the first update:",
    ...nextSteps.map((s, i) => `  ${i + 1}. ${s.replace(/<out>/g, flags.out)}`),
  ];
}

export function runFleetRender(flags: FleetRenderFlags): void {
  process.stdout.write(`${fleetRender(flags).join("\n")}\n`);
}
