// Reads stacks/Pulumi.<stack>.yaml into the flat config map the Pulumi runtime uses.
import * as fs from "node:fs";
import * as path from "node:path";
import YAML, { YAMLError } from "yaml";
import { FileError, readTextFile } from "./files";

export interface StackFile {
  /** `"<namespace>:<key>" -> string` (objects as JSON), as `PULUMI_CONFIG` carries them. */
  readonly config: Record<string, string>;
  /** Keys whose values are `secure:` ciphertext; offline they read as "[secret]". */
  readonly secretKeys: string[];
}

export const SECRET_PLACEHOLDER = "[secret]";

/** Adds `meshlift:` to keys without a namespace, as `pulumi config set` does. */
export function qualifyKey(key: string): string {
  return key.includes(":") ? key : `meshlift:${key}`;
}

export function stackFilePath(projectDir: string, stack: string): string {
  return path.join(projectDir, "stacks", `Pulumi.${stack}.yaml`);
}

/** Names of the stacks that have a config file, sorted. */
export function listStacks(projectDir: string): string[] {
  const dir = path.join(projectDir, "stacks");
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

export class StackNotFoundError extends Error {
  constructor(
    readonly stack: string,
    readonly known: string[],
  ) {
    super(
      `unknown stack "${stack}": no stacks/Pulumi.${stack}.yaml (stacks: ${known.join(", ") || "none"})`,
    );
    this.name = "StackNotFoundError";
  }
}

/** A stack file that cannot be used: unreadable, too large, or not YAML, with the line when known. */
export class StackFileError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(
      `invalid stack file ${file}${line ? `:${line}${column ? `:${column}` : ""}` : ""}: ${reason}`,
    );
    this.name = "StackFileError";
  }
}

/** Stack files are small; anything larger is not one. */
export const MAX_STACK_FILE_BYTES = 1024 * 1024;
/** Deepest nesting read (flow `[[...]]`, or indentation and `- - -`); the YAML parser's recursion is not bounded. */
export const MAX_YAML_DEPTH = 64;

export function readStackFile(projectDir: string, stack: string): StackFile {
  const file = stackFilePath(projectDir, stack);
  if (!fs.existsSync(file)) throw new StackNotFoundError(stack, listStacks(projectDir));
  const shown = path.relative(projectDir, file) || file;
  let text: string;
  try {
    text = readTextFile(file, MAX_STACK_FILE_BYTES);
  } catch (e) {
    throw new StackFileError(shown, e instanceof FileError ? e.reason : String(e));
  }
  const doc = parseStackYaml(shown, text);
  if (doc === null || doc === undefined) return flattenConfig({});
  if (!isMapping(doc))
    throw new StackFileError(shown, "is not a YAML mapping (expected `config:`)");
  const config = doc.config ?? {};
  if (!isMapping(config))
    throw new StackFileError(shown, "`config:` is not a mapping of keys to values");
  return flattenConfig(config);
}

/**
 * Parses a stack file; a tab, a duplicate key, an alias bomb or runaway nesting is a
 * StackFileError with the line and the reason, never a crash.
 */
export function parseStackYaml(file: string, text: string): unknown {
  const deep = flowTooDeep(text, MAX_YAML_DEPTH) ?? blockTooDeep(text, MAX_YAML_DEPTH);
  if (deep) {
    throw new StackFileError(
      file,
      `collections nested deeper than ${MAX_YAML_DEPTH} levels`,
      deep.line,
      deep.column,
    );
  }
  let doc: unknown;
  try {
    // uniqueKeys (a duplicate key is an error) and maxAliasCount are the library's defaults; set here on purpose.
    doc = YAML.parse(text, { uniqueKeys: true, maxAliasCount: 100 }) as unknown;
  } catch (e) {
    if (e instanceof YAMLError) {
      const at = e.linePos?.[0];
      const reason = e.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
      throw new StackFileError(file, `${reason} (${e.code})`, at?.line, at?.col);
    }
    if (e instanceof RangeError) throw new StackFileError(file, "nests too deeply to be read");
    if (e instanceof ReferenceError && /alias/i.test(e.message))
      throw new StackFileError(file, `aliases expand too much: ${e.message}`);
    throw e;
  }
  // The scans above see nesting as text; the result is checked too, for any form they do not count.
  if (deeperThan(doc, MAX_YAML_DEPTH))
    throw new StackFileError(file, "nests too deeply to be read");
  return doc;
}

/** Whether a parsed document nests collections deeper than `max`, walked without recursion. */
function deeperThan(doc: unknown, max: number): boolean {
  const todo: [unknown, number][] = [[doc, 0]];
  while (todo.length) {
    const [v, depth] = todo.pop() as [unknown, number];
    if (typeof v !== "object" || v === null) continue;
    if (depth >= max) return true;
    for (const x of Object.values(v)) todo.push([x, depth + 1]);
  }
  return false;
}

/**
 * Where block nesting (indentation levels plus leading `- ` markers) first exceeds `max`. Lines of
 * a block scalar count too: refused rather than risked, as for flow nesting.
 */
function blockTooDeep(text: string, max: number): { line: number; column: number } | undefined {
  const indents: number[] = [];
  let line = 0;
  for (const raw of text.split("\n")) {
    line += 1;
    const m = /^( *)((?:- +)*)(\S?)/.exec(raw) as RegExpExecArray;
    if (m[3] === "" || m[3] === "#") continue;
    const indent = m[1].length;
    while (indents.length > 0 && indents[indents.length - 1] > indent) indents.pop();
    if (indents.length === 0 || indents[indents.length - 1] < indent) indents.push(indent);
    const dashes = m[2].split("-").length - 1;
    if (indents.length + dashes > max) return { line, column: indent + 1 };
  }
  return undefined;
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Where `[`/`{` nesting first exceeds `max`, outside quotes and comments (a block scalar full of
 * brackets may be over-counted: refused rather than risked).
 */
function flowTooDeep(text: string, max: number): { line: number; column: number } | undefined {
  let depth = 0;
  let line = 1;
  let col = 0;
  let quote: string | undefined;
  let comment = false;
  let prev = "\n";
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    col += 1;
    if (c === "\n") {
      line += 1;
      col = 0;
      comment = false;
      prev = c;
      continue;
    }
    if (comment) continue;
    if (quote) {
      if (quote === '"' && c === "\\") i += 1;
      else if (c === quote) quote = undefined;
    } else if (c === "#" && /\s/.test(prev)) comment = true;
    else if ((c === '"' || c === "'") && /[\s[{,:-]/.test(prev)) quote = c;
    else if (c === "[" || c === "{") {
      depth += 1;
      if (depth > max) return { line, column: col };
    } else if (c === "]" || c === "}") depth = Math.max(0, depth - 1);
    prev = c;
  }
  return undefined;
}

/** Flattens a stack file's `config:` block the way the Pulumi CLI hands it to the program. */
export function flattenConfig(config: Record<string, unknown>): StackFile {
  const out: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries(config)) {
    if (isSecure(value)) {
      out[key] = SECRET_PLACEHOLDER;
      secretKeys.push(key);
    } else if (typeof value === "object" && value !== null) {
      out[key] = JSON.stringify(replaceSecure(value));
    } else {
      out[key] = String(value);
    }
  }
  return { config: out, secretKeys };
}

function isSecure(v: unknown): boolean {
  return (
    typeof v === "object" && v !== null && !Array.isArray(v) && Object.keys(v).join() === "secure"
  );
}

function replaceSecure(v: unknown): unknown {
  if (isSecure(v)) return SECRET_PLACEHOLDER;
  if (Array.isArray(v)) return v.map(replaceSecure);
  if (typeof v === "object" && v !== null) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, replaceSecure(x)]));
  }
  return v;
}
