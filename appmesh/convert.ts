// The converter as a pipeline: read the files -> one resolved App Mesh model -> the chosen target's emitter.
import { emitAmbient } from "./emitters/ambient";
import { emitGatewayApi } from "./emitters/gateway-api";
import { emitIstio } from "./emitters/istio";
import { sortFindings } from "./findings";
import { buildModel } from "./model/build";
import type { AppMeshModel } from "./model/types";
import { readInventory } from "./read/inventory";
import type { ConversionResult, ConvertOptions, SourceFile, Target } from "./types";

/** Reads and resolves the input; throws InputError for input that cannot be read. */
export function readModel(files: readonly SourceFile[], opts: ConvertOptions = {}): AppMeshModel {
  return buildModel(readInventory(files, opts.namespace ?? "default"));
}

/** The chosen target's objects and findings for an already built model. */
export function emit(
  model: AppMeshModel,
  target: Target,
  opts: ConvertOptions = {},
): ConversionResult {
  switch (target) {
    case "istio": {
      const r = emitIstio(model);
      return { objects: r.objects, findings: sortFindings(r.findings), namespaceLabels: {} };
    }
    case "gateway-api": {
      const r = emitGatewayApi(model, opts);
      return { objects: r.objects, findings: sortFindings(r.findings), namespaceLabels: {} };
    }
    case "ambient": {
      const r = emitAmbient(model, opts);
      return {
        objects: r.objects,
        findings: sortFindings(r.findings),
        namespaceLabels: r.namespaceLabels,
      };
    }
    default: {
      const never: never = target;
      throw new Error(`unknown target ${String(never)}`);
    }
  }
}

/** App Mesh files in, the target's objects (Istio by default) and the findings out. */
export function convert(files: readonly SourceFile[], opts: ConvertOptions = {}): ConversionResult {
  return emit(readModel(files, opts), opts.target ?? "istio", opts);
}
