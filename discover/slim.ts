// What discover keeps of what it reads: the API server's JSON, and of pods and nodes only the fields its reports use.
import { isRecord, nameOf, Wire } from "./model";

/** Typed client objects -> the JSON the API server sent (Dates back to strings). */
export function wire<T>(typed: T, apiVersion: string, kind: string): Wire {
  const w = JSON.parse(JSON.stringify(typed)) as Wire;
  return { apiVersion, kind, ...w };
}

/** Only what the at-risk report and the ambient precheck read from a pod (no env values: they may be secrets). */
export function slimPod(p: Wire): Wire {
  const m = isRecord(p.metadata) ? p.metadata : {};
  const spec = isRecord(p.spec) ? p.spec : {};
  const slimContainers = (v: unknown) =>
    (Array.isArray(v) ? v : []).filter(isRecord).map((c) => ({
      name: c.name,
      image: c.image,
      env: (Array.isArray(c.env) ? c.env : []).filter(isRecord).map((e) => ({ name: e.name })),
    }));
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: m.name,
      namespace: m.namespace,
      ...(m.labels !== undefined ? { labels: m.labels } : {}),
      ...(m.ownerReferences !== undefined ? { ownerReferences: m.ownerReferences } : {}),
    },
    spec: {
      ...(spec.nodeName !== undefined ? { nodeName: spec.nodeName } : {}),
      ...(spec.schedulerName !== undefined ? { schedulerName: spec.schedulerName } : {}),
      containers: slimContainers(spec.containers),
      initContainers: slimContainers(spec.initContainers),
    },
    status: { phase: isRecord(p.status) ? p.status.phase : undefined },
  };
}

/** Only a node's name, labels, taints and whether it is schedulable. */
export function slimNode(n: Wire): Wire {
  const spec = isRecord(n.spec) ? n.spec : {};
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name: nameOf(n), labels: isRecord(n.metadata) ? n.metadata.labels : undefined },
    spec: { unschedulable: spec.unschedulable, taints: spec.taints },
  };
}
