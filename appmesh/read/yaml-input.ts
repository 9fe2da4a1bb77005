// Input files -> one value per YAML/JSON document: js-yaml on the fast path, the `yaml` package as the reference.
import * as jsyaml from "js-yaml";
import * as YAML from "yaml";
import { InputError, SourceFile } from "../types";

/**
 * YAML 1.2 core schema as the `yaml` package reads it: js-yaml's CORE_SCHEMA also reads `0b101` as a number,
 * which YAML 1.2 (and so the reference parser) keeps as a string.
 */
const INT_12 = new jsyaml.Type("tag:yaml.org,2002:int", {
  kind: "scalar",
  resolve: (d) => !(typeof d === "string" && /^[-+]?0b/.test(d)) && jsyaml.types.int.resolve(d),
  construct: (d) => {
    const n = jsyaml.types.int.construct(d);
    return n === 0 && typeof d === "string" && d.startsWith("-") ? -0 : n;
  },
  ...(jsyaml.types.int.predicate ? { predicate: jsyaml.types.int.predicate } : {}),
  ...(jsyaml.types.int.represent ? { represent: jsyaml.types.int.represent } : {}),
  ...(jsyaml.types.int.defaultStyle ? { defaultStyle: jsyaml.types.int.defaultStyle } : {}),
});
const SCHEMA_12 = jsyaml.FAILSAFE_SCHEMA.extend({
  implicit: [jsyaml.types.null, jsyaml.types.bool, INT_12, jsyaml.types.float],
});

/** An anchor (`&name`) where a node may start: only then can the input hold aliases. */
const ANCHOR = /(?:^|[\s[{,])&[^\s,[\]{}]/m;

/**
 * Alias nodes allowed per document on the fast path. js-yaml hands aliases on as shared (unexpanded) objects,
 * so a few cannot blow up later walks (at most 2^5 = 32x); more go to the reference parser, whose
 * maxAliasCount rejects alias bombs as before.
 */
const MAX_FAST_ALIASES = 10;

/**
 * Nesting allowed in a document. App Mesh specs nest about a dozen levels, but what a cluster holds may nest
 * deeper in fields the CRD does not define (discover exports them as they are, and the precheck warns about
 * them), so the bound is well above js-yaml's default of 100; the same bound on the reference path keeps the
 * recursive walks after parsing (schema, API spellings) far from the stack limit.
 */
export const MAX_DEPTH = 500;

/** Counts alias nodes per document: js-yaml leaves `kind` unset only for aliases and empty nodes. */
function aliasCounter(counts: number[]) {
  return (event: "open" | "close", state: unknown) => {
    const s = state as { kind: string | null; result: unknown; documents: unknown[] };
    if (event === "close" && s.kind === null && s.result !== null) {
      const i = s.documents.length;
      counts[i] = (counts[i] ?? 0) + 1;
    }
  };
}

/** The nesting depth of a parsed value, walked without recursion and given up past `limit`. */
export function depthOf(value: unknown, limit = MAX_DEPTH): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  const seen = new Set<object>();
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== "object" || seen.has(v)) continue;
    seen.add(v);
    max = Math.max(max, d + 1);
    if (max > limit) return max;
    for (const x of Object.values(v)) stack.push([x, d + 1]);
  }
  return max;
}

/**
 * One value per document (null for empty ones). js-yaml is the fast path (the `yaml` package is ~20x slower on
 * large exports); the `yaml` package stays the reference for anything unusual, so behaviour does not change:
 * - syntax errors: it names the first broken document and its line, which js-yaml cannot (it stops at the
 *   first error with no document index);
 * - many aliases: its maxAliasCount guards against alias bombs;
 * - tags js-yaml's core schema does not know (CloudFormation `!Ref`...), which the `yaml` package keeps as
 *   plain values.
 */
export function parseDocuments(f: SourceFile): unknown[] {
  const aliases: number[] = [];
  try {
    const docs = jsyaml.loadAll(f.content, null, {
      filename: f.path,
      schema: SCHEMA_12,
      maxDepth: MAX_DEPTH,
      // Only inputs with anchors can hold aliases: the others skip the per-node callback.
      ...(ANCHOR.test(f.content) ? { listener: aliasCounter(aliases) } : {}),
    });
    if (aliases.every((n) => n <= MAX_FAST_ALIASES)) return docs;
  } catch (e) {
    if (!(e instanceof jsyaml.YAMLException)) throw e;
    if (/nesting exceeded maxDepth/.test(e.reason)) {
      const line = e.mark ? ` at line ${e.mark.line + 1}` : "";
      throw new InputError(f.path, undefined, `nested deeper than ${MAX_DEPTH} levels${line}`);
    }
    // Fall through: the reference parser gives the error (or the value) with its document index.
  }
  return parseDocumentsReference(f);
}

function parseDocumentsReference(f: SourceFile): unknown[] {
  const docs = YAML.parseAllDocuments(f.content);
  const list = Array.isArray(docs) ? docs : [];
  // Syntax errors anywhere in the file come first: they say the file is not what the user thinks it is.
  list.forEach((doc, i) => {
    if (doc.errors.length > 0) {
      const e = doc.errors[0];
      const where = e.linePos?.[0]
        ? ` at line ${e.linePos[0].line}, column ${e.linePos[0].col}`
        : "";
      const msg = e.message.split("\n")[0].replace(/ at line \d+, column \d+:?\s*$/, "");
      throw new InputError(f.path, i, `not valid YAML/JSON${where}: ${msg}`);
    }
  });
  return list.map((doc, i) => {
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 }) as unknown;
    } catch (e) {
      // Unresolved aliases and alias bombs (maxAliasCount) surface here, not in doc.errors; a nesting deep
      // enough for the parser's own recursion surfaces as a RangeError.
      if (e instanceof RangeError) {
        throw new InputError(f.path, i, `nested deeper than ${MAX_DEPTH} levels`);
      }
      if (!(e instanceof ReferenceError)) throw e;
      throw new InputError(f.path, i, `not valid YAML/JSON: ${e.message}`);
    }
    if (depthOf(value) > MAX_DEPTH) {
      throw new InputError(f.path, i, `nested deeper than ${MAX_DEPTH} levels`);
    }
    return value;
  });
}
