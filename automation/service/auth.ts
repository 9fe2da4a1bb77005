// Bearer tokens with scopes (read < operate < admin), loaded from a file or env var and compared in constant time.
import * as crypto from "node:crypto";
import * as fs from "node:fs";

export const SCOPES = ["read", "operate", "admin"] as const;
export type Scope = (typeof SCOPES)[number];

/** Tokens shorter than this are refused when loading: they can be guessed. */
export const MIN_TOKEN_LENGTH = 16;

export interface TokenEntry {
  readonly scope: Scope;
  /** SHA-256 of the token; the token itself is not kept. */
  readonly hash: Buffer;
}

function sha256(s: string): Buffer {
  return crypto.createHash("sha256").update(s, "utf8").digest();
}

/**
 * Parses `scope:token` entries, one per line or separated by commas; `#` starts a comment.
 * `source` names where they came from, for the error message.
 */
export function parseTokens(text: string, source: string): TokenEntry[] {
  const entries: TokenEntry[] = [];
  const items = text
    .split(/\r?\n/)
    .map((l) => l.replace(/#.*$/, ""))
    .flatMap((l) => l.split(","))
    .map((s) => s.trim())
    .filter(Boolean);
  items.forEach((item, i) => {
    const idx = item.indexOf(":");
    const scope = idx > 0 ? item.slice(0, idx) : "";
    const token = idx > 0 ? item.slice(idx + 1) : "";
    if (!(SCOPES as readonly string[]).includes(scope)) {
      throw new Error(
        `${source}: entry ${i + 1} has scope "${scope || item.slice(0, 8)}": expected "<scope>:<token>" with scope one of ${SCOPES.join(", ")}`,
      );
    }
    if (token.length < MIN_TOKEN_LENGTH) {
      throw new Error(
        `${source}: entry ${i + 1} (${scope}) has a token of ${token.length} characters; at least ${MIN_TOKEN_LENGTH} are required`,
      );
    }
    entries.push({ scope: scope as Scope, hash: sha256(token) });
  });
  return entries;
}

export function loadTokenFile(file: string): TokenEntry[] {
  return parseTokens(fs.readFileSync(file, "utf8"), file);
}

/** A new random token, for a first start with no token configured. */
export function generateToken(): string {
  return crypto.randomBytes(32).toString("base64url");
}

export type AuthResult =
  | { readonly ok: true; readonly scope: Scope }
  | { readonly ok: false; readonly status: 401 | 403; readonly message: string };

export function scopeAllows(have: Scope, need: Scope): boolean {
  return SCOPES.indexOf(have) >= SCOPES.indexOf(need);
}

export class Authenticator {
  constructor(private readonly tokens: readonly TokenEntry[]) {}

  /** Checks an `Authorization` header for a token with at least `need`. */
  check(header: string | undefined, need: Scope): AuthResult {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
    if (!m) {
      return {
        ok: false,
        status: 401,
        message: "missing bearer token: send `Authorization: Bearer <token>`",
      };
    }
    const presented = sha256(m[1]);
    let found: Scope | undefined;
    // Every entry is compared, hit or miss, so the time taken says nothing about which one matched.
    for (const t of this.tokens) {
      if (crypto.timingSafeEqual(presented, t.hash) && found === undefined) found = t.scope;
    }
    if (found === undefined) return { ok: false, status: 401, message: "invalid bearer token" };
    if (!scopeAllows(found, need)) {
      return {
        ok: false,
        status: 403,
        message: `this token has scope "${found}"; this request needs "${need}"`,
      };
    }
    return { ok: true, scope: found };
  }
}
