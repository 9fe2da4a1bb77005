// Reads the stack config once: flat Pulumi config map in, one typed, validated object out (or a ConfigError).
import { z } from "zod";
import { ConfigError, ConfigProblem, didYouMean } from "./errors";
import { meshliftSchema, MeshliftSchemaOutput, STRING_KEYS } from "./schema";
import { CreateClusterConfig, ExistingClusterConfig } from "./sections/cluster";
import { multiClusterStackProblems } from "./sections/multicluster";

export const NAMESPACE = "meshlift";

/** The validated stack config handed to components. */
export type MeshliftConfig = Omit<MeshliftSchemaOutput, "cluster"> & {
  readonly stack: string;
  /** From `aws:region`. */
  readonly region: string;
  readonly cluster: CreateClusterConfig | ExistingClusterConfig;
};

const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;

/**
 * Parses a flat config map (`"<namespace>:<key>" -> string`, objects as JSON strings), the shape the
 * Pulumi runtime and flattened stack files share. Throws ConfigError naming every bad key.
 */
export function parseConfig(stack: string, flat: Readonly<Record<string, string>>): MeshliftConfig {
  const problems: ConfigProblem[] = [];
  const raw = collectNamespace(flat, problems);

  const region = flat["aws:region"];
  if (region === undefined) {
    problems.push({
      key: "aws:region",
      message: "is required (e.g. `pulumi config set aws:region eu-west-1`)",
    });
  } else if (!REGION.test(region)) {
    problems.push({
      key: "aws:region",
      given: region,
      message: "must be an AWS region such as eu-west-1",
    });
  }

  const parsed = meshliftSchema.safeParse(raw);
  if (!parsed.success) problems.push(...parsed.error.issues.flatMap((i) => toProblems(i, raw)));
  if (parsed.success && parsed.data.multiCluster) {
    for (const p of multiClusterStackProblems(stack, parsed.data.multiCluster)) {
      problems.push({
        key: `${NAMESPACE}:multiCluster.${p.path.join(".")}`,
        given: p.given,
        message: p.message,
      });
    }
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(stack, problems);

  return finish(stack, region, parsed.data);
}

/** Defaults that depend on other keys. */
function finish(stack: string, region: string, c: MeshliftSchemaOutput): MeshliftConfig {
  const cluster =
    c.cluster.mode === "create"
      ? {
          ...c.cluster,
          name: c.cluster.name ?? `meshlift-${c.environment}`,
          protect: c.cluster.protect ?? c.environment.startsWith("prod"),
        }
      : c.cluster;
  return { ...c, stack, region, cluster };
}

/** Picks the `meshlift:` keys, parses their values and expands dotted keys (`istio.mode`) into objects. */
function collectNamespace(
  flat: Readonly<Record<string, string>>,
  problems: ConfigProblem[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const dotted: [string[], unknown][] = [];
  for (const [fullKey, value] of Object.entries(flat)) {
    const idx = fullKey.indexOf(":");
    if (fullKey.slice(0, idx) !== NAMESPACE) continue;
    const key = fullKey.slice(idx + 1).replace(/^config:/, "");
    const path = key.split(".");
    const v = STRING_KEYS.has(key) ? value : parseValue(value);
    if (path.length === 1) out[key] = v;
    else dotted.push([path, v]);
  }
  for (const [path, v] of dotted) {
    let node: Record<string, unknown> = out;
    for (const seg of path.slice(0, -1)) {
      const child = node[seg];
      if (child === undefined) node[seg] = {};
      else if (typeof child !== "object" || child === null || Array.isArray(child)) {
        problems.push({
          key: `${NAMESPACE}:${path.join(".")}`,
          message: `conflicts with ${NAMESPACE}:${seg}, which is not an object`,
        });
        break;
      }
      node = node[seg] as Record<string, unknown>;
    }
    node[path[path.length - 1]] = v;
  }
  return out;
}

function parseValue(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

function toProblems(issue: z.core.$ZodIssue, raw: unknown): ConfigProblem[] {
  const path = issue.path.map(String);
  const key = (p: readonly string[]) => `${NAMESPACE}:${p.join(".")}`;
  const given = redact(valueAt(raw, path), path[path.length - 1]);
  if (issue.code === "unrecognized_keys") {
    const siblings = knownKeysAt(path);
    return issue.keys.map((k) => {
      const guess = didYouMean(k, siblings);
      return {
        key: key([...path, k]),
        given: redact(valueAt(raw, [...path, k]), k),
        message: `unknown key${guess ? `; did you mean ${key([...path, guess])}?` : ""} (allowed: ${siblings.join(", ")})`,
      };
    });
  }
  return [{ key: key(path), given, message: describe(issue, given) }];
}

function describe(issue: z.core.$ZodIssue, given: unknown): string {
  switch (issue.code) {
    case "invalid_type":
      return given === undefined ? "is required" : `must be ${article(issue.expected)}`;
    case "invalid_value":
      return `must be one of: ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "too_small":
      return issue.origin === "array"
        ? `needs at least ${String(issue.minimum)} item(s)`
        : `must be >= ${String(issue.minimum)}`;
    case "too_big":
      return issue.origin === "array"
        ? `allows at most ${String(issue.maximum)} item(s)`
        : `must be <= ${String(issue.maximum)}`;
    default:
      return issue.message;
  }
}

function article(t: string): string {
  return /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`;
}

/** Keys whose values never appear in an error message (private keys, tokens). */
const SENSITIVE_KEY = /(keyPem|token|password)$/i;

/** Replaces sensitive values, at any depth, so a config error cannot leak a private key. */
export function redact(v: unknown, key = ""): unknown {
  if (SENSITIVE_KEY.test(key) && v !== undefined) return "<redacted>";
  if (Array.isArray(v)) return v.map((x) => redact(x));
  if (typeof v === "object" && v !== null) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, redact(x, k)]));
  }
  return v;
}

function valueAt(raw: unknown, path: readonly string[]): unknown {
  let node = raw;
  for (const seg of path) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string, unknown>)[seg];
  }
  return node;
}

/** The keys the schema allows at a path, for "did you mean" and "allowed:" hints. */
export function knownKeysAt(path: readonly string[]): string[] {
  let schemas: z.core.$ZodType[] = [meshliftSchema];
  for (const seg of path) schemas = schemas.flatMap((s) => childSchemas(s, seg));
  return [...new Set(schemas.flatMap((s) => objectKeys(s)))].sort();
}

function unwrap(s: z.core.$ZodType): z.core.$ZodType[] {
  const def = s._zod.def as unknown as Record<string, unknown>;
  if (def.type === "union") return (def.options as z.core.$ZodType[]).flatMap(unwrap);
  for (const k of ["innerType", "in"]) {
    if (def[k]) return unwrap(def[k] as z.core.$ZodType);
  }
  return [s];
}

function objectKeys(s: z.core.$ZodType): string[] {
  return unwrap(s).flatMap((u) => {
    const def = u._zod.def as unknown as { type: string; shape?: Record<string, unknown> };
    return def.type === "object" && def.shape ? Object.keys(def.shape) : [];
  });
}

function childSchemas(s: z.core.$ZodType, seg: string): z.core.$ZodType[] {
  return unwrap(s).flatMap((u) => {
    const def = u._zod.def as unknown as {
      type: string;
      shape?: Record<string, z.core.$ZodType>;
      element?: z.core.$ZodType;
    };
    if (def.type === "object" && def.shape?.[seg]) return [def.shape[seg]];
    if (def.type === "array" && def.element && /^\d+$/.test(seg)) return [def.element];
    return [];
  });
}
