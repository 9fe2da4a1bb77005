// The cluster connection: kubeconfig and context as kubectl picks them, paged reads with retries and timeouts, and API errors as one clear message.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { ConfigurationOptions } from "@kubernetes/client-node" with {
  "resolution-mode": "import",
};
import { kubeClient, KubeClient } from "./kube-client";
import { clusterRoleYaml, CLUSTER_ROLE_NAME, qualifiedResource, READS } from "./reads";

/** A failure the user can act on (bad kubeconfig, unreachable or refusing API server, missing CRD): exit 2. */
export class DiscoverError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DiscoverError";
  }
}

/** A kubeconfig larger than this is not one (kubectl's own files are kilobytes). */
export const MAX_KUBECONFIG_BYTES = 16 * 1024 * 1024;
export const PAGE_SIZE = 500;
const RETRIES = 3;
const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);

export interface ConnectOptions {
  /** Path of the kubeconfig; default as kubectl: $KUBECONFIG (merged), then ~/.kube/config. */
  readonly kubeconfig?: string;
  /** Context to use; default: the kubeconfig's current-context. */
  readonly context?: string;
  /** Per-request timeout. @default 30000 */
  readonly requestTimeoutMs?: number;
  /** Items per list page (`limit`). @default 500, kubectl's chunk size */
  readonly pageSize?: number;
  /** Environment to read KUBECONFIG and HOME from. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

/** Which request a failure belongs to: the verb and resource are what a forbidden message must name. */
export interface RequestInfo {
  readonly verb: "get" | "list";
  readonly group: string;
  readonly resource: string;
  /** Namespace of a namespaced request ("" or absent: cluster scope). */
  readonly namespace?: string;
  readonly name?: string;
}

/** One 403 seen, for the summary of missing permissions. */
export interface Forbidden extends RequestInfo {
  readonly user?: string;
}

export type Kc = InstanceType<KubeClient["KubeConfig"]>;

/** The connected cluster: the client APIs and the context they talk to. */
export interface Connection {
  readonly k8s: KubeClient;
  readonly kc: Kc;
  readonly context: string;
  readonly server: string;
  readonly timeoutMs: number;
  readonly pageSize: number;
  /** Bounds the requests in flight, over every list discover runs at once. */
  readonly slots: Slots;
}

/** A counting semaphore: at most `size` holders at a time, the others wait in order. */
export class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];
  constructor(readonly size: number) {
    this.free = size;
  }
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free -= 1;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free += 1;
    }
  }
}

/** Requests in flight at once: enough to hide latency, few enough not to trip API priority and fairness. */
export const CONCURRENCY = 8;

function statFile(file: string, flag: string) {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DiscoverError(
      code === "ENOENT"
        ? `${flag} ${JSON.stringify(file)}: no such file`
        : `${flag} ${JSON.stringify(file)}: cannot read it (${code ?? String(e)})`,
    );
  }
  if (stat.isDirectory())
    throw new DiscoverError(
      `${flag} ${JSON.stringify(file)} is a directory, not a kubeconfig file`,
    );
  if (!stat.isFile())
    throw new DiscoverError(`${flag} ${JSON.stringify(file)} is not a regular file`);
  if (stat.size > MAX_KUBECONFIG_BYTES) {
    throw new DiscoverError(
      `${flag} ${JSON.stringify(file)} is ${(stat.size / 1024 / 1024).toFixed(0)} MiB; a kubeconfig is a small YAML file (limit ${MAX_KUBECONFIG_BYTES / 1024 / 1024} MiB)`,
    );
  }
}

/** Loads one kubeconfig file with the client, turning its parse errors into one message. */
function loadFile(kc: Kc, file: string, flag: string): void {
  statFile(file, flag);
  try {
    kc.loadFromFile(file);
  } catch (e) {
    const first = (e instanceof Error ? e.message : String(e)).split("\n")[0];
    throw new DiscoverError(`${flag} ${JSON.stringify(file)} is not a valid kubeconfig: ${first}`);
  }
  if (kc.getContexts().length === 0) {
    throw new DiscoverError(
      `${flag} ${JSON.stringify(file)} is not a valid kubeconfig: it defines no contexts`,
    );
  }
}

/** Reads the kubeconfig and selects the context, as kubectl would; no request is made yet. */
export async function loadKubeconfig(o: ConnectOptions = {}): Promise<{ k8s: KubeClient; kc: Kc }> {
  const k8s = await kubeClient();
  const env = o.env ?? process.env;
  const kc = new k8s.KubeConfig();
  if (o.kubeconfig !== undefined) {
    if (o.kubeconfig === "") throw new DiscoverError("--kubeconfig: an empty path is not a file");
    loadFile(kc, o.kubeconfig, "--kubeconfig");
  } else if (env.KUBECONFIG) {
    const files = env.KUBECONFIG.split(path.delimiter).filter((f) => f !== "");
    // kubectl merges every file on KUBECONFIG, the first one winning; missing ones are skipped.
    const present = files.filter((f) => fs.existsSync(f));
    if (present.length === 0)
      throw new DiscoverError(
        `KUBECONFIG names no existing file (${files.map((f) => JSON.stringify(f)).join(", ")})`,
      );
    loadFile(kc, present[0], "KUBECONFIG");
    for (const f of present.slice(1)) {
      const more = new k8s.KubeConfig();
      loadFile(more, f, "KUBECONFIG");
      try {
        kc.mergeConfig(more, true);
      } catch (e) {
        throw new DiscoverError(`KUBECONFIG ${JSON.stringify(f)}: ${(e as Error).message}`);
      }
    }
  } else {
    const home = env.HOME ?? os.homedir();
    const file = path.join(home, ".kube", "config");
    if (!fs.existsSync(file)) {
      throw new DiscoverError(
        `no kubeconfig: pass --kubeconfig FILE, set KUBECONFIG, or create ${file} (for EKS: aws eks update-kubeconfig --name <cluster> --region <region>)`,
      );
    }
    loadFile(kc, file, "kubeconfig");
  }
  const contexts = kc.getContexts().map((c) => c.name);
  if (o.context !== undefined) {
    if (!contexts.includes(o.context)) {
      throw new DiscoverError(
        `--context ${JSON.stringify(o.context)} is not in the kubeconfig; contexts: ${contexts.join(", ")}`,
      );
    }
    kc.setCurrentContext(o.context);
  } else if (!kc.getCurrentContext() || !contexts.includes(kc.getCurrentContext())) {
    throw new DiscoverError(
      `the kubeconfig's current-context ${JSON.stringify(kc.getCurrentContext() ?? "")} is not one of its contexts; pass --context (one of: ${contexts.join(", ")})`,
    );
  }
  const ctx = kc.getContextObject(kc.getCurrentContext());
  const cluster = kc.getCurrentCluster();
  if (!cluster)
    throw new DiscoverError(
      `context ${JSON.stringify(ctx?.name)} names cluster ${JSON.stringify(ctx?.cluster)}, which the kubeconfig does not define`,
    );
  if (!cluster.server)
    throw new DiscoverError(
      `cluster ${JSON.stringify(cluster.name)} in the kubeconfig has no server URL`,
    );
  if (ctx?.user && !kc.getCurrentUser()) {
    throw new DiscoverError(
      `context ${JSON.stringify(ctx.name)} names user ${JSON.stringify(ctx.user)}, which the kubeconfig does not define`,
    );
  }
  return { k8s, kc };
}

export async function connect(o: ConnectOptions = {}): Promise<Connection> {
  const { k8s, kc } = await loadKubeconfig(o);
  const cluster = kc.getCurrentCluster();
  return {
    k8s,
    kc,
    context: kc.getCurrentContext(),
    server: cluster?.server ?? "",
    timeoutMs: o.requestTimeoutMs ?? 30000,
    pageSize: o.pageSize ?? PAGE_SIZE,
    slots: new Slots(CONCURRENCY),
  };
}

/** A page of a list, typed (`metadata._continue`) or raw JSON (`metadata.continue`). */
interface Page<T> {
  readonly items: readonly T[];
  readonly metadata?: { readonly _continue?: string; readonly continue?: string };
}

/** Options for one client call: a request timeout, set through the client's middleware (an AbortSignal). */
export function callOptions(c: Connection): ConfigurationOptions {
  return {
    middleware: [
      {
        pre: (ctx) => {
          ctx.setSignal(AbortSignal.timeout(c.timeoutMs));
          return new c.k8s.Observable(Promise.resolve(ctx));
        },
        post: (rsp) => new c.k8s.Observable(Promise.resolve(rsp)),
      },
    ],
    middlewareMergeStrategy: "append",
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The HTTP status of a client error, if it is an API answer. */
function statusCode(e: unknown): number | undefined {
  const code = (e as { code?: unknown })?.code;
  return typeof code === "number" ? code : undefined;
}

/** The Kubernetes Status of an API error body, whichever way the client handed it over. */
function statusOf(e: unknown): { message?: string; reason?: string } {
  let body = (e as { body?: unknown })?.body;
  if (typeof body === "string") {
    const text = body;
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      return { message: text.trim().slice(0, 300) };
    }
  }
  if (typeof body !== "object" || body === null) return {};
  const b = body as Record<string, unknown>;
  return {
    ...(typeof b.message === "string" ? { message: b.message.slice(0, 500) } : {}),
    ...(typeof b.reason === "string" ? { reason: b.reason } : {}),
  };
}

function describe(r: RequestInfo): string {
  const what = qualifiedResource(r.group, r.resource);
  const scope = r.namespace ? ` in namespace ${r.namespace}` : "";
  return `${r.verb} ${what}${r.name ? ` ${JSON.stringify(r.name)}` : ""}${scope}`;
}

/** A 403 for a request: kept apart so discover can name every missing permission at once. */
export class ForbiddenError extends Error {
  constructor(readonly info: Forbidden) {
    super(`forbidden: ${describe(info)}`);
    this.name = "ForbiddenError";
  }
}

/** A 404 for a request (a CRD not installed, an object not there). */
export class NotFoundError extends Error {
  constructor(readonly info: RequestInfo) {
    super(`not found: ${describe(info)}`);
    this.name = "NotFoundError";
  }
}

/** Turns a failed request into DiscoverError / ForbiddenError / NotFoundError; rethrows what it does not know. */
export function classify(c: Connection, r: RequestInfo, e: unknown): Error {
  const where = `the API server ${c.server} (context ${JSON.stringify(c.context)})`;
  const code = statusCode(e);
  if (code === 403) {
    const m = /User "([^"]*)"/.exec(statusOf(e).message ?? "");
    return new ForbiddenError({ ...r, ...(m ? { user: m[1] } : {}) });
  }
  if (code === 404) return new NotFoundError(r);
  if (code === 401) {
    return new DiscoverError(
      `${where} refused the credentials (401 Unauthorized) on ${describe(r)}: the token or certificate of the kubeconfig user is not accepted; ` +
        "for EKS check `aws sts get-caller-identity` and that this IAM principal has an access entry on the cluster",
    );
  }
  if (code !== undefined) {
    const s = statusOf(e);
    return new DiscoverError(
      `${where} answered ${code}${s.reason ? ` ${s.reason}` : ""} on ${describe(r)}${s.message ? `: ${s.message}` : ""}`,
    );
  }
  const err = e as {
    name?: string;
    code?: string;
    errno?: string;
    message?: string;
    type?: string;
  };
  if (err?.name === "AbortError" || err?.type === "aborted") {
    return new DiscoverError(
      `${where} did not answer ${describe(r)} within ${c.timeoutMs / 1000} s`,
    );
  }
  if (err?.name === "FetchError") {
    return new DiscoverError(
      `cannot reach ${where}: ${netReason(err.code ?? err.errno, err.message)}`,
    );
  }
  if (/HTTP protocol is not allowed/.test(err?.message ?? "")) {
    return new DiscoverError(
      `the kubeconfig cluster of context ${JSON.stringify(c.context)} is plain http:// (${c.server}) without insecure-skip-tls-verify; use the https:// endpoint`,
    );
  }
  const user = c.kc.getCurrentUser();
  if (user?.exec) {
    const command = (user.exec as { command?: unknown }).command;
    const cmd = typeof command === "string" ? command : "";
    const msg = (err?.message ?? String(e)).trim().split("\n")[0].slice(0, 300);
    if (err?.code === "ENOENT") {
      return new DiscoverError(
        `the kubeconfig user ${JSON.stringify(user.name)} runs the credential plugin ${JSON.stringify(cmd)}, which is not on PATH`,
      );
    }
    return new DiscoverError(
      `the credential plugin ${JSON.stringify(cmd)} of kubeconfig user ${JSON.stringify(user.name)} failed${msg ? `: ${msg}` : ""} (run it yourself to see why, e.g. after \`aws sso login\`)`,
    );
  }
  return e instanceof Error ? e : new Error(String(e));
}

function netReason(code: string | undefined, message: string | undefined): string {
  switch (code) {
    case "ECONNREFUSED":
      return "connection refused (is the cluster endpoint right and reachable from here?)";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "the host name does not resolve";
    case "ETIMEDOUT":
    case "ECONNRESET":
      return `the connection failed (${code}); check the network path (VPN, private endpoint)`;
    case "DEPTH_ZERO_SELF_SIGNED_CERT":
    case "SELF_SIGNED_CERT_IN_CHAIN":
    case "UNABLE_TO_VERIFY_LEAF_SIGNATURE":
    case "ERR_TLS_CERT_ALTNAME_INVALID":
    case "CERT_HAS_EXPIRED":
      return `the server certificate is not trusted (${code}); check certificate-authority-data in the kubeconfig`;
    default:
      return `${code ?? "network error"}${message ? `: ${message.split("\n")[0].slice(0, 200)}` : ""}`;
  }
}

/** Runs one request with retries on 429/5xx and network resets, then classifies its failure. */
export async function request<T>(c: Connection, r: RequestInfo, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await c.slots.run(fn);
    } catch (e) {
      const code = statusCode(e);
      const reset = (e as { code?: unknown })?.code === "ECONNRESET";
      if (attempt < RETRIES && ((code !== undefined && RETRY_STATUSES.has(code)) || reset)) {
        await sleep(100 * 2 ** attempt);
        continue;
      }
      throw classify(c, r, e);
    }
  }
}

/** Every item of a list, page by page (`limit` / `continue`), calling `onPage` with the running count. */
export async function listAll<T>(
  c: Connection,
  r: RequestInfo,
  page: (cont: string | undefined) => Promise<Page<T>>,
  onPage?: (items: number) => void,
): Promise<T[]> {
  const out: T[] = [];
  let cont: string | undefined;
  for (;;) {
    const p = await request(c, r, () => page(cont));
    out.push(...p.items);
    onPage?.(p.items.length);
    cont = p.metadata?._continue ?? p.metadata?.continue;
    if (!cont) return out;
  }
}

/** The one message for every 403 seen: what is missing, and the ClusterRole that grants it. */
export function forbiddenMessage(c: Connection, seen: readonly Forbidden[]): string {
  const uniq = new Map<string, Forbidden>();
  for (const f of seen) uniq.set(`${f.verb} ${f.group}/${f.resource} ${f.namespace ?? ""}`, f);
  const user = seen.find((f) => f.user)?.user;
  const lines = [...uniq.values()].map((f) => {
    const spec = READS.find((x) => x.group === f.group && x.resource === f.resource);
    const scope = f.namespace ? `in namespace ${f.namespace}` : "at the cluster scope";
    return `  - cannot ${f.verb} ${qualifiedResource(f.group, f.resource)} ${scope}${spec ? ` (needed for ${spec.why})` : ""}`;
  });
  const subject = user
    ? `--user=${JSON.stringify(user)}`
    : "--user=<your user> (or --group=<your group>)";
  return [
    `the API server ${c.server} (context ${JSON.stringify(c.context)}) forbids what discover must read${user ? ` as user ${JSON.stringify(user)}` : ""}:`,
    ...lines,
    `discover only reads (get, list). Grant it with this ClusterRole and a binding:`,
    "",
    clusterRoleYaml().trimEnd(),
    "",
    `kubectl create clusterrolebinding ${CLUSTER_ROLE_NAME} --clusterrole=${CLUSTER_ROLE_NAME} ${subject}`,
  ].join("\n");
}

/** Control characters (and line separators) that could rewrite a terminal or break a line-based format. */
// eslint-disable-next-line no-control-regex
export const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/** For messages: a value from the API server, with control characters escaped so it cannot rewrite the terminal. */
export function printable(s: string): string {
  return s.replace(CONTROL, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
