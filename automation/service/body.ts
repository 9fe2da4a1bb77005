// Hostile request bodies: nesting bounded before JSON.parse, prototype keys refused, the JSON content type recognised.
import { FORBIDDEN_SEGMENTS, refusedSegmentMessage } from "../../config/keys";

/** An operation request is two levels deep (`config` -> value); anything far deeper is not one. */
export const MAX_BODY_DEPTH = 8;

/**
 * The offset where `[`/`{` nesting of JSON text first exceeds `max` (strings skipped), or -1.
 * Checked before parsing, so a deep body never reaches JSON.parse, a validator or an error reply.
 */
export function jsonDepthExceeded(text: string, max = MAX_BODY_DEPTH): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i += 1; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth += 1;
      if (depth > max) return i;
    } else if (c === 0x5d || c === 0x7d) depth -= 1;
  }
  return -1;
}

/** The path of the first `__proto__`/`prototype`/`constructor` key in a parsed body, if any. */
export function forbiddenKeyPath(v: unknown, path: string[] = []): string[] | undefined {
  if (typeof v !== "object" || v === null) return undefined;
  for (const [k, x] of Object.entries(v)) {
    if (FORBIDDEN_SEGMENTS.has(k)) return [...path, k];
    const found = forbiddenKeyPath(x, [...path, k]);
    if (found) return found;
  }
  return undefined;
}

export function forbiddenKeyMessage(path: readonly string[]): string {
  return refusedSegmentMessage(path[path.length - 1]);
}

/** True for `application/json` and `application/<x>+json`, with or without parameters. */
export function isJsonContentType(header: string | undefined): boolean {
  if (!header) return false;
  const type = header.split(";")[0].trim().toLowerCase();
  return type === "application/json" || /^application\/[\w.-]+\+json$/.test(type);
}
