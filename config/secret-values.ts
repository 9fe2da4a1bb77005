// Which plain values look like credentials: shared by `fleet render` (stack config) and the policy pack (manifests, Helm values).
import { SECRET_PLACEHOLDER } from "./stack-file";

/**
 * Keys whose values are credentials (names of Secrets, such as `existingSecret`, are not). "token"
 * alone is too wide (`restartToken` is a counter), so only the credential kinds of token count.
 */
const SENSITIVE_KEYS: readonly RegExp[] = [
  /(password|passwd|passphrase|privatekey|keypem|secretkey|secretaccesskey|clientsecret|apikey)$/i,
  /^(.*[._-])?(access|bearer|api|auth|refresh|session|id)?token$/i,
];

function sensitiveKey(key: string): boolean {
  return SENSITIVE_KEYS.some((re) => re.test(key));
}

/** Values that are credentials whatever their key. */
const SECRET_SHAPES: readonly [RegExp, string][] = [
  [/-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY-----/, "a PEM private key"],
  [/\b(AKIA|ASIA)[0-9A-Z]{16}\b/, "an AWS access key id"],
  [/\bpul-[0-9a-f]{40}\b/, "a Pulumi access token"],
  [/\bgh[pousr]_[A-Za-z0-9]{36,}\b/, "a GitHub token"],
];

/** Stand-ins that are not values: offline unknowns, empty strings, templated references. */
const NOT_A_VALUE = new Set(["", "<computed>", "<redacted>"]);

export interface SecretFinding {
  /** Dotted path below the value given, e.g. `rootCa.keyPem` (empty for the value itself). */
  readonly path: string;
  /** What it looks like, never the value. */
  readonly reason: string;
}

export interface SecretScanOptions {
  /**
   * Whether the offline secret placeholder ("[secret]") counts as a secret value: in Helm values a
   * Pulumi secret still lands in the release's stored values, so it does; in stack config it is the
   * encrypted value itself, so it does not. @default false
   */
  readonly placeholderIsSecret?: boolean;
  /** Key of the value given, when it has one. @default "" */
  readonly key?: string;
}

/** Every place in `value` (any depth) that holds what looks like a credential in plain text. */
export function plainSecrets(value: unknown, opts: SecretScanOptions = {}): SecretFinding[] {
  const found: SecretFinding[] = [];
  const walk = (v: unknown, key: string, path: string, depth: number) => {
    if (depth > 64) return;
    if (typeof v === "string") {
      if (v === SECRET_PLACEHOLDER) {
        if (opts.placeholderIsSecret) found.push({ path, reason: "a secret value" });
        return;
      }
      for (const [re, what] of SECRET_SHAPES) {
        if (re.test(v)) {
          found.push({ path, reason: what });
          return;
        }
      }
      if (sensitiveKey(key) && !NOT_A_VALUE.has(v.trim()) && !/^\$\{.*\}$/.test(v)) {
        found.push({ path, reason: `a plain value under the credential key "${key}"` });
      }
      return;
    }
    if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, key, path ? `${path}.${i}` : String(i), depth + 1));
      return;
    }
    if (typeof v === "object" && v !== null) {
      for (const [k, x] of Object.entries(v)) walk(x, k, path ? `${path}.${k}` : k, depth + 1);
    }
  };
  walk(value, opts.key ?? "", "", 0);
  return found;
}
