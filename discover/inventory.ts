// inventory.json: namespaces, App Mesh objects per kind, Envoy pods, injection labels, webhooks, ambient facts and the precheck's blockers.
import { convert, countAppMeshObjects, exportSummary, ExportSummary, InputError } from "../appmesh";
import { atRisk, AtRiskNamespace } from "./at-risk";
import {
  appmeshEnvoy,
  ClusterSnapshot,
  get,
  isLive,
  isRecord,
  labelsOf,
  meshesOf,
  nameOf,
  namespaceOf,
  onFargate,
  snapshotIndex,
  webhookOwner,
  Wire,
} from "./model";
import { APPMESH_GROUP, APPMESH_KINDS } from "./reads";
import { RESERVED_NAMESPACES } from "../config/sections/migration";

export interface NamespaceInventory {
  readonly name: string;
  /** The export file, relative to the output directory. */
  readonly export: string;
  /** A platform namespace meshlift never migrates (not printed as a stack entry). */
  readonly reserved: boolean;
  readonly labels: {
    readonly appmesh?: string;
    readonly mesh?: string;
    readonly istioInjection?: string;
    readonly istioRevision?: string;
    readonly dataplaneMode?: string;
  };
  readonly meshes: readonly string[];
  readonly objects: Readonly<Record<string, number>>;
  readonly services: number;
  readonly deployments: number;
  readonly envoyPods: number;
  readonly fargatePods: number;
  readonly securityGroupPolicies: number;
  /** appmesh.k8s.aws/v1beta1 objects (not exported: the converter reads v1beta2). */
  readonly legacyObjects: number;
  readonly precheck: {
    readonly blocker: number;
    readonly warning: number;
    readonly info: number;
    readonly error?: string;
  };
  readonly blockers: readonly {
    readonly source: string;
    readonly field: string;
    readonly reason: string;
  }[];
}

export interface WebhookInventory {
  readonly kind: string;
  readonly name: string;
  readonly owner: "appmesh" | "istio";
  readonly webhooks: readonly {
    readonly name: string;
    readonly failurePolicy?: string;
    readonly service?: string;
    readonly namespaceSelector?: unknown;
  }[];
}

export interface Inventory {
  readonly meshlift: { readonly command: "discover"; readonly format: 1 };
  readonly generatedAt: string;
  readonly context: string;
  readonly server: string;
  readonly requested?: readonly string[];
  readonly appmesh: {
    readonly apiVersion?: string;
    readonly servedVersions: readonly string[];
    readonly legacyObjects: readonly string[];
  };
  readonly meshes: readonly {
    readonly name: string;
    readonly namespaces: readonly string[];
    readonly egressFilter: string;
  }[];
  /** App Mesh objects per kind, over the cluster (or the requested namespaces). */
  readonly objects: Readonly<Record<string, number>>;
  readonly namespaces: readonly NamespaceInventory[];
  readonly envoyPods: number;
  readonly atRisk: readonly AtRiskNamespace[];
  readonly webhooks: readonly WebhookInventory[];
  readonly ambient: {
    readonly awsNode: {
      readonly present: boolean;
      readonly podSecurityGroupEnforcingMode?: string;
      readonly enablePodEni?: string;
    };
    readonly securityGroupPolicies: { readonly installed: boolean; readonly total: number };
    readonly fargatePods: number;
  };
  readonly blockers: {
    readonly total: number;
    readonly byNamespace: Readonly<Record<string, number>>;
  };
}

/** The export file of a namespace, relative to the output directory. */
export function exportPath(ns: string): string {
  return `exports/${ns}.yaml`;
}

function awsNodeFacts(ds: Wire | undefined): Inventory["ambient"]["awsNode"] {
  if (!ds) return { present: false };
  const containers = get(ds, "spec", "template", "spec", "containers");
  const c = (Array.isArray(containers) ? containers : []).find(
    (x) => isRecord(x) && x.name === "aws-node",
  );
  const env = new Map<string, string>();
  for (const e of isRecord(c) && Array.isArray(c.env) ? c.env : []) {
    if (isRecord(e) && typeof e.name === "string" && typeof e.value === "string")
      env.set(e.name, e.value);
  }
  const mode = env.get("POD_SECURITY_GROUP_ENFORCING_MODE");
  const eni = env.get("ENABLE_POD_ENI");
  return {
    present: true,
    ...(mode !== undefined ? { podSecurityGroupEnforcingMode: mode } : {}),
    ...(eni !== undefined ? { enablePodEni: eni } : {}),
  };
}

function webhookInventory(w: Wire, owner: "appmesh" | "istio"): WebhookInventory {
  const hooks = (Array.isArray(w.webhooks) ? w.webhooks : []).filter(isRecord);
  return {
    kind: String(w.kind),
    name: nameOf(w),
    owner,
    webhooks: hooks.map((h) => {
      const svc = get(h, "clientConfig", "service");
      return {
        name: typeof h.name === "string" ? h.name : "",
        ...(typeof h.failurePolicy === "string" ? { failurePolicy: h.failurePolicy } : {}),
        ...(isRecord(svc) ? { service: `${String(svc.namespace)}/${String(svc.name)}` } : {}),
        ...(h.namespaceSelector !== undefined ? { namespaceSelector: h.namespaceSelector } : {}),
      };
    }),
  };
}

function precheckOf(
  ns: string,
  content: string,
  docs: readonly unknown[],
): {
  summary: ExportSummary;
  precheck: NamespaceInventory["precheck"];
  blockers: NamespaceInventory["blockers"];
} {
  try {
    const r = convert([{ path: exportPath(ns), content }], { namespace: ns });
    const summary = exportSummary(countAppMeshObjects(docs), r.findings);
    return {
      summary,
      precheck: { blocker: summary.blockers, warning: summary.warnings, info: summary.infos },
      blockers: r.findings
        .filter((f) => f.severity === "blocker")
        .map(({ source, field, reason }) => ({ source, field, reason })),
    };
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    // What the cluster holds but the converter cannot read (a CR the CRD would reject): a blocker of its own.
    const reason = `the converter rejects this export: ${e.message}`;
    return {
      summary: exportSummary(countAppMeshObjects(docs), []),
      precheck: { blocker: 1, warning: 0, info: 0, error: reason },
      blockers: [
        {
          source: `export ${exportPath(ns)}`,
          field: e.document === undefined ? "" : `document ${e.document}`,
          reason,
        },
      ],
    };
  }
}

/** The inventory of a snapshot, with the precheck run over each namespace's export (its text and documents). */
export function buildInventory(
  s: ClusterSnapshot,
  exports: ReadonlyMap<string, { readonly content: string; readonly docs: readonly Wire[] }>,
  generatedAt: string,
): Inventory {
  const risk = atRisk(s);
  const ix = snapshotIndex(s);
  const legacyByNs = new Map<string, number>();
  for (const o of s.legacy)
    legacyByNs.set(namespaceOf(o), (legacyByNs.get(namespaceOf(o)) ?? 0) + 1);
  const namespaces: NamespaceInventory[] = s.meshed.map((ns) => {
    const nsObj = ix.namespaces.get(ns) ?? { metadata: { name: ns } };
    const labels = labelsOf(nsObj);
    const pick = (k: string) => (Object.hasOwn(labels, k) ? labels[k] : undefined);
    const reads = s.perNamespace.get(ns);
    const ex = exports.get(ns) ?? { content: "", docs: [] };
    const { summary, precheck, blockers } = precheckOf(ns, ex.content, ex.docs);
    const live = (ix.pods.get(ns) ?? []).filter(isLive);
    const label = {
      appmesh: pick("appmesh.k8s.aws/sidecarInjectorWebhook"),
      mesh: pick("mesh"),
      istioInjection: pick("istio-injection"),
      istioRevision: pick("istio.io/rev"),
      dataplaneMode: pick("istio.io/dataplane-mode"),
    };
    return {
      name: ns,
      export: exportPath(ns),
      reserved: RESERVED_NAMESPACES.includes(ns),
      labels: Object.fromEntries(Object.entries(label).filter(([, v]) => v !== undefined)),
      meshes: meshesOf(nsObj, ix.appmesh.get("") ?? [], ix.appmesh.get(ns) ?? [])
        .map(nameOf)
        .sort(),
      objects: summary.objects,
      services: reads?.services.length ?? 0,
      deployments: reads?.deployments.length ?? 0,
      envoyPods: live.filter((p) => appmeshEnvoy(p)).length,
      fargatePods: live.filter(onFargate).length,
      securityGroupPolicies: reads?.securityGroupPolicies.length ?? 0,
      legacyObjects: legacyByNs.get(ns) ?? 0,
      precheck,
      blockers,
    };
  });
  const objects: Record<string, number> = Object.fromEntries(APPMESH_KINDS.map((k) => [k.kind, 0]));
  for (const o of s.appmesh)
    if (typeof o.kind === "string" && Object.hasOwn(objects, o.kind)) objects[o.kind] += 1;
  const webhooks: WebhookInventory[] = [];
  for (const w of s.webhooks) {
    const owner = webhookOwner(w);
    if (owner) webhooks.push(webhookInventory(w, owner));
  }
  const byNamespace = Object.fromEntries(namespaces.map((n) => [n.name, n.precheck.blocker]));
  return {
    meshlift: { command: "discover", format: 1 },
    generatedAt,
    context: s.context,
    server: s.server,
    ...(s.requested ? { requested: s.requested } : {}),
    appmesh: {
      ...(s.appmeshVersions.includes("v1beta2") ? { apiVersion: `${APPMESH_GROUP}/v1beta2` } : {}),
      servedVersions: s.appmeshVersions,
      legacyObjects: s.legacy.map(
        (o) => `${String(o.kind)} ${namespaceOf(o) ? `${namespaceOf(o)}/` : ""}${nameOf(o)}`,
      ),
    },
    meshes: s.appmesh
      .filter((o) => o.kind === "Mesh")
      .map((m) => ({
        name: nameOf(m),
        namespaces: namespaces.filter((n) => n.meshes.includes(nameOf(m))).map((n) => n.name),
        egressFilter: ((t) => (typeof t === "string" ? t : "ALLOW_ALL"))(
          get(m, "spec", "egressFilter", "type"),
        ),
      })),
    objects,
    namespaces,
    envoyPods: namespaces.reduce((n, x) => n + x.envoyPods, 0),
    atRisk: risk,
    webhooks,
    ambient: {
      awsNode: awsNodeFacts(s.awsNode),
      securityGroupPolicies: {
        installed: s.installed.securityGroupPolicies,
        total: namespaces.reduce((n, x) => n + x.securityGroupPolicies, 0),
      },
      fargatePods: namespaces.reduce((n, x) => n + x.fargatePods, 0),
    },
    blockers: { total: namespaces.reduce((n, x) => n + x.precheck.blocker, 0), byNamespace },
  };
}
