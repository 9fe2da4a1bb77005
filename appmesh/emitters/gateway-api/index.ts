// placeholder
import type { AppMeshModel } from "../../model/types";
import type { ConvertOptions, Finding, K8sObject } from "../../types";
export function emitGatewayApi(
  _m: AppMeshModel,
  _o: ConvertOptions,
): { objects: K8sObject[]; findings: Finding[] } {
  throw new Error("not yet");
}
