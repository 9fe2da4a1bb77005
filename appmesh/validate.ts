// Validates emitted objects against their schemas (@kubernetes-models: Istio, Gateway API, core v1), plus the
// rules those JSON schemas leave to webhooks and CEL (names, hosts, durations, paths), so bad output fails here.
import type { K8sObject } from "./types";
import { structuralProblems } from "./validate-rules";

export { structuralProblems } from "./validate-rules";

type ModelClass = new (data: unknown) => { validate(): void };

/** The APIs meshlift emits, as @kubernetes-models modules (ESM-only: loaded with import()). */
const MODULES: Readonly<Record<string, string>> = {
  "networking.istio.io/v1": "@kubernetes-models/istio/networking.istio.io/v1",
  "security.istio.io/v1": "@kubernetes-models/istio/security.istio.io/v1",
  "telemetry.istio.io/v1": "@kubernetes-models/istio/telemetry.istio.io/v1",
  "gateway.networking.k8s.io/v1": "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1",
  "gateway.networking.k8s.io/v1alpha2":
    "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1alpha2",
  v1: "kubernetes-models/v1",
};

/** Kinds emitted per API (a typo in an emitter must not pass as "some kind the package knows"). */
const KINDS: Readonly<Record<string, readonly string[]>> = {
  "networking.istio.io/v1": [
    "Gateway",
    "VirtualService",
    "DestinationRule",
    "ServiceEntry",
    "Sidecar",
  ],
  "security.istio.io/v1": ["PeerAuthentication", "AuthorizationPolicy"],
  "telemetry.istio.io/v1": ["Telemetry"],
  "gateway.networking.k8s.io/v1": ["Gateway", "HTTPRoute", "GRPCRoute", "ReferenceGrant"],
  "gateway.networking.k8s.io/v1alpha2": ["TCPRoute"],
  v1: ["Service"],
};

const modules = new Map<string, Promise<Record<string, ModelClass | undefined>>>();

async function model(
  apiVersion: string,
  kind: string,
  anyKind = false,
): Promise<ModelClass | undefined> {
  if (!Object.hasOwn(MODULES, apiVersion)) return undefined;
  if (!anyKind && !KINDS[apiVersion].includes(kind)) return undefined;
  const spec = MODULES[apiVersion];
  let mod = modules.get(spec);
  if (!mod) {
    mod = import(spec) as Promise<Record<string, ModelClass | undefined>>;
    modules.set(spec, mod);
  }
  return (await mod)[kind];
}

/** The schema model of any Istio kind of the APIs meshlift uses (the stack emits more kinds than the converter). */
export async function istioModel(
  apiVersion: string,
  kind: string,
): Promise<ModelClass | undefined> {
  return apiVersion.endsWith(".istio.io/v1") ? model(apiVersion, kind, true) : undefined;
}

/** Every problem found, as `{object: "Kind ns/name", message}`; [] when all objects are valid. */
export async function validateObjects(
  objects: readonly K8sObject[],
): Promise<{ object: string; message: string }[]> {
  const problems: { object: string; message: string }[] = [];
  for (const o of objects) {
    const id = `${o.kind} ${o.metadata?.namespace ?? ""}/${o.metadata?.name ?? ""}`;
    const Model = await model(o.apiVersion, o.kind);
    if (!Model) {
      const k = `${o.apiVersion}/${o.kind}`;
      problems.push({ object: id, message: `${k} is not a kind meshlift emits` });
      continue;
    }
    try {
      new Model(o).validate();
    } catch (e) {
      problems.push({ object: id, message: e instanceof Error ? e.message : String(e) });
      // The structural rules read the shapes the schema guarantees (hosts a list, routes objects):
      // on an object the schema refused they would throw instead of reporting.
      continue;
    }
    for (const message of structuralProblems(o)) problems.push({ object: id, message });
  }
  return problems;
}

/** The same checks; kept under its first name for callers that validate Istio objects only. */
export const validateIstioObjects = validateObjects;
