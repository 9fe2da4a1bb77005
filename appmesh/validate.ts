// Validates emitted Istio objects against the @kubernetes-models/istio schemas, plus the rules those JSON
// schemas leave to Istio's webhook/CEL (names, durations, weights), so bad output fails here and not at apply.
import type { IstioObject } from "./types";

type ModelClass = new (data: unknown) => { validate(): void };

/** The Istio APIs meshlift emits, as @kubernetes-models/istio modules (ESM-only: loaded with import()). */
const MODULES: Readonly<Record<string, string>> = {
  "networking.istio.io/v1": "@kubernetes-models/istio/networking.istio.io/v1",
  "security.istio.io/v1": "@kubernetes-models/istio/security.istio.io/v1",
  "telemetry.istio.io/v1": "@kubernetes-models/istio/telemetry.istio.io/v1",
};

const modules = new Map<string, Promise<Record<string, ModelClass | undefined>>>();

/** The schema model of an Istio kind, or undefined when meshlift does not emit that API. */
export async function istioModel(
  apiVersion: string,
  kind: string,
): Promise<ModelClass | undefined> {
  const spec = MODULES[apiVersion];
  if (!spec) return undefined;
  let mod = modules.get(spec);
  if (!mod) {
    mod = import(spec) as Promise<Record<string, ModelClass | undefined>>;
    modules.set(spec, mod);
  }
  return (await mod)[kind];
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DURATION = /^(\d+(\.\d+)?(h|m|s|ms))+$/;
const DURATION_KEYS = new Set([
  "timeout",
  "perTryTimeout",
  "interval",
  "baseEjectionTime",
  "idleTimeout",
  "connectTimeout",
]);

function durationMs(s: string): number {
  let ms = 0;
  for (const m of s.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s)/g)) {
    const v = Number(m[1]);
    ms += m[2] === "h" ? v * 3_600_000 : m[2] === "m" ? v * 60_000 : m[2] === "s" ? v * 1000 : v;
  }
  return ms;
}

/** Istio webhook rules the JSON schemas do not carry. */
export function structuralProblems(o: IstioObject): string[] {
  const out: string[] = [];
  const name = o.metadata?.name ?? "";
  if (!DNS_SUBDOMAIN.test(name) || name.length > 253) {
    out.push(`metadata.name "${name}" is not a DNS-1123 subdomain`);
  }
  const ns = o.metadata?.namespace;
  if (ns !== undefined && (!DNS_LABEL.test(ns) || ns.length > 63)) {
    out.push(`metadata.namespace "${ns}" is not a DNS-1123 label`);
  }
  const walk = (v: unknown, path: string) => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`));
    else if (v !== null && typeof v === "object") {
      for (const [k, x] of Object.entries(v)) {
        const p = `${path}.${k}`;
        if (DURATION_KEYS.has(k) && typeof x === "string") {
          if (!DURATION.test(x)) out.push(`${p} "${x}" is not a duration (e.g. 15s, 250ms)`);
          else if (durationMs(x) < 1) out.push(`${p} "${x}" is below Istio's 1ms minimum`);
        }
        walk(x, p);
      }
    }
  };
  walk(o.spec, "spec");
  if (o.kind === "VirtualService") {
    for (const list of ["http", "tcp", "tls"] as const) {
      const routes =
        (o.spec[list] as { route?: { weight?: number; destination?: { host?: string } }[] }[]) ??
        [];
      routes.forEach((r, i) => {
        const dests = r.route ?? [];
        if (dests.length === 0 && list !== "http") out.push(`spec.${list}[${i}].route is empty`);
        dests.forEach((d, j) => {
          if (!d.destination?.host)
            out.push(`spec.${list}[${i}].route[${j}].destination.host is empty`);
        });
        if (dests.length > 1) {
          const sum = dests.reduce((a, d) => a + (d.weight ?? 0), 0);
          if (sum !== 100 && sum !== 0)
            out.push(`spec.${list}[${i}].route weights sum to ${sum}, not 100`);
        }
      });
    }
  }
  if (o.kind === "Sidecar") {
    const egress = (o.spec.egress as { hosts?: string[] }[]) ?? [];
    egress.forEach((e, i) =>
      (e.hosts ?? []).forEach((h, j) => {
        if (!/^[^/]+\/[^/]+$/.test(h))
          out.push(`spec.egress[${i}].hosts[${j}] "${h}" is not namespace/host`);
      }),
    );
  }
  return out;
}

/** Every problem found, as `{object: "Kind ns/name", message}`; [] when all objects are valid. */
export async function validateIstioObjects(
  objects: readonly IstioObject[],
): Promise<{ object: string; message: string }[]> {
  const problems: { object: string; message: string }[] = [];
  for (const o of objects) {
    const id = `${o.kind} ${o.metadata?.namespace ?? ""}/${o.metadata?.name ?? ""}`;
    const Model = await istioModel(o.apiVersion, o.kind);
    if (!Model) {
      const k = `${o.apiVersion}/${o.kind}`;
      problems.push({ object: id, message: `${k} is not an Istio kind meshlift emits` });
      continue;
    }
    try {
      new Model(o).validate();
    } catch (e) {
      problems.push({ object: id, message: e instanceof Error ? e.message : String(e) });
    }
    for (const message of structuralProblems(o)) problems.push({ object: id, message });
  }
  return problems;
}
export const validateObjects = validateIstioObjects;
