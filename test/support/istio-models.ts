// Validates Istio objects with @kubernetes-models/istio (ESM-only, so loaded with a dynamic import).
interface Model {
  validate(): void;
}
type ModelClass = new (data: unknown) => Model;

const MODULES: Record<string, string> = {
  "security.istio.io/v1": "@kubernetes-models/istio/security.istio.io/v1",
  "telemetry.istio.io/v1": "@kubernetes-models/istio/telemetry.istio.io/v1",
  "networking.istio.io/v1": "@kubernetes-models/istio/networking.istio.io/v1",
};

/** Throws when the object does not match its Istio CRD schema (or is of an unknown kind). */
export async function validateIstio(o: { apiVersion: string; kind: string }): Promise<void> {
  const spec = MODULES[o.apiVersion];
  if (!spec) throw new Error(`no Istio model for apiVersion ${o.apiVersion}`);
  const mod = (await import(spec)) as Record<string, ModelClass | undefined>;
  const Kind = mod[o.kind];
  if (!Kind) throw new Error(`no Istio model for ${o.apiVersion} ${o.kind}`);
  new Kind(o).validate();
}
