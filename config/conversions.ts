// The seam to the App Mesh -> Istio converter: its types, and the per-namespace conversion that stops a bad export as a config error.
import { ConfigError, ConfigProblem } from "./errors";
import { NamespaceInputs, namespaceKey } from "./exports";

import { ConversionResult, Finding, InputError, IstioObject, SourceFile } from "../appmesh";

export type { ConversionResult, Finding, IstioObject, SourceFile };
export type ConvertFn = (
  files: readonly SourceFile[],
  opts?: { namespace?: string },
) => ConversionResult;

/** A namespace's converted resources, namespaced to it. */
export interface NamespaceConversion {
  readonly namespace: string;
  readonly objects: readonly IstioObject[];
  readonly findings: readonly Finding[];
}

/**
 * Converts every namespace that has an export. An export the converter rejects, or one with blocker
 * findings for a namespace that is to run on Istio, is a config error naming the entry.
 */
export function convertNamespaces(
  stack: string,
  inputs: readonly NamespaceInputs[],
  convert: ConvertFn,
): Map<string, NamespaceConversion> {
  const problems: ConfigProblem[] = [];
  const out = new Map<string, NamespaceConversion>();
  for (const ns of inputs) {
    if (ns.files.length === 0) continue;
    const key = namespaceKey(ns.index, "appmeshExport");
    let result: ConversionResult;
    try {
      result = convert(ns.files, { namespace: ns.config.name });
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      const ie = e;
      const where = ie.document === undefined ? ie.file : `${ie.file} document ${ie.document}`;
      problems.push({
        key,
        given: ns.config.appmeshExport,
        message: `namespace "${ns.config.name}": the converter rejects ${where}: ${ie.reason}`,
      });
      continue;
    }
    const blockers = result.findings.filter((f) => f.severity === "blocker");
    if (ns.config.state === "istio" && blockers.length) {
      problems.push({
        key,
        given: ns.config.appmeshExport,
        message:
          `namespace "${ns.config.name}" cannot move to Istio: ${blockers.length} blocker(s): ` +
          blockers.map((b) => `${b.source} ${b.field}: ${b.reason}`).join("; "),
      });
    }
    out.set(ns.config.name, {
      namespace: ns.config.name,
      objects: result.objects.map((o) => inNamespace(o, ns.config.name)),
      findings: result.findings,
    });
  }
  if (problems.length) throw new ConfigError(stack, problems);
  return out;
}

/** The object with its namespace set (the converter may leave it to the caller). */
export function inNamespace(o: IstioObject, namespace: string): IstioObject {
  return { ...o, metadata: { ...o.metadata, namespace: o.metadata.namespace ?? namespace } };
}
