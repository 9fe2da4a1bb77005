// A local Kubernetes API server for tests: fixture objects over HTTP(S) on 127.0.0.1, spoken to by the real @kubernetes/client-node.
//
// What it serves (the paths and headers @kubernetes/client-node 1.4 sends, read from its dist/):
// - discovery: /version, /api, /apis, /apis/<group>, /api/v1, /apis/<group>/<version> (APIResourceList,
//   what KubernetesObjectApi reads to find a kind's plural and scope);
// - collections /api/v1[/namespaces/<ns>]/<resource> and /apis/<g>/<v>[/namespaces/<ns>]/<resource>:
//   GET list (`limit`/`continue` pages in key order, `labelSelector`, `fieldSelector`, `resourceVersion`),
//   GET `watch=true` (ADDED/MODIFIED/DELETED lines, BOOKMARK on request, 410 ERROR event for a too-old
//   resourceVersion), POST create; a namespaced resource without a namespace lists every namespace;
// - items .../<resource>/<name>[/status]: GET, PUT (resourceVersion conflicts), PATCH with the client's content
//   types (json-patch, merge-patch, apply-patch+yaml server-side-apply style, strategic-merge as merge for
//   built-in kinds and 415 for custom ones), DELETE; the status subresource changes only `status`;
// - errors as Kubernetes `Status` objects (401, 403 naming verb/resource/scope, 404, 409, 410, 422, 500...)
//   and, for an API group that is not installed, the plain-text `404 page not found` of today's API servers.
// Not modelled: admission, defaulting and validation of objects, field ownership conflicts, list snapshots (a
// later page reads the current objects after the last key), namespace deletion.
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as http from "node:http";
import * as https from "node:https";
import { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import * as jsyaml from "js-yaml";
import YAML from "yaml";

/** A served resource type: one group/version/resource. */
export interface ResourceType {
  /** "" for the core group. */
  readonly group: string;
  readonly version: string;
  /** The plural, lower-case: "virtualnodes". */
  readonly resource: string;
  readonly kind: string;
  readonly namespaced: boolean;
  /** Whether it has a `status` subresource (then writes to the object itself keep the old status). @default true */
  readonly status?: boolean;
  readonly shortNames?: readonly string[];
}

export type KubeObject = Record<string, unknown> & {
  apiVersion?: string;
  kind?: string;
  metadata?: Record<string, unknown>;
};

export type Verb = "get" | "list" | "watch" | "create" | "update" | "patch" | "delete";

/** An injected failure (or delay): the first rules that match a request answer it. */
export interface FailureRule {
  readonly verb?: Verb;
  readonly group?: string;
  readonly resource?: string;
  /** Only requests to this namespace ("" for cluster-scope requests). */
  readonly namespace?: string;
  readonly name?: string;
  readonly subresource?: string;
  /** Any other request path (e.g. "/apis"); matched exactly. */
  readonly path?: string;
  /** HTTP status to answer with; without one the request is only delayed. */
  readonly status?: number;
  readonly reason?: string;
  readonly message?: string;
  /** Wait this long before answering (slow API server). */
  readonly delayMs?: number;
  /** Match this many requests, then stop. @default unlimited */
  readonly times?: number;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string>>;
  readonly status: number;
}

export interface KubeApiServerOptions {
  /** HTTPS with a fresh self-signed certificate for 127.0.0.1 (needs the openssl CLI). @default false */
  readonly tls?: boolean;
  /** Bearer token every request must carry (401 otherwise). @default none: anonymous requests pass */
  readonly token?: string;
  /** The user named in 403 messages. @default "meshlift-test" */
  readonly user?: string;
  /** Custom resource types to serve besides the built-in ones. @default [] */
  readonly types?: readonly ResourceType[];
  /** Watch events kept for resourceVersion replays. @default 10000 */
  readonly eventLog?: number;
}

export interface KubeconfigOptions {
  /** @default "local" */
  readonly context?: string;
  /** Bearer token in the user entry. @default the server's token */
  readonly token?: string;
  /** An `exec` credential plugin instead of a token (kubectl's client.authentication.k8s.io/v1). */
  readonly exec?: { readonly command: string; readonly args?: readonly string[] };
  readonly namespace?: string;
  /** Server URL to put in the file (e.g. a closed port). @default this server */
  readonly server?: string;
}

const BUILTIN_TYPES: readonly ResourceType[] = [
  { group: "", version: "v1", resource: "namespaces", kind: "Namespace", namespaced: false },
  { group: "", version: "v1", resource: "nodes", kind: "Node", namespaced: false },
  { group: "", version: "v1", resource: "pods", kind: "Pod", namespaced: true },
  { group: "", version: "v1", resource: "services", kind: "Service", namespaced: true },
  {
    group: "",
    version: "v1",
    resource: "configmaps",
    kind: "ConfigMap",
    namespaced: true,
    status: false,
  },
  {
    group: "",
    version: "v1",
    resource: "secrets",
    kind: "Secret",
    namespaced: true,
    status: false,
  },
  {
    group: "",
    version: "v1",
    resource: "serviceaccounts",
    kind: "ServiceAccount",
    namespaced: true,
    status: false,
  },
  { group: "apps", version: "v1", resource: "deployments", kind: "Deployment", namespaced: true },
  { group: "apps", version: "v1", resource: "replicasets", kind: "ReplicaSet", namespaced: true },
  { group: "apps", version: "v1", resource: "daemonsets", kind: "DaemonSet", namespaced: true },
  { group: "apps", version: "v1", resource: "statefulsets", kind: "StatefulSet", namespaced: true },
  {
    group: "autoscaling",
    version: "v2",
    resource: "horizontalpodautoscalers",
    kind: "HorizontalPodAutoscaler",
    namespaced: true,
  },
  {
    group: "admissionregistration.k8s.io",
    version: "v1",
    resource: "mutatingwebhookconfigurations",
    kind: "MutatingWebhookConfiguration",
    namespaced: false,
    status: false,
  },
  {
    group: "admissionregistration.k8s.io",
    version: "v1",
    resource: "validatingwebhookconfigurations",
    kind: "ValidatingWebhookConfiguration",
    namespaced: false,
    status: false,
  },
  {
    group: "apiextensions.k8s.io",
    version: "v1",
    resource: "customresourcedefinitions",
    kind: "CustomResourceDefinition",
    namespaced: false,
  },
];
const BUILTIN_GROUPS = new Set(BUILTIN_TYPES.map((t) => t.group));

function typeKey(group: string, version: string, resource: string): string {
  return `${group}/${version}/${resource}`;
}
function apiVersionOf(t: ResourceType): string {
  return t.group === "" ? t.version : `${t.group}/${t.version}`;
}
function qualified(t: ResourceType): string {
  return t.group === "" ? t.resource : `${t.resource}.${t.group}`;
}
function objectKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
/** Own-property write: a `__proto__` key in JSON stays data, as it does in a real API server. */
function setKey(o: Record<string, unknown>, k: string, v: unknown): void {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}
function clone<T>(v: T): T {
  return structuredClone(v);
}

/** An error the server answers with a Kubernetes Status. */
class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export function statusBody(
  code: number,
  reason: string,
  message: string,
  details: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message,
    reason,
    details,
    code,
  };
}

const REASONS: Record<number, string> = {
  400: "BadRequest",
  401: "Unauthorized",
  403: "Forbidden",
  404: "NotFound",
  405: "MethodNotAllowed",
  409: "Conflict",
  410: "Expired",
  415: "UnsupportedMediaType",
  422: "Invalid",
  429: "TooManyRequests",
  500: "InternalError",
  503: "ServiceUnavailable",
  504: "Timeout",
};

// ---- selectors and patches (pure) ---------------------------------------------------------------

type LabelTerm = (labels: Record<string, string>) => boolean;

/** Kubernetes label selector syntax: k=v, k==v, k!=v, k in (a,b), k notin (a,b), k, !k. */
export function parseLabelSelector(s: string): LabelTerm {
  const terms: LabelTerm[] = [];
  for (const raw of s.match(/(?:[^,(]|\([^)]*\))+/g) ?? []) {
    const t = raw.trim();
    if (t === "") continue;
    let m: RegExpExecArray | null;
    if ((m = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(t))) {
      const [, k, op, list] = m;
      const values = new Set(list.split(",").map((x) => x.trim()));
      terms.push((l) => (op === "in" ? k in l && values.has(l[k]) : !(k in l && values.has(l[k]))));
    } else if ((m = /^([\w./-]+)\s*(==|=|!=)\s*([\w./-]*)$/.exec(t))) {
      const [, k, op, v] = m;
      terms.push((l) => (op === "!=" ? l[k] !== v : l[k] === v));
    } else if ((m = /^(!?)([\w./-]+)$/.exec(t))) {
      const [, not, k] = m;
      terms.push((l) => (not ? !(k in l) : k in l));
    } else {
      throw new ApiError(400, "BadRequest", `unable to parse requirement: ${JSON.stringify(t)}`);
    }
  }
  return (l) => terms.every((f) => f(l));
}

function pathValue(o: unknown, dotted: string): unknown {
  let cur = o;
  for (const part of dotted.split(".")) {
    if (!isRecord(cur)) return undefined;
    cur = cur[part];
  }
  return cur;
}

/** Field selectors: path=value, path==value, path!=value (any dotted path, as a string). */
export function parseFieldSelector(s: string): (o: unknown) => boolean {
  const terms = s
    .split(",")
    .filter((t) => t.trim() !== "")
    .map((t) => {
      const m = /^([\w.]+)\s*(==|=|!=)\s*(.*)$/.exec(t.trim());
      if (!m) throw new ApiError(400, "BadRequest", `invalid field selector: ${JSON.stringify(t)}`);
      const [, p, op, v] = m;
      return (o: unknown) => {
        const x = pathValue(o, p);
        const str =
          typeof x === "string" ? x : typeof x === "number" || typeof x === "boolean" ? `${x}` : "";
        return op === "!=" ? str !== v : str === v;
      };
    });
  return (o) => terms.every((f) => f(o));
}

/** RFC 7386 JSON merge patch. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isRecord(patch)) return clone(patch);
  const out: Record<string, unknown> = isRecord(target) ? clone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else setKey(out, k, mergePatch(out[k], v));
  }
  return out;
}

function pointer(p: string): string[] {
  if (p === "") return [];
  if (!p.startsWith("/"))
    throw new ApiError(422, "Invalid", `invalid JSON pointer ${JSON.stringify(p)}`);
  return p
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** RFC 6902 JSON patch (add, remove, replace, move, copy, test). */
export function jsonPatch(doc: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops))
    throw new ApiError(400, "BadRequest", "a JSON patch must be a list of operations");
  let root: unknown = clone(doc);
  const parentOf = (parts: string[]): { parent: unknown; last: string } => {
    let cur = root;
    for (const part of parts.slice(0, -1)) {
      cur = Array.isArray(cur) ? cur[Number(part)] : isRecord(cur) ? cur[part] : undefined;
      if (cur === undefined)
        throw new ApiError(422, "Invalid", `path /${parts.join("/")} does not exist`);
    }
    return { parent: cur, last: parts[parts.length - 1] };
  };
  const read = (p: string): unknown => {
    let cur = root;
    for (const part of pointer(p)) {
      cur = Array.isArray(cur) ? cur[Number(part)] : isRecord(cur) ? cur[part] : undefined;
      if (cur === undefined) throw new ApiError(422, "Invalid", `path ${p} does not exist`);
    }
    return cur;
  };
  const remove = (p: string): unknown => {
    const parts = pointer(p);
    if (parts.length === 0) throw new ApiError(422, "Invalid", "cannot remove the whole document");
    const { parent, last } = parentOf(parts);
    const old = read(p);
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else if (isRecord(parent)) delete parent[last];
    return old;
  };
  const add = (p: string, value: unknown, replace: boolean): void => {
    const parts = pointer(p);
    if (parts.length === 0) {
      root = clone(value);
      return;
    }
    const { parent, last } = parentOf(parts);
    if (Array.isArray(parent)) {
      const i = last === "-" ? parent.length : Number(last);
      if (!Number.isInteger(i) || i < 0 || i > parent.length)
        throw new ApiError(422, "Invalid", `index ${last} out of range at ${p}`);
      if (replace) parent[i] = clone(value);
      else parent.splice(i, 0, clone(value));
    } else if (isRecord(parent)) {
      if (replace && !(last in parent))
        throw new ApiError(422, "Invalid", `path ${p} does not exist`);
      setKey(parent, last, clone(value));
    } else throw new ApiError(422, "Invalid", `path ${p} has no parent object`);
  };
  for (const op of ops) {
    if (!isRecord(op) || typeof op.op !== "string" || typeof op.path !== "string")
      throw new ApiError(400, "BadRequest", `invalid JSON patch operation ${JSON.stringify(op)}`);
    switch (op.op) {
      case "add":
        add(op.path, op.value, false);
        break;
      case "replace":
        read(op.path);
        add(op.path, op.value, true);
        break;
      case "remove":
        remove(op.path);
        break;
      case "move":
        add(op.path, remove(String(op.from)), false);
        break;
      case "copy":
        add(op.path, read(String(op.from)), false);
        break;
      case "test":
        if (JSON.stringify(read(op.path)) !== JSON.stringify(op.value))
          throw new ApiError(422, "Invalid", `test operation failed at ${op.path}`);
        break;
      default:
        throw new ApiError(
          400,
          "BadRequest",
          `unknown JSON patch operation ${JSON.stringify(op.op)}`,
        );
    }
  }
  return root;
}

// ---- the server -----------------------------------------------------------------------------------

interface Target {
  readonly type: ResourceType;
  readonly namespace?: string;
  readonly name?: string;
  readonly subresource?: string;
}

interface Watcher {
  readonly type: ResourceType;
  readonly namespace?: string;
  readonly matches: (o: KubeObject) => boolean;
  readonly bookmarks: boolean;
  readonly res: http.ServerResponse;
}

interface LoggedEvent {
  readonly rv: number;
  readonly key: string;
  readonly type: "ADDED" | "MODIFIED" | "DELETED";
  readonly object: KubeObject;
}

export class KubeApiServer {
  readonly requests: RecordedRequest[] = [];
  /** Requests being answered now, and the most seen at once (watches excluded). */
  inFlight = 0;
  maxInFlight = 0;
  private readonly types = new Map<string, ResourceType>();
  private readonly store = new Map<string, Map<string, KubeObject>>();
  private readonly events: LoggedEvent[] = [];
  private readonly watchers = new Set<Watcher>();
  private rules: { rule: FailureRule; left: number }[] = [];
  private rv = 1;
  /** Pending injected delays, cleared on close so that no timer outlives the server. */
  private readonly delays = new Set<NodeJS.Timeout>();
  private constructor(
    private readonly server: http.Server,
    readonly url: string,
    private readonly opts: KubeApiServerOptions,
    private readonly caPem?: string,
  ) {
    for (const t of [...BUILTIN_TYPES, ...(opts.types ?? [])]) this.define(t);
  }

  /** Starts on 127.0.0.1 on a free port. */
  static async start(opts: KubeApiServerOptions = {}): Promise<KubeApiServer> {
    let server: http.Server;
    let ca: string | undefined;
    if (opts.tls) {
      const { cert, key } = selfSignedCert();
      ca = cert;
      server = https.createServer({ cert, key });
    } else server = http.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", resolve);
    });
    const { port } = server.address() as AddressInfo;
    const k = new KubeApiServer(
      server,
      `${opts.tls ? "https" : "http"}://127.0.0.1:${port}`,
      opts,
      ca,
    );
    server.on("request", (req, res) => {
      k.handle(req, res).catch((e: unknown) => {
        if (!res.headersSent) k.sendStatus(res, new ApiError(500, "InternalError", String(e)));
        else res.end();
      });
    });
    return k;
  }

  /** Ends every watch and stops listening. */
  async close(): Promise<void> {
    for (const t of this.delays) clearTimeout(t);
    this.delays.clear();
    for (const w of this.watchers) w.res.end();
    this.watchers.clear();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  // ---- types ----

  /** Serves a resource type (a CRD installed); custom types also get a CustomResourceDefinition object. */
  define(t: ResourceType): void {
    const k = typeKey(t.group, t.version, t.resource);
    this.types.set(k, t);
    if (!this.store.has(k)) this.store.set(k, new Map());
    if (!BUILTIN_GROUPS.has(t.group)) {
      const crdName = `${t.resource}.${t.group}`;
      const crds = this.store.get(
        typeKey("apiextensions.k8s.io", "v1", "customresourcedefinitions"),
      );
      const existing = crds?.get(crdName);
      const versions = (
        (pathValue(existing, "spec.versions") as { name: string }[] | undefined) ?? []
      ).filter((v) => v.name !== t.version);
      this.add({
        apiVersion: "apiextensions.k8s.io/v1",
        kind: "CustomResourceDefinition",
        metadata: { name: crdName },
        spec: {
          group: t.group,
          names: { plural: t.resource, kind: t.kind, listKind: `${t.kind}List` },
          scope: t.namespaced ? "Namespaced" : "Cluster",
          versions: [
            ...versions,
            {
              name: t.version,
              served: true,
              storage: versions.length === 0,
              subresources: t.status === false ? {} : { status: {} },
            },
          ],
        },
      });
    }
  }

  /** Stops serving a type and drops its objects (a CRD uninstalled): its paths answer 404. */
  undefine(group: string, version: string, resource: string): void {
    const k = typeKey(group, version, resource);
    this.types.delete(k);
    this.store.delete(k);
    const others = [...this.types.values()].some(
      (t) => t.group === group && t.resource === resource,
    );
    if (!others && !BUILTIN_GROUPS.has(group)) {
      this.remove(
        "apiextensions.k8s.io/v1",
        "CustomResourceDefinition",
        undefined,
        `${resource}.${group}`,
      );
    }
  }

  private typeFor(apiVersion: string, kind: string): ResourceType {
    const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
    for (const t of this.types.values()) {
      if (t.group === group && t.version === version && t.kind === kind) return t;
    }
    throw new Error(`kube-api-server: no type ${apiVersion} ${kind} is served (define it first)`);
  }

  // ---- test-side access (no HTTP, no auth, no failures) ----

  /** Creates or replaces an object as given (server fields added); emits ADDED or MODIFIED. */
  add(obj: KubeObject): KubeObject {
    if (typeof obj.apiVersion !== "string" || typeof obj.kind !== "string")
      throw new Error("kube-api-server: an object needs apiVersion and kind");
    const t = this.typeFor(obj.apiVersion, obj.kind);
    const meta = isRecord(obj.metadata) ? obj.metadata : {};
    if (typeof meta.name !== "string")
      throw new Error("kube-api-server: an object needs metadata.name");
    const ns = t.namespaced
      ? typeof meta.namespace === "string" && meta.namespace !== ""
        ? meta.namespace
        : "default"
      : undefined;
    const key = objectKey(ns, meta.name);
    const old = this.store.get(typeKey(t.group, t.version, t.resource))?.get(key);
    const next = clone(obj);
    if (ns !== undefined) (next.metadata as Record<string, unknown>).namespace = ns;
    return this.write(t, key, next, old);
  }

  get(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    name: string,
  ): KubeObject | undefined {
    const t = this.typeFor(apiVersion, kind);
    const o = this.store
      .get(typeKey(t.group, t.version, t.resource))
      ?.get(objectKey(t.namespaced ? namespace : undefined, name));
    return o ? clone(o) : undefined;
  }

  list(apiVersion: string, kind: string, namespace?: string): KubeObject[] {
    const t = this.typeFor(apiVersion, kind);
    return this.select(t, namespace).map(clone);
  }

  /** Changes an object in place (e.g. moves its status on); emits MODIFIED. */
  update(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    name: string,
    change: (o: KubeObject) => void,
  ): KubeObject {
    const t = this.typeFor(apiVersion, kind);
    const key = objectKey(t.namespaced ? namespace : undefined, name);
    const old = this.store.get(typeKey(t.group, t.version, t.resource))?.get(key);
    if (!old) throw new Error(`kube-api-server: ${kind} ${key} does not exist`);
    const next = clone(old);
    change(next);
    return this.write(t, key, next, old);
  }

  /** Deletes an object; emits DELETED. Returns whether it existed. */
  remove(apiVersion: string, kind: string, namespace: string | undefined, name: string): boolean {
    const t = this.typeFor(apiVersion, kind);
    return this.delete(t, objectKey(t.namespaced ? namespace : undefined, name)) !== undefined;
  }

  /** Injects a failure or a delay; returns a function that removes it. */
  failOn(rule: FailureRule): () => void {
    const entry = { rule, left: rule.times ?? Infinity };
    this.rules.push(entry);
    return () => {
      this.rules = this.rules.filter((r) => r !== entry);
    };
  }

  clearFailures(): void {
    this.rules = [];
  }

  /** Sends a BOOKMARK to every watch that asked for bookmarks. */
  bookmark(): void {
    for (const w of this.watchers) {
      if (!w.bookmarks) continue;
      this.sendEvent(w, "BOOKMARK", {
        apiVersion: apiVersionOf(w.type),
        kind: w.type.kind,
        metadata: { resourceVersion: String(this.rv) },
      });
    }
  }

  /** Ends every open watch from the server side (clients must re-list or re-watch). */
  closeWatches(): void {
    for (const w of this.watchers) w.res.end();
    this.watchers.clear();
  }

  /** Open watch connections. */
  get watchCount(): number {
    return this.watchers.size;
  }

  /** A kubeconfig (YAML) for this server. */
  kubeconfig(o: KubeconfigOptions = {}): string {
    const name = o.context ?? "local";
    const token = o.token ?? this.opts.token;
    const cluster: Record<string, unknown> = { server: o.server ?? this.url };
    if (this.caPem)
      cluster["certificate-authority-data"] = Buffer.from(this.caPem).toString("base64");
    else cluster["insecure-skip-tls-verify"] = true;
    const user: Record<string, unknown> = {};
    if (o.exec) {
      user.exec = {
        apiVersion: "client.authentication.k8s.io/v1",
        command: o.exec.command,
        args: [...(o.exec.args ?? [])],
        interactiveMode: "Never",
      };
    } else if (token) user.token = token;
    return jsyaml.dump({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name, cluster }],
      users: [{ name, user }],
      contexts: [
        {
          name,
          context: {
            cluster: name,
            user: name,
            ...(o.namespace ? { namespace: o.namespace } : {}),
          },
        },
      ],
      "current-context": name,
    });
  }

  /** Writes kubeconfig() into `dir` and returns its path. */
  writeKubeconfig(dir: string, o: KubeconfigOptions = {}): string {
    const file = path.join(dir, `kubeconfig-${o.context ?? "local"}.yaml`);
    fs.writeFileSync(file, this.kubeconfig(o), { mode: 0o600 });
    return file;
  }

  // ---- storage ----

  private bucket(t: ResourceType): Map<string, KubeObject> {
    const k = typeKey(t.group, t.version, t.resource);
    let b = this.store.get(k);
    if (!b) {
      b = new Map();
      this.store.set(k, b);
    }
    return b;
  }

  private write(
    t: ResourceType,
    key: string,
    obj: KubeObject,
    old: KubeObject | undefined,
  ): KubeObject {
    const meta: Record<string, unknown> = isRecord(obj.metadata) ? obj.metadata : {};
    obj.metadata = meta;
    obj.apiVersion = apiVersionOf(t);
    obj.kind = t.kind;
    const oldMeta = isRecord(old?.metadata) ? old.metadata : undefined;
    meta.uid = oldMeta?.uid ?? meta.uid ?? randomUUID();
    meta.creationTimestamp =
      oldMeta?.creationTimestamp ?? meta.creationTimestamp ?? new Date().toISOString();
    const specOf = (o: KubeObject | undefined) =>
      o
        ? JSON.stringify(Object.entries(o).filter(([k]) => k !== "metadata" && k !== "status"))
        : "";
    const gen = typeof oldMeta?.generation === "number" ? oldMeta.generation : 0;
    meta.generation = !old
      ? typeof meta.generation === "number"
        ? meta.generation
        : 1
      : specOf(old) !== specOf(obj)
        ? gen + 1
        : gen;
    this.rv += 1;
    meta.resourceVersion = String(this.rv);
    this.bucket(t).set(key, obj);
    this.emit(t, key, old ? "MODIFIED" : "ADDED", obj);
    return clone(obj);
  }

  private delete(t: ResourceType, key: string): KubeObject | undefined {
    const b = this.bucket(t);
    const old = b.get(key);
    if (!old) return undefined;
    b.delete(key);
    this.rv += 1;
    const gone = clone(old);
    (gone.metadata as Record<string, unknown>).resourceVersion = String(this.rv);
    this.emit(t, key, "DELETED", gone);
    return gone;
  }

  private emit(t: ResourceType, key: string, type: LoggedEvent["type"], obj: KubeObject): void {
    const tk = typeKey(t.group, t.version, t.resource);
    this.events.push({ rv: this.rv, key: `${tk}|${key}`, type, object: clone(obj) });
    const max = this.opts.eventLog ?? 10000;
    if (this.events.length > max) this.events.splice(0, this.events.length - max);
    for (const w of this.watchers) {
      if (w.type !== t) continue;
      const ns = (obj.metadata as Record<string, unknown>).namespace;
      if (w.namespace !== undefined && ns !== w.namespace) continue;
      if (w.matches(obj)) this.sendEvent(w, type, obj);
    }
  }

  /** Objects of a type (in one namespace, or all), in key order. */
  private select(t: ResourceType, namespace?: string): KubeObject[] {
    const out: [string, KubeObject][] = [];
    for (const [k, o] of this.bucket(t)) {
      if (
        namespace !== undefined &&
        (o.metadata as Record<string, unknown>).namespace !== namespace
      )
        continue;
      out.push([k, o]);
    }
    return out.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, o]) => o);
  }

  // ---- HTTP ----

  private record(req: http.IncomingMessage, url: URL, status: number): void {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers[k] = v;
    this.requests.push({
      method: req.method ?? "",
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      status,
    });
  }

  private sendJson(res: http.ServerResponse, code: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(code, {
      "Content-Type": "application/json",
      "Content-Length": Buffer.byteLength(text),
    });
    res.end(text);
  }

  private sendStatus(res: http.ServerResponse, e: ApiError): void {
    this.sendJson(res, e.code, statusBody(e.code, e.reason, e.message, e.details));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const watching =
      url.searchParams.get("watch") === "true" || url.searchParams.get("watch") === "1";
    if (!watching) {
      this.inFlight += 1;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
      res.on("close", () => (this.inFlight -= 1));
    }
    res.on("finish", () => this.record(req, url, res.statusCode));
    const token = this.opts.token;
    if (token && req.headers.authorization !== `Bearer ${token}`) {
      this.sendStatus(res, new ApiError(401, "Unauthorized", "Unauthorized"));
      return;
    }
    let target: Target | undefined;
    let verb: Verb | undefined;
    try {
      const parsed = this.route(url.pathname);
      if (parsed === "text404") {
        if (await this.injected(req, url, res, undefined, undefined)) return;
        res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" });
        res.end("404 page not found\n");
        return;
      }
      if (!("type" in parsed)) {
        if (await this.injected(req, url, res, undefined, undefined)) return;
        this.sendJson(res, 200, parsed.body);
        return;
      }
      target = parsed;
      verb = verbOf(req.method ?? "GET", target, url);
      if (await this.injected(req, url, res, target, verb)) return;
      const body = ["POST", "PUT", "PATCH"].includes(req.method ?? "") ? await readBody(req) : "";
      await this.serve(req, res, url, target, verb, body);
    } catch (e) {
      if (e instanceof ApiError) this.sendStatus(res, e);
      else throw e;
    }
  }

  /** Applies the first matching injected rule; true when it answered. */
  private async injected(
    req: http.IncomingMessage,
    url: URL,
    res: http.ServerResponse,
    target: Target | undefined,
    verb: Verb | undefined,
  ): Promise<boolean> {
    const hit = this.rules.find(({ rule: r, left }) => {
      if (left <= 0) return false;
      if (r.path !== undefined) return r.path === url.pathname;
      if (!target || !verb) return false;
      return (
        (r.verb === undefined || r.verb === verb) &&
        (r.group === undefined || r.group === target.type.group) &&
        (r.resource === undefined || r.resource === target.type.resource) &&
        (r.namespace === undefined || r.namespace === (target.namespace ?? "")) &&
        (r.name === undefined || r.name === target.name) &&
        (r.subresource === undefined || r.subresource === target.subresource)
      );
    });
    if (!hit) return false;
    hit.left -= 1;
    const r = hit.rule;
    if (r.delayMs) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          this.delays.delete(t);
          resolve();
        }, r.delayMs);
        this.delays.add(t);
      });
    }
    if (r.status === undefined) return false;
    if (req.destroyed) return true;
    const reason = r.reason ?? REASONS[r.status] ?? "Unknown";
    let message = r.message;
    const details: Record<string, unknown> = {};
    if (target) {
      details.group = target.type.group;
      details.kind = target.type.resource;
      if (target.name) details.name = target.name;
    }
    if (!message && r.status === 403 && target && verb) {
      const scope = target.namespace
        ? `in the namespace "${target.namespace}"`
        : "at the cluster scope";
      const res0 = target.subresource
        ? `${target.type.resource}/${target.subresource}`
        : target.type.resource;
      message =
        `${qualified(target.type)}${target.name ? ` "${target.name}"` : ""} is forbidden: User "${this.opts.user ?? "meshlift-test"}" ` +
        `cannot ${verb} resource "${res0}" in API group "${target.type.group}" ${scope}`;
    }
    if (!message && r.status === 404 && target) {
      message = target.name
        ? `${qualified(target.type)} "${target.name}" not found`
        : "the server could not find the requested resource";
    }
    this.sendStatus(
      res,
      new ApiError(r.status, reason, message ?? `injected ${r.status}`, details),
    );
    return true;
  }

  /** Discovery documents, a resource target, or a plain 404 for an unknown group/version. */
  private route(p: string): Target | { body: unknown } | "text404" {
    const segs = p
      .split("/")
      .filter((s) => s !== "")
      .map(decodeURIComponent);
    if (p === "/version")
      return {
        body: {
          major: "1",
          minor: "32",
          gitVersion: "v1.32.0-meshlift-test",
          platform: "linux/amd64",
        },
      };
    if (segs[0] === "api" && segs.length === 1) {
      return {
        body: {
          kind: "APIVersions",
          versions: ["v1"],
          serverAddressByClientCIDRs: [
            { clientCIDR: "0.0.0.0/0", serverAddress: this.url.replace(/^\w+:\/\//, "") },
          ],
        },
      };
    }
    if (segs[0] === "apis" && segs.length === 1)
      return { body: { kind: "APIGroupList", apiVersion: "v1", groups: this.groups() } };
    if (segs[0] === "apis" && segs.length === 2) {
      const g = this.groups().find((x) => x.name === segs[1]);
      return g ? { body: { kind: "APIGroup", apiVersion: "v1", ...g } } : "text404";
    }
    let group: string;
    let version: string;
    let rest: string[];
    if (segs[0] === "api" && segs.length >= 2)
      [group, version, rest] = ["", segs[1], segs.slice(2)];
    else if (segs[0] === "apis" && segs.length >= 3)
      [group, version, rest] = [segs[1], segs[2], segs.slice(3)];
    else return "text404";
    const inGroup = [...this.types.values()].filter(
      (t) => t.group === group && t.version === version,
    );
    if (inGroup.length === 0) return "text404";
    if (rest.length === 0) {
      const resources = inGroup.flatMap((t) => [
        {
          name: t.resource,
          singularName: t.kind.toLowerCase(),
          namespaced: t.namespaced,
          kind: t.kind,
          verbs: ["create", "delete", "get", "list", "patch", "update", "watch"],
          ...(t.shortNames ? { shortNames: [...t.shortNames] } : {}),
        },
        ...(t.status === false
          ? []
          : [
              {
                name: `${t.resource}/status`,
                singularName: "",
                namespaced: t.namespaced,
                kind: t.kind,
                verbs: ["get", "patch", "update"],
              },
            ]),
      ]);
      return {
        body: {
          kind: "APIResourceList",
          apiVersion: "v1",
          groupVersion: group === "" ? version : `${group}/${version}`,
          resources,
        },
      };
    }
    let namespace: string | undefined;
    if (
      rest[0] === "namespaces" &&
      rest.length >= 3 &&
      rest[2] !== "status" &&
      rest[2] !== "finalize"
    ) {
      namespace = rest[1];
      rest = rest.slice(2);
    }
    const type = this.types.get(typeKey(group, version, rest[0]));
    const notFound = new ApiError(
      404,
      "NotFound",
      "the server could not find the requested resource",
    );
    if (!type || rest.length > 3) throw notFound;
    if (namespace !== undefined && !type.namespaced) throw notFound;
    const subresource = rest[2];
    if (subresource !== undefined && (subresource !== "status" || type.status === false))
      throw notFound;
    return {
      type,
      ...(namespace !== undefined ? { namespace } : {}),
      ...(rest[1] !== undefined ? { name: rest[1] } : {}),
      ...(subresource ? { subresource } : {}),
    };
  }

  private groups(): {
    name: string;
    versions: { groupVersion: string; version: string }[];
    preferredVersion: { groupVersion: string; version: string };
  }[] {
    const byGroup = new Map<string, Set<string>>();
    for (const t of this.types.values()) {
      if (t.group === "") continue;
      byGroup.set(t.group, (byGroup.get(t.group) ?? new Set()).add(t.version));
    }
    return [...byGroup].map(([name, vs]) => {
      const versions = [...vs]
        .sort()
        .reverse()
        .map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
      return { name, versions, preferredVersion: versions[0] };
    });
  }

  private async serve(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
    target: Target,
    verb: Verb,
    body: string,
  ): Promise<void> {
    const t = target.type;
    const q = url.searchParams;
    switch (verb) {
      case "list":
        this.sendJson(res, 200, this.listPage(target, q));
        return;
      case "watch":
        this.watch(req, res, target, q);
        return;
      case "get": {
        const o = this.mustGet(target);
        this.sendJson(res, 200, o);
        return;
      }
      case "create": {
        const obj = parseJson(body);
        const meta = isRecord(obj.metadata) ? obj.metadata : {};
        obj.metadata = meta;
        if (typeof meta.name !== "string" && typeof meta.generateName === "string") {
          meta.name = `${meta.generateName}${randomUUID().slice(0, 5)}`;
        }
        if (typeof meta.name !== "string" || meta.name === "")
          throw new ApiError(
            422,
            "Invalid",
            `${t.kind} "" is invalid: metadata.name: Required value: name or generateName is required`,
          );
        if (t.namespaced) meta.namespace = target.namespace ?? meta.namespace ?? "default";
        const key = objectKey(t.namespaced ? String(meta.namespace) : undefined, meta.name);
        if (this.bucket(t).has(key))
          throw new ApiError(
            409,
            "AlreadyExists",
            `${qualified(t)} "${meta.name}" already exists`,
            { name: meta.name, group: t.group, kind: t.resource },
          );
        if (t.status !== false) delete obj.status;
        this.manage(obj, q, "Update", target.subresource);
        this.sendJson(res, 201, this.write(t, key, obj, undefined));
        return;
      }
      case "update": {
        const old = this.mustGet(target);
        const obj = parseJson(body);
        const rv = isRecord(obj.metadata) ? obj.metadata.resourceVersion : undefined;
        if (rv !== undefined && rv !== (old.metadata as Record<string, unknown>).resourceVersion) {
          throw new ApiError(
            409,
            "Conflict",
            `Operation cannot be fulfilled on ${qualified(t)} "${target.name}": the object has been modified; please apply your changes to the latest version and try again`,
            { name: target.name, group: t.group, kind: t.resource },
          );
        }
        const next = this.scoped(old, obj, target);
        this.manage(next, q, "Update", target.subresource);
        this.sendJson(res, 200, this.write(t, this.keyOf(target), next, old));
        return;
      }
      case "patch": {
        const ct = (req.headers["content-type"] ?? "").split(";")[0].trim();
        const key = this.keyOf(target);
        const old = this.bucket(t).get(key);
        if (ct === "application/apply-patch+yaml") {
          if (!q.get("fieldManager"))
            throw new ApiError(
              400,
              "BadRequest",
              'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
            );
          let applied: unknown;
          try {
            applied = YAML.parse(body) as unknown;
          } catch (e) {
            throw new ApiError(
              400,
              "BadRequest",
              `error decoding YAML: ${(e as Error).message.split("\n")[0]}`,
            );
          }
          if (!isRecord(applied))
            throw new ApiError(400, "BadRequest", "the applied configuration must be an object");
          if (!old) {
            if (target.subresource) throw this.notFound(target);
            const obj = clone(applied) as KubeObject;
            const meta = isRecord(obj.metadata) ? obj.metadata : {};
            obj.metadata = {
              ...meta,
              name: target.name,
              ...(t.namespaced ? { namespace: target.namespace ?? "default" } : {}),
            };
            this.manage(obj, q, "Apply", undefined);
            this.sendJson(res, 201, this.write(t, key, obj, undefined));
            return;
          }
          const merged = deepMerge(clone(old), applied) as KubeObject;
          const next = this.scoped(old, merged, target);
          this.manage(next, q, "Apply", target.subresource);
          this.sendJson(res, 200, this.write(t, key, next, old));
          return;
        }
        if (!old) throw this.notFound(target);
        let patched: unknown;
        if (ct === "application/merge-patch+json") patched = mergePatch(old, parseJson(body));
        else if (ct === "application/json-patch+json")
          patched = jsonPatch(old, parseJson(body, true));
        else if (ct === "application/strategic-merge-patch+json" && BUILTIN_GROUPS.has(t.group))
          patched = mergePatch(old, parseJson(body));
        else
          throw new ApiError(
            415,
            "UnsupportedMediaType",
            `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`,
          );
        if (!isRecord(patched))
          throw new ApiError(422, "Invalid", "the patched object is not an object");
        const next = this.scoped(old, patched, target);
        this.manage(next, q, "Update", target.subresource);
        this.sendJson(res, 200, this.write(t, key, next, old));
        return;
      }
      case "delete": {
        const gone = this.delete(t, this.keyOf(target));
        if (!gone) throw this.notFound(target);
        this.sendJson(res, 200, gone);
        return;
      }
      default: {
        const never: never = verb;
        throw new Error(`unhandled verb ${String(never)}`);
      }
    }
  }

  private keyOf(target: Target): string {
    return objectKey(target.type.namespaced ? target.namespace : undefined, target.name ?? "");
  }

  private notFound(target: Target): ApiError {
    return new ApiError(404, "NotFound", `${qualified(target.type)} "${target.name}" not found`, {
      name: target.name,
      group: target.type.group,
      kind: target.type.resource,
    });
  }

  private mustGet(target: Target): KubeObject {
    const o = this.bucket(target.type).get(this.keyOf(target));
    if (!o) throw this.notFound(target);
    return o;
  }

  /** A write to `status` changes only status; a write to the object keeps status (types with the subresource). */
  private scoped(old: KubeObject, next: KubeObject, target: Target): KubeObject {
    const meta = { ...(old.metadata as Record<string, unknown>) };
    if (target.subresource === "status") {
      const out = clone(old);
      if (next.status === undefined) delete out.status;
      else out.status = clone(next.status);
      return out;
    }
    const out = clone(next);
    const nextMeta = isRecord(next.metadata) ? next.metadata : {};
    out.metadata = {
      ...meta,
      ...nextMeta,
      name: meta.name,
      uid: meta.uid,
      ...(meta.namespace !== undefined ? { namespace: meta.namespace } : {}),
    };
    if (target.type.status !== false) {
      if (old.status === undefined) delete out.status;
      else out.status = clone(old.status);
    }
    return out;
  }

  /** Records the field manager as a managedFields entry (without field sets: ownership is not modelled). */
  private manage(
    obj: KubeObject,
    q: URLSearchParams,
    operation: "Apply" | "Update",
    subresource: string | undefined,
  ): void {
    const manager = q.get("fieldManager") ?? "unknown";
    const meta = isRecord(obj.metadata) ? obj.metadata : {};
    obj.metadata = meta;
    const entries = (Array.isArray(meta.managedFields) ? meta.managedFields : []).filter(
      (e: unknown) =>
        !(
          isRecord(e) &&
          e.manager === manager &&
          e.operation === operation &&
          e.subresource === subresource
        ),
    );
    entries.push({
      manager,
      operation,
      apiVersion: obj.apiVersion,
      time: new Date().toISOString(),
      fieldsType: "FieldsV1",
      fieldsV1: {},
      ...(subresource ? { subresource } : {}),
    });
    meta.managedFields = entries;
  }

  private listPage(target: Target, q: URLSearchParams): Record<string, unknown> {
    const t = target.type;
    if (target.name !== undefined)
      throw new ApiError(
        405,
        "MethodNotAllowed",
        "the server does not allow this method on the requested resource",
      );
    const labels = parseLabelSelector(q.get("labelSelector") ?? "");
    const fields = parseFieldSelector(q.get("fieldSelector") ?? "");
    const all = this.select(t, target.namespace).filter((o) => labels(labelsOf(o)) && fields(o));
    let start = 0;
    const token = q.get("continue");
    if (token) {
      let after: string;
      try {
        const decoded = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as {
          after?: unknown;
        };
        if (typeof decoded.after !== "string") throw new Error("no key");
        after = decoded.after;
      } catch {
        throw new ApiError(
          400,
          "BadRequest",
          "continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)",
        );
      }
      start = all.findIndex((o) => this.sortKey(o) > after);
      if (start < 0) start = all.length;
    }
    const limitRaw = q.get("limit");
    const limit = limitRaw ? Number(limitRaw) : 0;
    if (limitRaw && (!Number.isInteger(limit) || limit < 0))
      throw new ApiError(400, "BadRequest", `invalid limit ${JSON.stringify(limitRaw)}`);
    const page = limit > 0 ? all.slice(start, start + limit) : all.slice(start);
    const more = start + page.length < all.length;
    const metadata: Record<string, unknown> = { resourceVersion: String(this.rv) };
    if (more) {
      metadata.continue = Buffer.from(
        JSON.stringify({ rv: this.rv, after: this.sortKey(page[page.length - 1]) }),
      ).toString("base64url");
      metadata.remainingItemCount = all.length - start - page.length;
    }
    // Built-in lists carry no apiVersion/kind per item (clients must not rely on them); custom resources do.
    const builtin = BUILTIN_GROUPS.has(t.group);
    const items = page.map((o) => {
      const c = clone(o);
      if (builtin) {
        delete c.apiVersion;
        delete c.kind;
      }
      return c;
    });
    return { apiVersion: apiVersionOf(t), kind: `${t.kind}List`, metadata, items };
  }

  private sortKey(o: KubeObject): string {
    const m = o.metadata as Record<string, unknown>;
    return objectKey(m.namespace as string | undefined, String(m.name));
  }

  private watch(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    target: Target,
    q: URLSearchParams,
  ): void {
    const t = target.type;
    const labels = parseLabelSelector(q.get("labelSelector") ?? "");
    const fields = parseFieldSelector(q.get("fieldSelector") ?? "");
    const w: Watcher = {
      type: t,
      ...(target.namespace !== undefined ? { namespace: target.namespace } : {}),
      matches: (o) => labels(labelsOf(o)) && fields(o),
      bookmarks: q.get("allowWatchBookmarks") === "true",
      res,
    };
    res.writeHead(200, { "Content-Type": "application/json", "Transfer-Encoding": "chunked" });
    res.flushHeaders();
    const rvParam = q.get("resourceVersion");
    const since = rvParam && rvParam !== "0" ? Number(rvParam) : undefined;
    if (since === undefined) {
      for (const o of this.select(t, target.namespace))
        if (w.matches(o)) this.sendEvent(w, "ADDED", o);
    } else {
      const oldest = this.events.length ? this.events[0].rv : this.rv + 1;
      if (!Number.isFinite(since) || (since < oldest - 1 && since < this.rv)) {
        this.sendEvent(
          w,
          "ERROR",
          statusBody(410, "Expired", `too old resource version: ${rvParam} (${oldest - 1})`),
        );
        res.end();
        return;
      }
      const prefix = `${typeKey(t.group, t.version, t.resource)}|`;
      for (const e of this.events) {
        if (e.rv <= since || !e.key.startsWith(prefix)) continue;
        const ns = (e.object.metadata as Record<string, unknown>).namespace;
        if (target.namespace !== undefined && ns !== target.namespace) continue;
        if (w.matches(e.object)) this.sendEvent(w, e.type, e.object);
      }
    }
    this.watchers.add(w);
    const timeout = Number(q.get("timeoutSeconds") ?? "0");
    const timer = timeout > 0 ? setTimeout(() => res.end(), timeout * 1000) : undefined;
    const done = () => {
      if (timer) clearTimeout(timer);
      this.watchers.delete(w);
    };
    req.on("close", done);
    res.on("close", done);
  }

  private sendEvent(w: Watcher, type: string, object: unknown): void {
    if (!w.res.writableEnded) w.res.write(`${JSON.stringify({ type, object })}\n`);
  }
}

function labelsOf(o: KubeObject): Record<string, string> {
  const l = isRecord(o.metadata) ? o.metadata.labels : undefined;
  return isRecord(l) ? (l as Record<string, string>) : {};
}

function verbOf(method: string, target: Target, url: URL): Verb {
  const watch = url.searchParams.get("watch");
  switch (method) {
    case "GET":
      if (target.name === undefined) return watch === "true" || watch === "1" ? "watch" : "list";
      return "get";
    case "POST":
      if (target.name !== undefined) break;
      return "create";
    case "PUT":
      if (target.name === undefined) break;
      return "update";
    case "PATCH":
      if (target.name === undefined) break;
      return "patch";
    case "DELETE":
      if (target.name === undefined) break;
      return "delete";
    default:
      break;
  }
  throw new ApiError(
    405,
    "MethodNotAllowed",
    "the server does not allow this method on the requested resource",
  );
}

/** Apply-style merge: maps merge key by key, everything else is replaced by the applied value. */
function deepMerge(target: unknown, applied: unknown): unknown {
  if (!isRecord(applied) || !isRecord(target)) return clone(applied);
  for (const [k, v] of Object.entries(applied)) setKey(target, k, deepMerge(target[k], v));
  return target;
}

const MAX_BODY = 8 * 1024 * 1024;

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new ApiError(413, "RequestEntityTooLarge", "the request body is too large"));
        req.destroy();
      } else chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function parseJson(body: string): KubeObject;
function parseJson(body: string, list: true): unknown;
function parseJson(body: string, list?: boolean): unknown {
  let v: unknown;
  try {
    v = JSON.parse(body);
  } catch (e) {
    throw new ApiError(
      400,
      "BadRequest",
      `the body of the request is not valid JSON: ${(e as Error).message}`,
    );
  }
  if (!list && !isRecord(v))
    throw new ApiError(400, "BadRequest", "the body of the request must be a JSON object");
  return v;
}

/** A throwaway self-signed certificate for 127.0.0.1 (openssl CLI). */
function selfSignedCert(): { cert: string; key: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kube-api-tls-"));
  try {
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=127.0.0.1",
        "-addext",
        "subjectAltName=IP:127.0.0.1",
        "-keyout",
        path.join(dir, "key.pem"),
        "-out",
        path.join(dir, "cert.pem"),
      ],
      { stdio: "ignore" },
    );
    return {
      cert: fs.readFileSync(path.join(dir, "cert.pem"), "utf8"),
      key: fs.readFileSync(path.join(dir, "key.pem"), "utf8"),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
