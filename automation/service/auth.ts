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
  /** Who holds the token, from the optional label after it (`operate:<token> ci-deployer`). */
  readonly label?: string;
}

/** A label names a token's holder in operation records: letters, digits and `._@-`, up to 64. */
export const TOKEN_LABEL = /^[A-Za-z0-9._@-]{1,64}$/;

/**
 * The non-secret name recorded as who started an operation: the token's label, else its scope and
 * the first 8 hex digits of its SHA-256 (enough to tell tokens apart, nothing to authenticate with).
 */
export function tokenIdentity(t: Pick<TokenEntry, "scope" | "hash" | "label">): string {
  return t.label ?? `${t.scope}:${t.hash.subarray(0, 4).toString("hex")}`;
}

function sha256(s: string): Buffer {
  return crypto.createHash("sha256").update(s, "utf8").digest();
}

/**
 * Parses `scope:token [label]` entries, one per line or separated by commas; `#` starts a comment.
 * A bearer token cannot hold whitespace, so whatever follows the token after a space is its label.
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
    const [token = "", ...rest] = idx > 0 ? item.slice(idx + 1).split(/\s+/) : [];
    const label = rest.join(" ");
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
    if (label && !TOKEN_LABEL.test(label)) {
      throw new Error(
        // The label is not quoted: a token pasted with a space in it would otherwise be printed.
        `${source}: entry ${i + 1} (${scope}) has an invalid label after the token: a label is one word of 1-64 letters, digits, '.', '_', '@' or '-'`,
      );
    }
    entries.push({ scope: scope as Scope, hash: sha256(token), ...(label ? { label } : {}) });
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
  | { readonly ok: true; readonly scope: Scope; readonly identity: string }
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
    let found: TokenEntry | undefined;
    // Every entry is compared, hit or miss, so the time taken says nothing about which one matched.
    for (const t of this.tokens) {
      if (crypto.timingSafeEqual(presented, t.hash) && found === undefined) found = t;
    }
    if (found === undefined) return { ok: false, status: 401, message: "invalid bearer token" };
    if (!scopeAllows(found.scope, need)) {
      return {
        ok: false,
        status: 403,
        message: `this token has scope "${found.scope}"; this request needs "${need}"`,
      };
    }
    return { ok: true, scope: found.scope, identity: tokenIdentity(found) };
  }
}
