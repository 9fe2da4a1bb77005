// Config keys as users type them (`meshlift:cluster.vpc.cidr`): namespaces, path segments, and the segments refused everywhere.

export const NAMESPACE = "meshlift";

/**
 * Namespaces a stack may hold config for: meshlift's own and the providers the program uses (and
 * `pulumi:`, which the engine reserves). Anything else (`config:phase`, a typo such as `meshlfit:`)
 * would be silently ignored, so it is refused.
 */
export const KNOWN_NAMESPACES: readonly string[] = [
  NAMESPACE,
  "aws",
  "awsx",
  "eks",
  "kubernetes",
  "tls",
  "pulumi",
];

/**
 * Path segments that would reach an object's prototype when a key is split and walked. Refused in
 * every key (stack files, `--set`, the service) and in every object key of a config value.
 */
export const FORBIDDEN_SEGMENTS: ReadonlySet<string> = new Set([
  "__proto__",
  "prototype",
  "constructor",
]);

/** Deepest nesting accepted in a config value (the schema's deepest key is far less deep). */
export const MAX_CONFIG_DEPTH = 32;

export function forbiddenSegment(segments: readonly string[]): string | undefined {
  return segments.find((s) => FORBIDDEN_SEGMENTS.has(s));
}

/** `"<namespace>:<key>"` split at the first colon; a key without one has no namespace. */
export function splitKey(fullKey: string): { namespace: string | undefined; key: string } {
  const i = fullKey.indexOf(":");
  return i < 0
    ? { namespace: undefined, key: fullKey }
    : { namespace: fullKey.slice(0, i), key: fullKey.slice(i + 1) };
}

/**
 * Why a parsed config value cannot be used (a refused object key, or nesting beyond
 * MAX_CONFIG_DEPTH), with the path below the value where it is; undefined when it is fine.
 */
export function valueProblem(
  v: unknown,
  maxDepth = MAX_CONFIG_DEPTH,
): { path: string[]; message: string } | undefined {
  const stack: { v: unknown; path: string[] }[] = [{ v, path: [] }];
  while (stack.length > 0) {
    const { v: node, path } = stack.pop() as { v: unknown; path: string[] };
    if (typeof node !== "object" || node === null) continue;
    if (path.length >= maxDepth) {
      return { path, message: `nests deeper than ${maxDepth} levels` };
    }
    for (const [k, child] of Object.entries(node)) {
      if (FORBIDDEN_SEGMENTS.has(k)) {
        return { path: [...path, k], message: refusedSegmentMessage(k) };
      }
      stack.push({ v: child, path: [...path, k] });
    }
  }
  return undefined;
}

export function refusedSegmentMessage(segment: string): string {
  return `"${segment}" is not allowed in a config key (${[...FORBIDDEN_SEGMENTS].join(", ")} are refused)`;
}
