// Validates Istio objects with @kubernetes-models/istio through the converter's model loader.
import { istioModel } from "../../appmesh/validate";

/** Throws when the object does not match its Istio CRD schema (or is of an unknown kind). */
export async function validateIstio(o: { apiVersion: string; kind: string }): Promise<void> {
  const Kind = await istioModel(o.apiVersion, o.kind);
  if (!Kind) throw new Error(`no Istio model for ${o.apiVersion} ${o.kind}`);
  new Kind(o).validate();
}
