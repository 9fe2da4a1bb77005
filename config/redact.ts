// What counts as a secret in config (schema-marked keys, PEM blocks, tokens) and how values are shown bounded and redacted.
import { z } from "zod";

export const REDACTED = "<redacted>";

/**
 * Marks a schema as secret: `z.string().meta(SECRET_META)`. Its values are replaced in error
 * messages, operation records and anything else shown or stored.
 */
export const SECRET_META = { secret: true } as const;

export function isSecretSchema(s: z.core.$ZodType): boolean {
  return z.globalRegistry.get(s as z.ZodType)?.secret === true;
}

const PEM_BLOCK = /-----BEGIN [A-Z0-9 ]*-----/;
/** Formats of well-known credentials: AWS access keys, Pulumi, GitHub and Slack tokens, JWTs, bearer headers. */
const KNOWN_TOKEN =
  /\b(AKIA|ASIA)[0-9A-Z]{16}\b|\bpul-[0-9a-f]{40}\b|\bgh[pousr]_[A-Za-z0-9]{30,}|\bxox[abprs]-[\w-]{10,}|\beyJ[\w-]{8,}\.[\w-]{8,}\.|\bBearer\s+\S{8,}/;
/** One opaque word of 32+ characters mixing letters and digits (random tokens, API keys). */
const OPAQUE_TOKEN = /^[A-Za-z0-9_+/=-]{32,}$/;

/** True for a value that looks like key material or a credential, whatever key holds it. */
export function looksSecret(v: unknown): boolean {
  if (typeof v !== "string") return false;
  if (PEM_BLOCK.test(v) || KNOWN_TOKEN.test(v)) return true;
  return OPAQUE_TOKEN.test(v) && /[0-9]/.test(v) && /[A-Za-z]/.test(v);
}

/**
 * Names that say "secret" for keys the schema does not know (a misspelt `rootCa.kyePem`, a
 * provider's `aws:secretKey`). Known keys are decided by the schema alone, so that `restartToken`
 * (not a secret) stays readable.
 */
const SECRET_NAME = /(pem|key|token|secret|password|passwd|credential)s?$/i;

export function secretName(key: string): boolean {
  return SECRET_NAME.test(key);
}

/**
 * Replaces every value that looks secret, at any depth. `isSecretKey(path)` decides by key (the
 * schema's marks); values are checked whatever their key.
 */
export function redactDeep(
  v: unknown,
  isSecretKey: (path: readonly string[]) => boolean = () => false,
  path: readonly string[] = [],
): unknown {
  if (v === undefined) return v;
  if (path.length > 0 && isSecretKey(path)) return REDACTED;
  if (looksSecret(v)) return REDACTED;
  if (Array.isArray(v)) return v.map((x, i) => redactDeep(x, isSecretKey, [...path, String(i)]));
  if (typeof v === "object" && v !== null) {
    return Object.fromEntries(
      Object.entries(v).map(([k, x]) => [k, redactDeep(x, isSecretKey, [...path, k])]),
    );
  }
  return v;
}

/** Longest string shown as given in an error. */
const MAX_SHOWN_CHARS = 80;
/** Largest object or array (as JSON) shown as given in an error; bigger ones are described. */
const MAX_SHOWN_JSON = 200;

/**
 * A value as an error may quote it: already redacted, strings cut at 80 characters, objects and
 * arrays shown whole only when small (otherwise described by their size), never deeper than a few
 * levels. Never throws, whatever it is given.
 */
export function shownValue(v: unknown): unknown {
  try {
    if (typeof v === "string") {
      return v.length > MAX_SHOWN_CHARS
        ? `${v.slice(0, MAX_SHOWN_CHARS)}... (${v.length} characters)`
        : v;
    }
    if (typeof v !== "object" || v === null) return v;
    if (depthAtLeast(v, 4)) return describe(v);
    const json = JSON.stringify(v);
    return json.length > MAX_SHOWN_JSON ? describe(v) : v;
  } catch {
    return "<unprintable value>";
  }
}

function describe(v: object): string {
  return Array.isArray(v)
    ? `<array of ${v.length} item(s)>`
    : `<object with ${Object.keys(v).length} key(s)>`;
}

function depthAtLeast(v: unknown, n: number): boolean {
  if (n === 0) return true;
  if (typeof v !== "object" || v === null) return false;
  return Object.values(v).some((x) => depthAtLeast(x, n - 1));
}

const PEM_ANYWHERE = /-----BEGIN ([A-Z0-9 ]*)-----[\s\S]*?(-----END \1-----|$)/g;
const TOKEN_ANYWHERE = new RegExp(KNOWN_TOKEN.source, "g");

/** Free text (an engine's error message) with PEM blocks and known token formats replaced. */
export function scrubText(s: string): string {
  return s.replace(PEM_ANYWHERE, REDACTED).replace(TOKEN_ANYWHERE, REDACTED);
}
