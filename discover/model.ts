// What discover read from the cluster, and the pure facts derived from it: meshed namespaces, App Mesh Envoy pods, mesh membership, references.
import { APPMESH_GROUP } from "./reads";
import { isDnsLabel } from "../appmesh/names";

/** An object as the API server serves it (JSON), with the fields discover reads. */
export type Wire = Record<string, unknown> & {
  apiVersion?: string;
  kind?: string;
  metadata?: Record<string, unknown>;
};

/** What one meshed namespace holds besides its App Mesh objects. */
export interface NamespaceReads {
  readonly services: readonly Wire[];
  readonly deployments: readonly Wire[];
  readonly replicaSets: readonly Wire[];
  readonly hpas: readonly Wire[];
  readonly securityGroupPolicies: readonly Wire[];
}

export interface ClusterSnapshot {
  readonly context: string;
  readonly server: string;
  /** The namespaces asked for with -n (all when absent). */
  readonly requested?: readonly string[];
  /** appmesh.k8s.aws versions the API server serves. */
  readonly appmeshVersions: readonly string[];
  /** appmesh.k8s.aws/v1beta2 objects. */
  readonly appmesh: readonly Wire[];
  /** appmesh.k8s.aws/v1beta1 objects (pre-1.0 controller), when only that version is served. */
  readonly legacy: readonly Wire[];
  readonly namespaces: readonly Wire[];
  readonly pods: readonly Wire[];
  readonly nodes: readonly Wire[];
  /** Mutating and validating webhook configurations (kind set). */
  readonly webhooks: readonly Wire[];
  /** The namespaces to export (see meshedNamespaces), sorted. */
  readonly meshed: readonly string[];
  /** Reads of meshed namespaces (services etc.) and of referenced ones (services only). */
  readonly perNamespace: ReadonlyMap<string, NamespaceReads>;
  /** The aws-node DaemonSet of kube-system, when the cluster runs the VPC CNI. */
  readonly awsNode?: Wire;
  /** Optional APIs the cluster serves. */
  readonly installed: { readonly hpa: boolean; readonly securityGroupPolicies: boolean };
}

export const APPMESH_INJECT_LABEL = "appmesh.k8s.aws/sidecarInjectorWebhook";
export const FARGATE_PROFILE_LABEL = "eks.amazonaws.com/fargate-profile";

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function meta(o: Wire): Record<string, unknown> {
  return isRecord(o.metadata) ? o.metadata : {};
}
export function nameOf(o: Wire): string {
  const n = meta(o).name;
  return typeof n === "string" ? n : "";
}
export function namespaceOf(o: Wire): string {
  const n = meta(o).namespace;
  return typeof n === "string" ? n : "";
}
/** String-valued labels (or annotations), as an own-property map (a `__proto__` key stays a key). */
export function stringMap(v: unknown): Record<string, string> {
  if (!isRecord(v)) return {};
  return Object.fromEntries(
    Object.entries(v).filter((e): e is [string, string] => typeof e[1] === "string"),
  );
}
export function labelsOf(o: Wire): Record<string, string> {
  return stringMap(meta(o).labels);
}
export function get(o: unknown, ...path: string[]): unknown {
  let cur = o;
  for (const p of path) {
    if (!isRecord(cur)) return undefined;
    cur = cur[p];
  }
  return cur;
}
function own(m: Record<string, string>, k: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(m, k) ? m[k] : undefined;
}

/** A Kubernetes label selector (matchLabels and matchExpressions) applied to labels. */
export function selectorMatches(selector: unknown, labels: Record<string, string>): boolean {
  if (!isRecord(selector)) return false;
  const ml = stringMap(selector.matchLabels);
  for (const [k, v] of Object.entries(ml)) if (own(labels, k) !== v) return false;
  const exprs = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  for (const x of exprs) {
    if (!isRecord(x) || typeof x.key !== "string") return false;
    const value = own(labels, x.key);
    const values = Array.isArray(x.values) ? x.values.filter((s) => typeof s === "string") : [];
    switch (x.operator) {
      case "In":
        if (value === undefined || !values.includes(value)) return false;
        break;
      case "NotIn":
        if (value !== undefined && values.includes(value)) return false;
        break;
      case "Exists":
        if (value === undefined) return false;
        break;
      case "DoesNotExist":
        if (value !== undefined) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** A DNS-1123 label (namespace names): what may become a file name. */
export function isNamespaceName(s: string): boolean {
  return isDnsLabel(s);
}

export interface Container {
  readonly name: string;
  readonly image: string;
  readonly env: readonly string[];
}

function containers(pod: Wire, field: "containers" | "initContainers"): Container[] {
  const list = get(pod, "spec", field);
  if (!Array.isArray(list)) return [];
  return list.filter(isRecord).map((c) => ({
    name: typeof c.name === "string" ? c.name : "",
    image: typeof c.image === "string" ? c.image : "",
    env: (Array.isArray(c.env) ? c.env : [])
      .map((e) => (isRecord(e) && typeof e.name === "string" ? e.name : ""))
      .filter((n) => n !== ""),
  }));
}

/**
 * The App Mesh Envoy container of a pod, if it runs one: the injector's `aws-appmesh-envoy` image
 * (public.ecr.aws/appmesh or the regional 840364872350 ECR), or a container configured for App Mesh
 * (APPMESH_RESOURCE_ARN / APPMESH_VIRTUAL_NODE_NAME, also set on custom Envoy images).
 */
export function appmeshEnvoy(pod: Wire): Container | undefined {
  return [...containers(pod, "containers"), ...containers(pod, "initContainers")].find(
    (c) =>
      /(^|\/)aws-appmesh-envoy(:|@|$)/.test(c.image) ||
      c.env.includes("APPMESH_RESOURCE_ARN") ||
      c.env.includes("APPMESH_VIRTUAL_NODE_NAME"),
  );
}

/** Pods still running (Pending or Running): Succeeded and Failed pods restart nothing. */
export function isLive(pod: Wire): boolean {
  const phase = get(pod, "status", "phase");
  return phase !== "Succeeded" && phase !== "Failed";
}

/** Pods scheduled on EKS Fargate (no node agent: neither ztunnel nor the Istio CNI runs there). */
export function onFargate(pod: Wire): boolean {
  return (
    own(labelsOf(pod), FARGATE_PROFILE_LABEL) !== undefined ||
    get(pod, "spec", "schedulerName") === "fargate-scheduler"
  );
}

/** Code-point order (not locale order): stable across machines, and cheap. */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The meshes whose namespaceSelector selects the namespace, or that its App Mesh objects name in meshRef.
 * `meshes`: the Mesh objects (or all App Mesh objects); `own`: the namespace's objects, when known.
 */
export function meshesOf(ns: Wire, meshes: readonly Wire[], own?: readonly Wire[]): Wire[] {
  const name = nameOf(ns);
  const labels = labelsOf(ns);
  const referenced = new Set(
    (own ?? meshes.filter((o) => namespaceOf(o) === name))
      .map((o) => get(o, "spec", "meshRef", "name"))
      .filter((n): n is string => typeof n === "string"),
  );
  return meshes.filter(
    (o) =>
      o.kind === "Mesh" &&
      (referenced.has(nameOf(o)) || selectorMatches(get(o, "spec", "namespaceSelector"), labels)),
  );
}

/**
 * The namespaces to export: those holding App Mesh objects, labelled for App Mesh injection, selected
 * by a Mesh, or running pods with the App Mesh Envoy. Sorted.
 */
export function meshedNamespaces(s: {
  readonly appmesh: readonly Wire[];
  readonly legacy: readonly Wire[];
  readonly namespaces: readonly Wire[];
  readonly pods: readonly Wire[];
}): string[] {
  const out = new Set<string>();
  for (const o of [...s.appmesh, ...s.legacy]) if (namespaceOf(o)) out.add(namespaceOf(o));
  const meshes = s.appmesh.filter((o) => o.kind === "Mesh");
  for (const ns of s.namespaces) {
    const labels = labelsOf(ns);
    if (own(labels, APPMESH_INJECT_LABEL) === "enabled") out.add(nameOf(ns));
    if (meshes.some((m) => selectorMatches(get(m, "spec", "namespaceSelector"), labels)))
      out.add(nameOf(ns));
  }
  for (const p of s.pods) if (isLive(p) && appmeshEnvoy(p)) out.add(namespaceOf(p));
  out.delete("");
  return [...out].sort();
}

/**
 * Namespaces App Mesh objects point into (DNS hostnames such as `svc.other` or `svc.other.svc.cluster.local`,
 * references with a namespace): their Services resolve those names, as the converter does with the files.
 */
export function referencedNamespaces(
  appmesh: readonly Wire[],
  known: ReadonlySet<string>,
  /** With -n the other namespaces are not listed: accept explicit references to them. */
  acceptUnknown = false,
): string[] {
  const out = new Set<string>();
  const visit = (v: unknown, key: string): void => {
    if (Array.isArray(v)) v.forEach((x) => visit(x, key));
    else if (isRecord(v)) for (const [k, x] of Object.entries(v)) visit(x, k);
    else if (typeof v === "string") {
      if (key === "namespace" && (known.has(v) || (acceptUnknown && isNamespaceName(v))))
        out.add(v);
      if (key === "hostname" || key === "awsName" || key === "serviceName") {
        const m = /^[a-z0-9-]+\.([a-z0-9-]+)(\.svc(\.cluster\.local)?)?\.?$/.exec(v.toLowerCase());
        const full = m?.[2] !== undefined && acceptUnknown && isNamespaceName(m[1]);
        if (m && (known.has(m[1]) || full)) out.add(m[1]);
      }
    }
  };
  for (const o of appmesh) visit(o.spec, "spec");
  return [...out].sort();
}

/** App Mesh objects in export order: by kind (Mesh first), then namespace and name. */
export function appmeshOrder(kinds: readonly string[]) {
  return (a: Wire, b: Wire): number =>
    kinds.indexOf(String(a.kind)) - kinds.indexOf(String(b.kind)) ||
    cmp(namespaceOf(a), namespaceOf(b)) ||
    cmp(nameOf(a), nameOf(b));
}

/** Whether an admission webhook configuration belongs to App Mesh or Istio (by its name or its webhooks'). */
export function webhookOwner(w: Wire): "appmesh" | "istio" | undefined {
  const names = [
    nameOf(w),
    ...(Array.isArray(w.webhooks) ? w.webhooks : []).map((h) =>
      isRecord(h) && typeof h.name === "string" ? h.name : "",
    ),
  ];
  const svcNs = (Array.isArray(w.webhooks) ? w.webhooks : [])
    .map((h) => get(h, "clientConfig", "service", "namespace"))
    .filter((x): x is string => typeof x === "string");
  if (names.some((n) => n.includes("appmesh")) || svcNs.includes("appmesh-system"))
    return "appmesh";
  if (
    names.some((n) => /istio|sidecar-injector\.istio\.io/.test(n)) ||
    svcNs.includes("istio-system")
  )
    return "istio";
  return undefined;
}

export interface SnapshotIndex {
  readonly namespaces: ReadonlyMap<string, Wire>;
  readonly appmesh: ReadonlyMap<string, Wire[]>;
  readonly pods: ReadonlyMap<string, Wire[]>;
  readonly known: ReadonlySet<string>;
}
const indexes = new WeakMap<ClusterSnapshot, SnapshotIndex>();

function groupBy(list: readonly Wire[]): Map<string, Wire[]> {
  const m = new Map<string, Wire[]>();
  for (const o of list) {
    const ns = namespaceOf(o);
    const g = m.get(ns);
    if (g) g.push(o);
    else m.set(ns, [o]);
  }
  return m;
}

/** Objects by namespace, built once per snapshot: exports of 500 namespaces must not scan the cluster 500 times. */
export function snapshotIndex(s: ClusterSnapshot): SnapshotIndex {
  let ix = indexes.get(s);
  if (!ix) {
    ix = {
      namespaces: new Map(s.namespaces.map((n) => [nameOf(n), n])),
      appmesh: groupBy(s.appmesh),
      pods: groupBy(s.pods),
      known: new Set([...s.namespaces.map(nameOf), ...s.perNamespace.keys()]),
    };
    indexes.set(s, ix);
  }
  return ix;
}

export const APPMESH_API_VERSION = `${APPMESH_GROUP}/v1beta2`;
