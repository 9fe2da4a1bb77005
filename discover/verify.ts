// The post-restart check: reads the live pods of the namespaces a phase moves to Istio and reports every pod that did not change sides cleanly.
import {
  callOptions,
  connect,
  ConnectOptions,
  Connection,
  ForbiddenError,
  listAll,
  printable,
} from "./connect";
import { appmeshEnvoy, get, isLive, isRecord, nameOf, Wire } from "./model";

/** The sidecar container Istio's injector adds (a native sidecar is an init container of that name). */
export const ISTIO_PROXY = "istio-proxy";

export const POD_PROBLEMS = [
  "appmesh-envoy",
  "both-proxies",
  "no-istio-proxy",
  "proxy-not-ready",
] as const;
export type PodProblem = (typeof POD_PROBLEMS)[number];

const DESCRIBE: Readonly<Record<PodProblem, string>> = {
  "appmesh-envoy": "still runs the App Mesh Envoy (not restarted since the move)",
  "both-proxies": "runs both the App Mesh Envoy and the Istio proxy (both injectors were on)",
  "no-istio-proxy": "has no Istio proxy in a namespace that runs on Istio",
  "proxy-not-ready": "has an Istio proxy that is not ready",
};

/** What `verify` checks in one namespace. */
export interface VerifyNamespace {
  readonly name: string;
  /** Sidecar mode expects an Istio proxy in every pod; ambient mode expects none, only no App Mesh Envoy. */
  readonly mode: "sidecar" | "ambient";
}

export interface PodFinding {
  readonly namespace: string;
  readonly pod: string;
  readonly problem: PodProblem;
  readonly detail: string;
}

export interface VerifyReport {
  readonly namespaces: readonly string[];
  /** Live pods checked (Pending or Running). */
  readonly pods: number;
  readonly findings: readonly PodFinding[];
}

function statusesOf(pod: Wire): Record<string, unknown>[] {
  return ["containerStatuses", "initContainerStatuses"].flatMap((f) => {
    const v = get(pod, "status", f);
    return Array.isArray(v) ? v.filter(isRecord) : [];
  });
}

function hasContainer(pod: Wire, name: string): boolean {
  return ["containers", "initContainers"].some((f) => {
    const v = get(pod, "spec", f);
    return Array.isArray(v) && v.some((c) => isRecord(c) && c.name === name);
  });
}

/** What is wrong with one live pod of a namespace on Istio, if anything. */
export function podProblem(
  pod: Wire,
  mode: VerifyNamespace["mode"],
): { problem: PodProblem; detail: string } | undefined {
  const envoy = appmeshEnvoy(pod);
  const istio = hasContainer(pod, ISTIO_PROXY);
  if (envoy && istio)
    return {
      problem: "both-proxies",
      detail: `${DESCRIBE["both-proxies"]}: container ${envoy.name}`,
    };
  if (envoy)
    return {
      problem: "appmesh-envoy",
      detail: `${DESCRIBE["appmesh-envoy"]}: container ${envoy.name}`,
    };
  if (mode === "ambient") return undefined;
  if (!istio) {
    const optOut =
      get(pod, "metadata", "annotations", "sidecar.istio.io/inject") === "false" ||
      get(pod, "metadata", "labels", "sidecar.istio.io/inject") === "false";
    return {
      problem: "no-istio-proxy",
      detail: `${DESCRIBE["no-istio-proxy"]}${optOut ? " (the pod sets sidecar.istio.io/inject=false)" : ""}`,
    };
  }
  const status = statusesOf(pod).find((s) => s.name === ISTIO_PROXY);
  if (status?.ready !== true) {
    const waiting = get(status, "state", "waiting", "reason");
    return {
      problem: "proxy-not-ready",
      detail: `${DESCRIBE["proxy-not-ready"]}${typeof waiting === "string" ? ` (${waiting})` : status ? "" : " (no status yet)"}`,
    };
  }
  return undefined;
}

/** Classifies the pods of each namespace (pure: tests and the CLI call it on what was read). */
export function verifyPods(
  namespaces: readonly VerifyNamespace[],
  pods: ReadonlyMap<string, readonly Wire[]>,
): VerifyReport {
  const findings: PodFinding[] = [];
  let count = 0;
  for (const ns of namespaces) {
    for (const pod of (pods.get(ns.name) ?? []).filter(isLive)) {
      count += 1;
      const p = podProblem(pod, ns.mode);
      if (p) findings.push({ namespace: ns.name, pod: printable(nameOf(pod)), ...p });
    }
  }
  return { namespaces: namespaces.map((n) => n.name), pods: count, findings };
}

/** Lists every pod of a namespace, page by page, as plain JSON. */
async function listPods(c: Connection, namespace: string): Promise<Wire[]> {
  const core = c.kc.makeApiClient(c.k8s.CoreV1Api);
  return listAll(c, { verb: "list", group: "", resource: "pods", namespace }, async (cont) => {
    const page = await core.listNamespacedPod(
      { namespace, limit: c.pageSize, ...(cont ? { _continue: cont } : {}) },
      callOptions(c),
    );
    return {
      items: page.items.map((p) => JSON.parse(JSON.stringify(p)) as Wire),
      metadata: page.metadata ?? {},
    };
  });
}

/** Reads the live pods of `namespaces` and classifies them. A 403 names the permission missing. */
export async function verifyCluster(
  namespaces: readonly VerifyNamespace[],
  o: ConnectOptions = {},
): Promise<VerifyReport & { readonly context: string; readonly server: string }> {
  const c = await connect(o);
  const pods = new Map<string, Wire[]>();
  try {
    for (const ns of namespaces) pods.set(ns.name, await listPods(c, ns.name));
  } catch (e) {
    if (e instanceof ForbiddenError) throw new VerifyForbiddenError(e.message);
    throw e;
  }
  return { ...verifyPods(namespaces, pods), context: c.context, server: c.server };
}

/** The cluster refused a read verify needs: exit 2 with what is missing. */
export class VerifyForbiddenError extends Error {
  constructor(message: string) {
    super(`${message}; verify needs get/list on pods in each namespace it checks`);
    this.name = "VerifyForbiddenError";
  }
}

/** The report as a table, one line per finding. */
export function renderVerify(r: VerifyReport): string {
  const head = `${r.pods} pod(s) checked in ${r.namespaces.length} namespace(s) (${r.namespaces.join(", ") || "none"}): `;
  if (!r.findings.length)
    return `${head}every pod runs the Istio data plane and no App Mesh Envoy.\n`;
  const lines = r.findings.map((f) => `  ${f.namespace}/${f.pod}  ${f.problem}  ${f.detail}`);
  const counts = POD_PROBLEMS.map(
    (p) => [p, r.findings.filter((f) => f.problem === p).length] as const,
  )
    .filter(([, n]) => n > 0)
    .map(([p, n]) => `${n} ${p}`)
    .join(", ");
  return `${head}${r.findings.length} problem(s): ${counts}\n${lines.join("\n")}\n`;
}
