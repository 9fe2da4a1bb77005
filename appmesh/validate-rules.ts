// The rules webhooks and CEL enforce that the JSON schemas do not: names, hosts, durations, weights, matches,
// Gateway API paths and the standard channel's fields.
import { gatewayPathProblem } from "./emitters/gateway-api/matches";
import { regexProblem } from "./model/routes";
import { hostProblem, isDnsLabel, isDnsSubdomain } from "./names";
import type { K8sObject } from "./types";

const DURATION = /^(\d+(\.\d+)?(h|m|s|ms))+$/;
const DURATION_KEYS = new Set([
  "timeout",
  "perTryTimeout",
  "interval",
  "baseEjectionTime",
  "idleTimeout",
  "connectTimeout",
]);
const TOKEN = /^[!#$%&'*+\-.^_`|~A-Za-z0-9]+$/;
const SERVICE_NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** Gateway API Hostname: lower-case DNS names, a leading `*.` allowed. */
const GATEWAY_HOSTNAME = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Fields of the experimental channel only (Gateway API v1.5): a standard-channel cluster would prune them. */
const EXPERIMENTAL_RULE_FIELDS = ["retry", "sessionPersistence"];

type Rec = Record<string, unknown>;

function durationMs(s: string): number {
  let ms = 0;
  for (const m of s.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s)/g)) {
    const v = Number(m[1]);
    ms += m[2] === "h" ? v * 3_600_000 : m[2] === "m" ? v * 60_000 : m[2] === "s" ? v * 1000 : v;
  }
  return ms;
}

function metadataProblems(o: K8sObject): string[] {
  const out: string[] = [];
  const name = o.metadata?.name ?? "";
  if (!isDnsSubdomain(name)) out.push(`metadata.name "${name}" is not a DNS-1123 subdomain`);
  if (o.kind === "Service" && (name.length > 63 || !SERVICE_NAME.test(name)))
    out.push(`metadata.name "${name}" is not a DNS-1035 label (Service names)`);
  const ns = o.metadata?.namespace;
  if (ns !== undefined && !isDnsLabel(ns))
    out.push(`metadata.namespace "${ns}" is not a DNS-1123 label`);
  return out;
}

function durations(spec: unknown): string[] {
  const out: string[] = [];
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
  walk(spec, "spec");
  return out;
}

function istioHost(
  h: unknown,
  where: string,
  out: string[],
  opts: { wildcard?: boolean } = {},
): void {
  if (typeof h !== "string") return;
  if (h === "*" && opts.wildcard) return;
  const p = hostProblem(h, opts);
  if (p) out.push(`${where} "${h}" ${p}`);
}

function stringMatchProblems(m: unknown, where: string, out: string[]): void {
  if (m === null || typeof m !== "object") return;
  const sm = m as Rec;
  if (sm.prefix === "") out.push(`${where}.prefix is empty (Istio refuses an empty prefix)`);
  if (typeof sm.regex === "string") {
    const p = regexProblem(sm.regex);
    if (p) out.push(`${where}.regex ${p}`);
  }
}

function virtualServiceProblems(spec: Rec, out: string[]): void {
  ((spec.hosts as unknown[]) ?? []).forEach((h, i) =>
    istioHost(h, `spec.hosts[${i}]`, out, { wildcard: true }),
  );
  for (const list of ["http", "tcp", "tls"] as const) {
    const routes =
      (spec[list] as {
        route?: { weight?: number; destination?: { host?: string } }[];
        match?: Rec[];
      }[]) ?? [];
    routes.forEach((r, i) => {
      const dests = r.route ?? [];
      if (dests.length === 0 && list !== "http") out.push(`spec.${list}[${i}].route is empty`);
      dests.forEach((d, j) => {
        if (!d.destination?.host)
          out.push(`spec.${list}[${i}].route[${j}].destination.host is empty`);
        else istioHost(d.destination.host, `spec.${list}[${i}].route[${j}].destination.host`, out);
      });
      if (dests.length > 1) {
        const sum = dests.reduce((a, d) => a + (d.weight ?? 0), 0);
        if (sum !== 100 && sum !== 0)
          out.push(`spec.${list}[${i}].route weights sum to ${sum}, not 100`);
      }
      (r.match ?? []).forEach((m, j) => {
        const w = `spec.${list}[${i}].match[${j}]`;
        stringMatchProblems(m.uri, `${w}.uri`, out);
        for (const key of ["headers", "withoutHeaders", "queryParams"]) {
          for (const [name, sm] of Object.entries((m[key] as Rec | undefined) ?? {})) {
            if (key !== "queryParams" && !TOKEN.test(name))
              out.push(`${w}.${key} name "${name}" is not an HTTP token`);
            stringMatchProblems(sm, `${w}.${key}.${name}`, out);
          }
        }
      });
    });
  }
}

function istioProblems(o: K8sObject, out: string[]): void {
  const spec = o.spec;
  if (o.kind === "VirtualService") virtualServiceProblems(spec, out);
  if (o.kind === "DestinationRule") istioHost(spec.host, "spec.host", out);
  if (o.kind === "ServiceEntry")
    ((spec.hosts as unknown[]) ?? []).forEach((h, i) =>
      istioHost(h, `spec.hosts[${i}]`, out, { wildcard: true }),
    );
  if (o.kind === "Sidecar") {
    const egress = (spec.egress as { hosts?: string[] }[]) ?? [];
    egress.forEach((e, i) =>
      (e.hosts ?? []).forEach((h, j) => {
        const m = /^([^/]+)\/([^/]+)$/.exec(h);
        if (!m) out.push(`spec.egress[${i}].hosts[${j}] "${h}" is not namespace/host`);
        else istioHost(m[2], `spec.egress[${i}].hosts[${j}]`, out, { wildcard: true });
      }),
    );
  }
  if (o.kind === "AuthorizationPolicy" && spec.selector && spec.targetRefs)
    out.push("spec has both selector and targetRefs (Istio allows one)");
}

function gatewayApiProblems(o: K8sObject, out: string[]): void {
  const spec = o.spec;
  ((spec.hostnames as unknown[]) ?? []).forEach((h, i) => {
    if (typeof h !== "string" || h.length > 253 || !GATEWAY_HOSTNAME.test(h))
      out.push(`spec.hostnames[${i}] "${String(h)}" is not a Gateway API hostname`);
  });
  const rules = (spec.rules as Rec[]) ?? [];
  let matches = 0;
  rules.forEach((r, i) => {
    for (const f of EXPERIMENTAL_RULE_FIELDS)
      if (f in r) out.push(`spec.rules[${i}].${f} is experimental-channel only (Gateway API v1.5)`);
    const ms = (r.matches as Rec[]) ?? [];
    matches += ms.length;
    const paths = ms.map((m) => m.path as { type?: string; value?: string } | undefined);
    paths.forEach((p, j) => {
      if (p && (p.type === "Exact" || p.type === "PathPrefix") && typeof p.value === "string") {
        const problem = gatewayPathProblem(p.value);
        if (problem) out.push(`spec.rules[${i}].matches[${j}].path.value "${p.value}" ${problem}`);
      }
    });
    for (const f of (r.filters as Rec[]) ?? []) {
      const rw = f.urlRewrite as { path?: { type?: string } } | undefined;
      if (
        rw?.path?.type === "ReplacePrefixMatch" &&
        (paths.length === 0 || paths.some((p) => p?.type !== "PathPrefix"))
      )
        out.push(`spec.rules[${i}]: ReplacePrefixMatch needs PathPrefix matches`);
    }
    for (const [j, b] of ((r.backendRefs as Rec[]) ?? []).entries()) {
      if ((b.group ?? "") === "" && typeof b.name === "string" && !SERVICE_NAME.test(b.name))
        out.push(`spec.rules[${i}].backendRefs[${j}].name "${b.name}" is not a Service name`);
      if ((b.group ?? "") === "" && b.port === undefined)
        out.push(`spec.rules[${i}].backendRefs[${j}] has no port`);
    }
  });
  if (matches >= 128)
    out.push(`${matches} matches: a route allows fewer than 128 across its rules`);
  if (o.kind === "Gateway") {
    const names = ((spec.listeners as { name?: string }[]) ?? []).map((l) => l.name);
    if (new Set(names).size !== names.length) out.push("spec.listeners names are not unique");
  }
}

/** Problems the schemas cannot see, on an object the schema accepted; [] when there are none. */
export function structuralProblems(o: K8sObject): string[] {
  const out = [...metadataProblems(o), ...durations(o.spec)];
  if (o.apiVersion.endsWith(".istio.io/v1")) istioProblems(o, out);
  if (o.apiVersion.startsWith("gateway.networking.k8s.io/")) gatewayApiProblems(o, out);
  return out;
}
