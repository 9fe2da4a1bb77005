// `meshlift convert` at work: App Mesh files (kubectl-style -f) -> Istio or Gateway API YAML, with an optional JSON report of findings.
import * as fs from "node:fs";
import * as path from "node:path";
import {
  AppMeshModel,
  ConversionResult,
  emit,
  InputError,
  readModel,
  SourceFile,
  summarize,
  Target,
  toYaml,
  validateObjects,
} from "../../appmesh";
import {
  FileError,
  fileError,
  fsReason,
  makeDir,
  readFd,
  readTextFile,
  writeTextFile,
} from "../../config/files";
import { CliError, EXIT } from "../errors";
import { forFlag } from "../files";

const INPUT_EXTENSIONS = new Set([".yaml", ".yml", ".json"]);

/** Largest input file read (a kubectl export of a large mesh is a few MB). */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

/**
 * Reads `-f` arguments like kubectl: files, directories (their .yaml/.yml/.json files, sorted), `-`
 * for stdin. Every read is bounded (`/dev/zero` stops at the limit); a dangling or looping
 * symlink, an unreadable file or a directory without inputs is exit 2 with the path and reason.
 */
export function readSources(
  inputs: readonly string[],
  readStdin: () => string = () => readFd(0, "<stdin>", MAX_INPUT_BYTES),
): SourceFile[] {
  if (inputs.length === 0) throw new CliError("-f is required: a file, a directory or - for stdin");
  const out: SourceFile[] = [];
  for (const input of inputs) {
    if (input === "-") {
      out.push({ path: "<stdin>", content: forFlag("-f", readStdin) });
      continue;
    }
    const stat = forFlag("-f", () => statOf(input));
    if (stat.isDirectory()) {
      const files = forFlag("-f", () => listDir(input))
        .filter((f) => INPUT_EXTENSIONS.has(path.extname(f).toLowerCase()))
        .sort();
      if (files.length === 0) {
        throw new CliError(`-f ${input}: the directory has no .yaml, .yml or .json files`);
      }
      for (const f of files) {
        const p = path.join(input, f);
        if (forFlag("-f", () => statOf(p)).isFile())
          out.push({ path: p, content: forFlag("-f", () => readTextFile(p, MAX_INPUT_BYTES)) });
      }
    } else {
      out.push({ path: input, content: forFlag("-f", () => readTextFile(input, MAX_INPUT_BYTES)) });
    }
  }
  return out;
}

/** stat that follows symlinks, naming a dangling one as such. */
function statOf(p: string): fs.Stats {
  try {
    return fs.statSync(p);
  } catch (e) {
    const dangling =
      (e as NodeJS.ErrnoException).code === "ENOENT" && isSymlink(p) ? " (a dangling symlink)" : "";
    throw new FileError(p, `${fsReason(e)}${dangling}`);
  }
}

function isSymlink(p: string): boolean {
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

function listDir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch (e) {
    throw fileError(dir, e);
  }
}

/** Reads and resolves the input once, turning unreadable input into exit code 2 with the file, document and reason. */
export function modelOrExit(sources: readonly SourceFile[], namespace?: string): AppMeshModel {
  if (namespace !== undefined && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(namespace)) {
    throw new CliError(
      `-n ${JSON.stringify(namespace.length > 70 ? `${namespace.slice(0, 67)}...` : namespace)}: not a Kubernetes namespace (a DNS-1123 label: lower-case letters, digits and '-', at most 63 characters)`,
    );
  }
  if (namespace !== undefined && namespace.length > 63)
    throw new CliError(`-n: a namespace has at most 63 characters (given ${namespace.length})`);
  try {
    return readModel(sources, namespace ? { namespace } : {});
  } catch (e) {
    if (e instanceof InputError) {
      const doc = e.document === undefined ? "" : `, document ${e.document}`;
      throw new CliError(`invalid input: ${e.file}${doc}: ${e.reason}`, EXIT.invalid);
    }
    throw e;
  }
}

/** Runs the converter for one target (Istio by default). */
export function convertOrExit(
  sources: readonly SourceFile[],
  namespace?: string,
  target: Target = "istio",
): ConversionResult {
  return emit(modelOrExit(sources, namespace), target);
}

/**
 * The target: `--target` when given, else the stack's when `--stack` is given (config/sections/istio.ts
 * conversionTarget: its mode, then its ingress API), else istio. The stack config is loaded only then, so that convert without --stack stays light.
 */
export function chooseTarget(o: { target?: Target; stack?: string }, projectDir?: string): Target {
  if (o.target) return o.target;
  if (!o.stack) return "istio";
  const { parseConfig } = require("../../config/load") as typeof import("../../config/load");
  const { readStackFile } =
    require("../../config/stack-file") as typeof import("../../config/stack-file");
  const dir =
    projectDir ??
    (require("../../automation/runners/runner") as typeof import("../../automation/runners/runner"))
      .DEFAULT_PROJECT_DIR;
  const { conversionTarget } =
    require("../../config/sections/istio") as typeof import("../../config/sections/istio");
  return conversionTarget(parseConfig(o.stack, readStackFile(dir, o.stack).config).istio);
}

const TARGET_LABEL: Record<Target, string> = {
  istio: "Istio",
  "gateway-api": "Gateway API + Istio",
  ambient: "ambient (Gateway API + Istio)",
};

function writeOutput(result: ConversionResult, out: string): string {
  if (out === "-") {
    process.stdout.write(toYaml(result.objects));
    return "stdout";
  }
  forFlag("-o", () => makeDir(out));
  // One multi-document file per namespace, so each namespace can be applied (or rolled back) on its own.
  const byNs = new Map<string, typeof result.objects>();
  for (const o of result.objects) {
    const ns = o.metadata.namespace ?? "cluster";
    byNs.set(ns, [...(byNs.get(ns) ?? []), o]);
  }
  for (const [ns, objects] of byNs)
    forFlag("-o", () => writeTextFile(path.join(out, `${ns}.yaml`), toYaml(objects)));
  return `${byNs.size} file(s) in ${out}`;
}

export interface ConvertFlags {
  readonly filename: string[];
  readonly output: string;
  readonly report?: string;
  readonly namespace: string;
  readonly target?: Target;
  readonly stack?: string;
}

/** `meshlift convert`: read, convert, validate, write the YAML and the report. */
export async function runConvert(o: ConvertFlags): Promise<void> {
  const target = chooseTarget(o);
  const sources = readSources(o.filename);
  const result = convertOrExit(sources, o.namespace, target);
  const problems = await validateObjects(result.objects);
  if (problems.length > 0) {
    // Valid input must never produce invalid Istio objects: that is a meshlift bug, not a user error.
    const list = problems.map((p) => `  ${p.object}: ${p.message}`).join("\n");
    throw new CliError(
      `internal error: generated ${target} objects do not validate:\n${list}`,
      EXIT.internal,
    );
  }
  const where = writeOutput(result, o.output);
  const counts = summarize(result.findings);
  if (o.report) {
    const report = {
      target,
      inputs: sources.map((s) => s.path),
      objects: result.objects.map(
        (x) => `${x.kind} ${x.metadata.namespace ?? ""}/${x.metadata.name}`,
      ),
      summary: counts,
      findings: result.findings,
      namespaceLabels: result.namespaceLabels ?? {},
    };
    const file = o.report;
    forFlag("--report", () => writeTextFile(file, `${JSON.stringify(report, null, 2)}\n`));
  }
  process.stderr.write(
    `meshlift: ${result.objects.length} ${TARGET_LABEL[target]} object(s) from ${sources.length} file(s) -> ${where}; ` +
      `${counts.blocker} blocker(s), ${counts.warning} warning(s), ${counts.info} info` +
      `${o.report ? ` (report: ${o.report})` : " (see `meshlift precheck` or --report)"}\n`,
  );
}
