// Workloads at risk now that App Mesh is gone: pods still running its Envoy, their owners, and what will restart them soon.
import {
  APPMESH_INJECT_LABEL,
  appmeshEnvoy,
  ClusterSnapshot,
  cmp,
  get,
  isLive,
  isRecord,
  labelsOf,
  nameOf,
  namespaceOf,
  snapshotIndex,
  stringMap,
  webhookOwner,
  Wire,
} from "./model";

/** A controller whose pods run the App Mesh Envoy. */
export interface RiskOwner {
  /** Deployment, StatefulSet, DaemonSet, ReplicaSet, Job... or Pod for a pod nobody owns. */
  readonly kind: string;
  readonly name: string;
  readonly pods: number;
  /** Why its pods restart soon (empty: nothing seen that restarts them). */
  readonly restartSoon: readonly string[];
}

export interface AtRiskNamespace {
  readonly namespace: string;
  readonly pods: number;
  readonly owners: readonly RiskOwner[];
  readonly restartSoon: boolean;
  /** The namespace's App Mesh injection label value, if set. */
  readonly injection?: string;
  /** The command that stops App Mesh injection there, so new pods start without the sidecar. */
  readonly stopInjection: string;
}

/** Taints that mean a node is being emptied (cordon, cluster-autoscaler and Karpenter scale-down). */
const DRAIN_TAINTS = [
  "node.kubernetes.io/unschedulable",
  "ToBeDeletedByClusterAutoscaler",
  "karpenter.sh/disrupted",
  "karpenter.sh/disruption",
];

/** Why a node is being drained, or undefined. */
export function drainReason(node: Wire): string | undefined {
  if (get(node, "spec", "unschedulable") === true) return "cordoned";
  const taints = get(node, "spec", "taints");
  for (const t of Array.isArray(taints) ? taints : []) {
    if (isRecord(t) && typeof t.key === "string" && DRAIN_TAINTS.includes(t.key))
      return `tainted ${t.key}`;
  }
  return undefined;
}

function controllerRef(o: Wire): { kind: string; name: string } | undefined {
  const refs = get(o, "metadata", "ownerReferences");
  const list = (Array.isArray(refs) ? refs : []).filter(isRecord);
  const ref = list.find((r) => r.controller === true) ?? list[0];
  if (!ref || typeof ref.kind !== "string" || typeof ref.name !== "string") return undefined;
  return { kind: ref.kind, name: ref.name };
}

/** A Deployment mid-rollout: the controller is replacing pods right now. */
export function rolloutInProgress(d: Wire): string | undefined {
  if (get(d, "spec", "paused") === true) return undefined;
  const generation = get(d, "metadata", "generation");
  const observed = get(d, "status", "observedGeneration");
  const replicas = get(d, "spec", "replicas");
  const updated = get(d, "status", "updatedReplicas");
  const want = typeof replicas === "number" ? replicas : 1;
  if (typeof generation === "number" && typeof observed === "number" && observed < generation) {
    return "rollout in progress (a new spec not yet observed by the controller)";
  }
  const conditions = get(d, "status", "conditions");
  const progressing = (Array.isArray(conditions) ? conditions : []).find(
    (c) => isRecord(c) && c.type === "Progressing",
  ) as Record<string, unknown> | undefined;
  const updatedN = typeof updated === "number" ? updated : 0;
  if (updatedN < want || progressing?.reason === "ReplicaSetUpdated") {
    return `rollout in progress (${updatedN} of ${want} replicas updated)`;
  }
  return undefined;
}

function hpaReason(hpa: Wire): string {
  const num = (v: unknown) => (typeof v === "number" ? v : undefined);
  const min = num(get(hpa, "spec", "minReplicas")) ?? 1;
  const max = num(get(hpa, "spec", "maxReplicas"));
  const now = num(get(hpa, "status", "currentReplicas"));
  return `HPA ${nameOf(hpa)} scales it between ${min} and ${max ?? "?"}${now !== undefined ? ` (now ${now})` : ""}: each scale-up starts pods with the App Mesh Envoy`;
}

/** POSIX shell quoting for a value from the cluster or the kubeconfig in a printed command. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9._:@/=+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The label key the App Mesh injector selects namespaces by (from its webhook), default appmesh.k8s.aws/sidecarInjectorWebhook. */
export function injectorLabel(webhooks: readonly Wire[]): string {
  for (const w of webhooks) {
    if (w.kind !== "MutatingWebhookConfiguration" || webhookOwner(w) !== "appmesh") continue;
    for (const h of Array.isArray(w.webhooks) ? w.webhooks : []) {
      const ml = stringMap(get(h, "namespaceSelector", "matchLabels"));
      const key = Object.keys(ml).find((k) => ml[k] === "enabled");
      if (key) return key;
    }
  }
  return APPMESH_INJECT_LABEL;
}

/** The command that stops App Mesh injection in a namespace (pods created afterwards get no App Mesh Envoy). */
export function stopInjectionCommand(
  context: string | undefined,
  ns: string,
  label: string,
): string {
  const ctx = context ? ` --context ${shellQuote(context)}` : "";
  return `kubectl${ctx} label namespace ${shellQuote(ns)} ${shellQuote(`${label}=disabled`)} --overwrite`;
}

/** Namespaces whose pods still run the App Mesh Envoy: most urgent (restart soon, then most pods) first. */
export function atRisk(s: ClusterSnapshot): AtRiskNamespace[] {
  const label = injectorLabel(s.webhooks);
  const draining = new Map<string, string>();
  for (const n of s.nodes) {
    const why = drainReason(n);
    if (why) draining.set(nameOf(n), why);
  }
  const byNs = new Map<string, Wire[]>();
  for (const p of s.pods) {
    if (!isLive(p) || !appmeshEnvoy(p)) continue;
    byNs.set(namespaceOf(p), [...(byNs.get(namespaceOf(p)) ?? []), p]);
  }
  const out: AtRiskNamespace[] = [];
  for (const [ns, pods] of byNs) {
    const reads = s.perNamespace.get(ns);
    const owners = new Map<string, { kind: string; name: string; pods: Wire[] }>();
    for (const p of pods) {
      let owner = controllerRef(p) ?? { kind: "Pod", name: nameOf(p) };
      if (owner.kind === "ReplicaSet") {
        const rs = reads?.replicaSets.find((r) => nameOf(r) === owner.name);
        const up = rs ? controllerRef(rs) : undefined;
        if (up) owner = up;
      }
      const k = `${owner.kind}/${owner.name}`;
      const entry = owners.get(k) ?? { ...owner, pods: [] };
      entry.pods.push(p);
      owners.set(k, entry);
    }
    const list: RiskOwner[] = [...owners.values()].map((o) => {
      const reasons: string[] = [];
      if (o.kind === "Deployment") {
        const d = reads?.deployments.find((x) => nameOf(x) === o.name);
        const r = d ? rolloutInProgress(d) : undefined;
        if (r) reasons.push(r);
      }
      for (const h of reads?.hpas ?? []) {
        if (
          get(h, "spec", "scaleTargetRef", "kind") === o.kind &&
          get(h, "spec", "scaleTargetRef", "name") === o.name
        ) {
          reasons.push(hpaReason(h));
        }
      }
      const onDraining = o.pods
        .map((p) => get(p, "spec", "nodeName"))
        .filter((n): n is string => typeof n === "string" && draining.has(n));
      if (onDraining.length) {
        const nodes = [...new Set(onDraining)]
          .slice(0, 3)
          .map((n) => `${n} ${draining.get(n) ?? ""}`);
        reasons.push(
          `${onDraining.length} pod(s) on nodes being drained (${nodes.join(", ")}${new Set(onDraining).size > 3 ? ", ..." : ""})`,
        );
      }
      return { kind: o.kind, name: o.name, pods: o.pods.length, restartSoon: reasons };
    });
    list.sort(
      (a, b) =>
        b.restartSoon.length - a.restartSoon.length ||
        b.pods - a.pods ||
        cmp(`${a.kind}/${a.name}`, `${b.kind}/${b.name}`),
    );
    const nsObj = snapshotIndex(s).namespaces.get(ns);
    const nsLabels = nsObj ? labelsOf(nsObj) : {};
    const injection = Object.hasOwn(nsLabels, label) ? nsLabels[label] : undefined;
    out.push({
      namespace: ns,
      pods: pods.length,
      owners: list,
      restartSoon: list.some((o) => o.restartSoon.length > 0),
      ...(injection !== undefined ? { injection } : {}),
      stopInjection: stopInjectionCommand(s.context, ns, label),
    });
  }
  return out.sort(
    (a, b) =>
      Number(b.restartSoon) - Number(a.restartSoon) ||
      b.pods - a.pods ||
      cmp(a.namespace, b.namespace),
  );
}
