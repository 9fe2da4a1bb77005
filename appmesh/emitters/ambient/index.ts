// placeholder
import type { AppMeshModel } from "../../model/types";
import type { ConvertOptions, Finding, K8sObject } from "../../types";
export function emitAmbient(
  _m: AppMeshModel,
  _o: ConvertOptions,
): {
  objects: K8sObject[];
  findings: Finding[];
  namespaceLabels: Record<string, Record<string, string>>;
} {
  throw new Error("not yet");
}
