// What the config schema says at a key path: the schemas there, the keys allowed, which are secret, and values with secrets replaced.
import { z } from "zod";
import { NAMESPACE, splitKey } from "./keys";
import { isSecretSchema, looksSecret, REDACTED, secretName } from "./redact";
import { meshliftSchema, STRING_KEYS } from "./schema";

/** A flat config value as the program reads it: JSON, unless the key takes a plain string (or it is not JSON). */
export function configValue(key: string, value: string): unknown {
  if (STRING_KEYS.has(key)) return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

/**
 * Replaces secret values at any depth below `path`, so that no error or record shows a private
 * key: keys the schema marks secret, values that look like key material or tokens, and unknown
 * keys whose name says secret (a misspelt `rootCa.kyePem`).
 */
export function redact(v: unknown, path: readonly string[] = []): unknown {
  if (v === undefined) return v;
  if (path.length > 0) {
    if (isSecretPath(path)) return REDACTED;
    if (schemasAt(path).length === 0 && secretName(path[path.length - 1])) return REDACTED;
  }
  if (looksSecret(v)) return REDACTED;
  if (Array.isArray(v)) return v.map((x, i) => redact(x, [...path, String(i)]));
  if (typeof v === "object" && v !== null) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, redact(x, [...path, k])]));
  }
  return v;
}

/**
 * A flat config map (`"<namespace>:<key>" -> string`) with every secret value replaced (see
 * `redact`), for operation records; `redacted` says whether anything was replaced.
 */
export function redactFlatConfig(flat: Readonly<Record<string, string>>): {
  config: Record<string, string>;
  redacted: boolean;
} {
  const config: Record<string, string> = {};
  let redacted = false;
  for (const [fullKey, value] of Object.entries(flat)) {
    const { namespace, key } = splitKey(fullKey);
    let shown: string;
    if (namespace !== NAMESPACE) {
      shown = secretName(key) || looksSecret(value) ? REDACTED : value;
    } else {
      const path = key.split(".");
      const parsed = configValue(key, value);
      const r = redact(parsed, path);
      shown = r === parsed ? value : typeof r === "string" ? r : JSON.stringify(r);
      if (
        typeof parsed === "object" &&
        parsed !== null &&
        JSON.stringify(r) === JSON.stringify(parsed)
      )
        shown = value;
    }
    if (shown !== value) redacted = true;
    config[fullKey] = shown;
  }
  return { config, redacted };
}

/** The schemas that describe the value at a path (several below a union); none for an unknown key. */
export function schemasAt(path: readonly string[]): z.core.$ZodType[] {
  let schemas: z.core.$ZodType[] = [meshliftSchema];
  for (const seg of path) schemas = schemas.flatMap((s) => childSchemas(s, seg));
  return schemas;
}

/** The keys the schema allows at a path, for "did you mean" and "allowed:" hints. */
export function knownKeysAt(path: readonly string[]): string[] {
  return [...new Set(schemasAt(path).flatMap((s) => objectKeys(s)))].sort();
}

/** True when the schema marks the key at `path` secret (SECRET_META). */
export function isSecretPath(path: readonly string[]): boolean {
  return schemasAt(path).some((s) => isSecretSchema(s) || unwrap(s).some(isSecretSchema));
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
      valueType?: z.core.$ZodType;
    };
    if (def.type === "object" && def.shape && Object.prototype.hasOwnProperty.call(def.shape, seg))
      return [def.shape[seg]];
    if (def.type === "record" && def.valueType) return [def.valueType];
    if (def.type === "array" && def.element && /^\d+$/.test(seg)) return [def.element];
    return [];
  });
}
