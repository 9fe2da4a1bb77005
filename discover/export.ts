// One namespace's export as `meshlift convert` and `migration.namespaces[].appmeshExport` read it: kubectl-style multi-document YAML, cluster state stripped.
import * as jsyaml from "js-yaml";
import {
  appmeshOrder,
  ClusterSnapshot,
  get,
  isRecord,
  meshesOf,
  nameOf,
  namespaceOf,
  onFargate,
  isLive,
  referencedNamespaces,
  Wire,
  cmp,
  snapshotIndex,
} from "./model";
import { APPMESH_KINDS } from "./reads";

/** Metadata the API server sets: meaningless (or harmful) outside this cluster. */
const SERVER_METADATA = [
  "managedFields",
  "resourceVersion",
  "uid",
  "creationTimestamp",
  "generation",
  "selfLink",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
  "ownerReferences",
  "finalizers",
];
const SERVER_ANNOTATIONS = [
  "kubectl.kubernetes.io/last-applied-configuration",
  "deployment.kubernetes.io/revision",
];
/** Shown instead of a container env value: meshlift never needs them, and they may hold credentials. */
export const REDACTED = "<redacted by meshlift discover>";

/** The object without status and server-set metadata, as `kubectl get -o yaml` minus cluster state. */
export function strip(o: Wire): Wire {
  const out = structuredClone(o);
  delete out.status;
  const m = isRecord(out.metadata) ? out.metadata : {};
  for (const k of SERVER_METADATA) delete m[k];
  if (isRecord(m.annotations)) {
    for (const k of SERVER_ANNOTATIONS) delete m.annotations[k];
    if (Object.keys(m.annotations).length === 0) delete m.annotations;
  }
  if (isRecord(m.labels) && Object.keys(m.labels).length === 0) delete m.labels;
  out.metadata = m;
  if (out.kind === "Service" && isRecord(out.spec)) {
    // Cluster-assigned addresses; a headless Service ("None") keeps its intent.
    if (out.spec.clusterIP !== "None") {
      delete out.spec.clusterIP;
      delete out.spec.clusterIPs;
    }
  }
  const template = get(out, "spec", "template");
  if (isRecord(template) && isRecord(template.metadata)) delete template.metadata.creationTimestamp;
  return out;
}

/** Container env values replaced (valueFrom references kept): a workload's pod template without secrets. */
export function redactEnv(o: Wire): Wire {
  const spec = get(o, "spec", "template", "spec");
  if (!isRecord(spec)) return o;
  for (const field of ["containers", "initContainers"]) {
    const list = spec[field];
    if (!Array.isArray(list)) continue;
    for (const c of list) {
      if (!isRecord(c) || !Array.isArray(c.env)) continue;
      for (const e of c.env) if (isRecord(e) && "value" in e) e.value = REDACTED;
    }
  }
  return o;
}

/** Only what tells the ambient precheck a pod runs on Fargate: its name, labels and scheduler. */
function fargatePod(p: Wire): Wire {
  const labels = get(p, "metadata", "labels");
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: nameOf(p),
      namespace: namespaceOf(p),
      ...(isRecord(labels) ? { labels } : {}),
    },
    spec: {
      ...(get(p, "spec", "schedulerName") !== undefined
        ? { schedulerName: get(p, "spec", "schedulerName") }
        : {}),
      ...(get(p, "spec", "nodeName") !== undefined ? { nodeName: get(p, "spec", "nodeName") } : {}),
    },
  };
}

const byName = (a: Wire, b: Wire) =>
  cmp(namespaceOf(a), namespaceOf(b)) || cmp(nameOf(a), nameOf(b));

/** The documents of one namespace's export, in order. */
export function exportDocuments(s: ClusterSnapshot, ns: string): Wire[] {
  const ix = snapshotIndex(s);
  const nsObj = ix.namespaces.get(ns) ?? { metadata: { name: ns } };
  const kinds = APPMESH_KINDS.map((k) => k.kind);
  const reads = s.perNamespace.get(ns);
  const own = ix.appmesh.get(ns) ?? [];
  const referenced = referencedNamespaces(own, ix.known)
    .filter((r) => !s.meshed.includes(r))
    .flatMap((r) => s.perNamespace.get(r)?.services ?? []);
  return [
    ...meshesOf(nsObj, ix.appmesh.get("") ?? [], own).sort(byName),
    ...own.filter((o) => o.kind !== "Mesh").sort(appmeshOrder(kinds)),
    ...[...(reads?.services ?? [])].sort(byName),
    ...[...(reads?.deployments ?? [])].sort(byName).map((d) => redactEnv(strip(d))),
    // Services of namespaces the App Mesh objects point into (no App Mesh there): the converter resolves names with them.
    ...referenced.sort(byName),
    ...[...(reads?.securityGroupPolicies ?? [])].sort(byName),
    ...(ix.pods.get(ns) ?? [])
      .filter((p) => isLive(p) && onFargate(p))
      .sort(byName)
      .map(fargatePod),
    ...(s.awsNode ? [s.awsNode] : []),
  ].map((o) => (o.kind === "Deployment" ? o : strip(o)));
}

export interface ExportMeta {
  readonly generatedAt: string;
}

/** The export file's text (a comment line, then the documents separated by `---`) and its documents. */
export function exportFile(
  s: ClusterSnapshot,
  ns: string,
  m: ExportMeta,
): { readonly content: string; readonly docs: readonly Wire[] } {
  const docs = exportDocuments(s, ns);
  const appmesh = docs.filter((d) => String(d.apiVersion).startsWith("appmesh.k8s.aws/")).length;
  const head =
    `# App Mesh export of namespace ${ns} from context ${JSON.stringify(s.context)} by meshlift discover at ${m.generatedAt}: ` +
    `${appmesh} App Mesh object(s), ${docs.length - appmesh} other; container env values redacted.\n`;
  const body = docs
    .map((d) => jsyaml.dump(d, { lineWidth: -1, noRefs: true, skipInvalid: true }))
    .join("---\n");
  return { content: head + body, docs };
}
