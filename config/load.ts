// Reads the stack config once: flat Pulumi config map in, one typed, validated object out (or a ConfigError).
import { z } from "zod";
import { ConfigError, ConfigProblem, didYouMean } from "./errors";
import { Phase } from "../phases/phases";
import {
  forbiddenSegment,
  KNOWN_NAMESPACES,
  MAX_CONFIG_DEPTH,
  NAMESPACE,
  refusedSegmentMessage,
  splitKey,
  valueProblem,
} from "./keys";
import { shownValue } from "./redact";
import { SUPPORTED_REGIONS } from "./regions";
import { meshliftSchema, MeshliftSchemaOutput } from "./schema";
import { configValue, knownKeysAt, redact, schemasAt } from "./schema-paths";
import { LoadedNamespace } from "./conversions";
import { CrossSectionResult, crossSectionRules, LoadOptions, phaseProblems } from "./cross-section";
import { AwsIdentity, awsIdentity } from "./sections/aws";
import { CreateClusterConfig, ExistingClusterConfig } from "./sections/cluster";
import { ObservabilityConfig } from "./sections/observability";
import { qualifyKey, readStackFile } from "./stack-file";
import { loadFleetEnvironment, readFleetEnvironments } from "../fleet/environments";
import type { FleetEnvironmentInput } from "../fleet/render";

export type { LoadOptions };

export { NAMESPACE };

/** The validated stack config handed to components, with what its export files say. */
export type MeshliftConfig = Omit<MeshliftSchemaOutput, "cluster" | "observability"> & {
  readonly stack: string;
  /** From `aws:region`. */
  readonly region: string;
  /** From `aws:profile` and `aws:assumeRoles`: the identity kubeconfigs authenticate as. */
  readonly awsIdentity: AwsIdentity;
  readonly cluster: CreateClusterConfig | ExistingClusterConfig;
  /** The `observability` section with every toggle decided. */
  readonly observability: ObservabilityConfig;
  /** Each `migration.namespaces` entry with its App Mesh export and that export's conversion. */
  readonly namespaces: readonly LoadedNamespace[];
  /** With a `fleet` section: each environment's stack file, read and validated. @default [] */
  readonly fleetEnvironments: readonly FleetEnvironmentInput[];
};

/** The full key of a path in the `meshlift:` namespace, as users type it. */
function configKey(path: readonly (string | number)[]): string {
  return `${NAMESPACE}:${path.join(".")}`;
}

const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;

/**
 * Parses a flat config map (`"<namespace>:<key>" -> string`, objects as JSON strings), the shape the
 * Pulumi runtime and flattened stack files share, and reads the export files it names. Every rule,
 * the schema's and those across sections and files, runs in this one pass: throws one ConfigError
 * naming every bad key.
 */
export function parseConfig(
  stack: string,
  flat: Readonly<Record<string, string>>,
  opts: LoadOptions = {},
): MeshliftConfig {
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
      given: shownValue(region),
      message: "must be an AWS region such as eu-west-1",
    });
  } else if (!SUPPORTED_REGIONS.includes(region)) {
    // Checked here, not where the Route 53 alias needs the region's NLB zone (mid-run, with a trace).
    problems.push({
      key: "aws:region",
      given: region,
      message: `is not a region meshlift supports: its Network Load Balancer alias zone is not known (supported: ${SUPPORTED_REGIONS.join(", ")})`,
    });
  }

  const identity = awsIdentity(flat, problems);

  const parsed = meshliftSchema.safeParse(raw);
  if (!parsed.success) problems.push(...parsed.error.issues.flatMap((i) => toProblems(i, raw)));
  const sections = parsed.success ? parsed.data : parseSections(raw);
  const derived = crossSectionRules(stack, configKey, sections, opts, problems);
  const fleet =
    sections.fleet && opts.readFleet !== false
      ? readFleetEnvironments(
          opts.projectDir ?? process.cwd(),
          sections.fleet.stacks,
          configKey,
          (s, f) => parseConfig(s, f, { ...opts, readFleet: false }),
        )
      : undefined;
  if (fleet) problems.push(...fleet.problems);
  if (problems.length > 0 || !parsed.success || region === undefined) {
    throw new ConfigError(stack, problems);
  }
  return finish(stack, region, parsed.data, derived, fleet?.environments ?? [], identity);
}

/**
 * The environments `meshlift fleet render` names, each read and parsed as its own stack; the first
 * bad one throws (StackNotFoundError, ConfigError or FleetError).
 */
export function loadFleetEnvironments(
  projectDir: string,
  stacks: readonly string[],
): FleetEnvironmentInput[] {
  const inFleet = new Set(stacks);
  return stacks.map((stack) =>
    loadFleetEnvironment(projectDir, stack, inFleet, (s, f) =>
      parseConfig(s, f, { projectDir, readFleet: false }),
    ),
  );
}

/** Each section parsed on its own, when the whole failed: the cross-section rules run on the good ones. */
function parseSections(raw: Record<string, unknown>): Partial<MeshliftSchemaOutput> {
  const out: Record<string, unknown> = {};
  for (const [k, schema] of Object.entries(meshliftSchema.shape)) {
    const r = (schema as z.ZodType).safeParse(raw[k]);
    if (r.success) out[k] = r.data;
  }
  return out;
}

/** Defaults that depend on other keys. */
function finish(
  stack: string,
  region: string,
  c: MeshliftSchemaOutput,
  derived: CrossSectionResult,
  fleetEnvironments: readonly FleetEnvironmentInput[],
  awsIdentity: AwsIdentity,
): MeshliftConfig {
  const cluster =
    c.cluster.mode === "create"
      ? {
          ...c.cluster,
          name: c.cluster.name ?? `meshlift-${c.environment}`,
          protect: c.cluster.protect ?? c.environment.startsWith("prod"),
        }
      : c.cluster;
  // The whole parsed, so the section parsed and its toggles were decided.
  const observability = derived.observability as ObservabilityConfig;
  return {
    ...c,
    stack,
    region,
    awsIdentity,
    cluster,
    observability,
    namespaces: derived.namespaces,
    fleetEnvironments,
  };
}

/** A stack's config file read once and parsed: what a command, the offline plan and the service start from. */
export interface LoadedStack {
  /** The flat config as the Pulumi runtime carries it, overrides applied. */
  readonly flat: Readonly<Record<string, string>>;
  /** Keys whose values are `secure:` ciphertext (offline they read "[secret]"). */
  readonly secretKeys: readonly string[];
  readonly config: MeshliftConfig;
}

export interface LoadStackOptions extends LoadOptions {
  /** Extra config, `key -> value` as `pulumi config set` takes it (`meshlift:` is implied). @default {} */
  readonly set?: Readonly<Record<string, string>>;
  /** Overrides `meshlift:phase`. @default the file's */
  readonly phase?: Phase;
}

/** Reads `stacks/Pulumi.<stack>.yaml` under `projectDir`, applies `set` then `phase`, and parses it all once. */
export function loadStack(stack: string, opts: LoadStackOptions = {}): LoadedStack {
  const file = readStackFile(opts.projectDir ?? process.cwd(), stack);
  const flat = { ...file.config };
  for (const [k, v] of Object.entries(opts.set ?? {})) flat[qualifyKey(k)] = v;
  if (opts.phase) flat[`${NAMESPACE}:phase`] = opts.phase;
  return { flat, secretKeys: file.secretKeys, config: parseConfig(stack, flat, opts) };
}

/**
 * The same loaded stack at another phase, without reading or parsing anything again: only the rule
 * that depends on the phase (no namespace left on App Mesh where it is removed) is checked anew.
 */
export function atPhase(s: LoadedStack, phase: Phase): LoadedStack {
  const c = s.config;
  const problems = phaseProblems(phase, c.migration, configKey);
  if (problems.length) throw new ConfigError(c.stack, problems);
  return {
    ...s,
    flat: { ...s.flat, [`${NAMESPACE}:phase`]: phase },
    config: { ...c, phase },
  };
}

/**
 * Picks the `meshlift:` keys, parses their values and expands dotted keys (`istio.mode`) into
 * objects. A dotted key deep-merges into the section (`cluster.nodeGroups` keeps what it does not
 * name); more specific keys win, and a numeric segment indexes a list. Keys outside the known
 * namespaces, and `__proto__`/`prototype`/`constructor` segments anywhere, are problems: objects
 * are built without prototypes, so that no key can reach one.
 */
function collectNamespace(
  flat: Readonly<Record<string, string>>,
  problems: ConfigProblem[],
): Record<string, unknown> {
  const out = Object.create(null) as Record<string, unknown>;
  const entries: [string[], unknown][] = [];
  for (const [fullKey, value] of Object.entries(flat)) {
    const { namespace, key: rawKey } = splitKey(fullKey);
    if (namespace === undefined || !KNOWN_NAMESPACES.includes(namespace)) {
      problems.push({ key: fullKey, message: unknownNamespaceMessage(namespace, rawKey) });
      continue;
    }
    if (namespace !== NAMESPACE) continue;
    const key = rawKey.replace(/^config:/, "");
    const path = key.split(".");
    const refused = forbiddenSegment(path);
    if (refused !== undefined || path.some((s) => s === "")) {
      problems.push({
        key: fullKey,
        message: refused
          ? refusedSegmentMessage(refused)
          : "has an empty segment (keys are dot-separated names)",
      });
      continue;
    }
    const v = configValue(key, value);
    const bad = valueProblem(v, MAX_CONFIG_DEPTH - path.length);
    if (bad) {
      problems.push({
        key: `${NAMESPACE}:${[...path, ...bad.path].join(".")}`,
        message: bad.message,
      });
      continue;
    }
    entries.push([path, nullPrototype(v)]);
  }
  // Shorter paths first: `cluster` is the base that `cluster.nodeGroups` merges into.
  entries.sort((a, b) => a[0].length - b[0].length);
  for (const [path, v] of entries) mergeAt(out, path, v, problems);
  return out;
}

function unknownNamespaceMessage(namespace: string | undefined, key: string): string {
  const allowed = KNOWN_NAMESPACES.map((n) => `${n}:`).join(", ");
  const hint = schemasAt(key.split(".")).length > 0 ? `; did you mean ${NAMESPACE}:${key}?` : "";
  return namespace === undefined
    ? `has no namespace (expected ${NAMESPACE}:${key})`
    : `is in namespace "${namespace}:", which this program does not read (allowed: ${allowed})${hint}`;
}

/** Sets `path` under `root`: objects deep-merge into what is there, anything else replaces it. */
function mergeAt(
  root: Record<string, unknown>,
  path: readonly string[],
  v: unknown,
  problems: ConfigProblem[],
): void {
  let node: unknown = root;
  for (let i = 0; i < path.length - 1; i++) {
    const seg = path[i];
    const existing = childOf(node, seg);
    if (existing === undefined) {
      const created = Object.create(null) as Record<string, unknown>;
      if (!setChild(node, seg, created)) return conflict(path, i, node, problems);
      node = created;
    } else if (typeof existing === "object" && existing !== null) {
      node = existing;
    } else {
      return conflict(path, i + 1, existing, problems);
    }
  }
  const last = path[path.length - 1];
  const existing = childOf(node, last);
  if (
    !setChild(node, last, isPlainObject(existing) && isPlainObject(v) ? deepMerge(existing, v) : v)
  )
    conflict(path, path.length - 1, node, problems);
}

/** A dotted key that walks into a value that cannot hold it (a string, or a list by a name). */
function conflict(path: readonly string[], at: number, found: unknown, problems: ConfigProblem[]) {
  const holder = `${NAMESPACE}:${path.slice(0, at).join(".")}`;
  const what = Array.isArray(found)
    ? `a list (index it with a number, 0 to ${found.length})`
    : `${JSON.stringify(shownValue(found))}, not an object`;
  problems.push({
    key: `${NAMESPACE}:${path.join(".")}`,
    message: `cannot be set: ${holder} is ${what}`,
  });
}

function childOf(node: unknown, seg: string): unknown {
  if (typeof node !== "object" || node === null) return undefined;
  return Object.prototype.hasOwnProperty.call(node, seg)
    ? (node as Record<string, unknown>)[seg]
    : undefined;
}

/** Sets an own property; a list takes only an index up to its length (appending one). */
function setChild(node: unknown, seg: string, v: unknown): boolean {
  if (Array.isArray(node)) {
    if (!/^\d+$/.test(seg) || Number(seg) > node.length) return false;
    node[Number(seg)] = v;
    return true;
  }
  if (typeof node !== "object" || node === null) return false;
  (node as Record<string, unknown>)[seg] = v;
  return true;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** `over` merged into a copy of `base`, recursively for objects; lists and values replace. */
function deepMerge(
  base: Record<string, unknown>,
  over: Record<string, unknown>,
): Record<string, unknown> {
  const out = Object.assign(Object.create(null) as Record<string, unknown>, base);
  for (const [k, v] of Object.entries(over)) {
    const b = Object.prototype.hasOwnProperty.call(out, k) ? out[k] : undefined;
    out[k] = isPlainObject(b) && isPlainObject(v) ? deepMerge(b, v) : v;
  }
  return out;
}

/** A parsed value rebuilt from prototype-free objects (its keys were checked by valueProblem). */
function nullPrototype(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(nullPrototype);
  if (!isPlainObject(v)) return v;
  const out = Object.create(null) as Record<string, unknown>;
  for (const [k, x] of Object.entries(v)) out[k] = nullPrototype(x);
  return out;
}

function toProblems(issue: z.core.$ZodIssue, raw: unknown): ConfigProblem[] {
  const path = issue.path.map(String);
  const key = (p: readonly string[]) => `${NAMESPACE}:${p.join(".")}`;
  const given = givenAt(raw, path);
  if (issue.code === "unrecognized_keys") {
    const siblings = knownKeysAt(path);
    return issue.keys.map((k) => {
      const guess = didYouMean(k, siblings);
      return {
        key: key([...path, k]),
        given: givenAt(raw, [...path, k]),
        message: `unknown key${guess ? `; did you mean ${key([...path, guess])}?` : ""} (allowed: ${siblings.join(", ")})`,
      };
    });
  }
  return [{ key: key(path), given, message: describe(issue, given) }];
}

/** The value at `path` as an error may show it: redacted, then bounded. */
function givenAt(raw: unknown, path: readonly string[]): unknown {
  const v = valueAt(raw, path);
  return v === undefined ? undefined : shownValue(redact(v, path));
}

function describe(issue: z.core.$ZodIssue, given: unknown): string {
  switch (issue.code) {
    case "invalid_type":
      return given === undefined
        ? "is required"
        : `must be ${article(issue.expected === "record" ? "object" : issue.expected)}`;
    case "invalid_value":
      return `must be one of: ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "invalid_key":
      return `key ${issue.issues.map((i) => i.message).join("; ")}`;
    case "too_small":
      return issue.origin === "array"
        ? `needs at least ${String(issue.minimum)} item(s)`
        : issue.origin === "string"
          ? `must be at least ${String(issue.minimum)} character(s)`
          : `must be >= ${String(issue.minimum)}`;
    case "too_big":
      return issue.origin === "array"
        ? `allows at most ${String(issue.maximum)} item(s)`
        : issue.origin === "string"
          ? `must be at most ${String(issue.maximum)} characters`
          : `must be <= ${String(issue.maximum)}`;
    default:
      return issue.message;
  }
}

function article(t: string): string {
  return /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`;
}

function valueAt(raw: unknown, path: readonly string[]): unknown {
  let node = raw;
  for (const seg of path) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string, unknown>)[seg];
  }
  return node;
}
