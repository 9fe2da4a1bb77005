// The seam to the App Mesh -> Istio converter: its types, and the per-namespace conversion whose rejections are config problems.
import { ConversionResult, Finding, InputError, IstioObject, SourceFile, Target } from "../appmesh";
import { ConfigProblem } from "./errors";
import { NamespaceInputs, namespaceKey } from "./exports";

export type { ConversionResult, Finding, IstioObject, SourceFile, Target };
export type ConvertFn = (
  files: readonly SourceFile[],
  opts?: { namespace?: string; target?: Target },
) => ConversionResult;

/** A listed namespace with its export and that export's converted Istio resources (namespaced to it). */
export interface LoadedNamespace extends NamespaceInputs {
  /** @default [] when the namespace has no export */
  readonly objects: readonly IstioObject[];
  readonly findings: readonly Finding[];
  /** Labels its converted objects need on this namespace (ambient: the waypoint labels). @default {} */
  readonly namespaceLabels?: Readonly<Record<string, string>>;
}

/**
 * Converts every namespace that has an export, for the stack's target (config/sections/istio.ts
 * conversionTarget). An export the converter rejects, or one with blocker
 * findings for a namespace that is to run on Istio, is a config problem naming the entry; an error
 * that is not an input error is a bug and goes through as it is.
 */
export function convertNamespaces(
  inputs: readonly NamespaceInputs[],
  convert: ConvertFn,
  target: Target = "istio",
): { namespaces: LoadedNamespace[]; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const namespaces = inputs.map((ns): LoadedNamespace => {
    if (ns.files.length === 0) return { ...ns, objects: [], findings: [] };
    const key = namespaceKey(ns.index, "appmeshExport");
    let result: ConversionResult;
    try {
      result = convert(ns.files, { namespace: ns.config.name, target });
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      const where = e.document === undefined ? e.file : `${e.file} document ${e.document}`;
      problems.push({
        key,
        given: ns.config.appmeshExport,
        message: `namespace "${ns.config.name}": the converter rejects ${where}: ${e.reason}`,
      });
      return { ...ns, objects: [], findings: [] };
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
    return {
      ...ns,
      objects: result.objects.map((o) => inNamespace(o, ns.config.name)),
      findings: result.findings,
      namespaceLabels: result.namespaceLabels?.[ns.config.name] ?? {},
    };
  });
  return { namespaces, problems };
}

/** The object with its namespace set (the converter may leave it to the caller). */
export function inNamespace(o: IstioObject, namespace: string): IstioObject {
  return { ...o, metadata: { ...o.metadata, namespace: o.metadata.namespace ?? namespace } };
}
