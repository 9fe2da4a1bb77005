// Test support for the service: a temp project with stack files, a started service, HTTP and SSE clients, runner doubles.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseTokens } from "../../automation/service/auth";
import { Runners } from "../../automation/service/operations";
import { createService, Service, ServiceOptions } from "../../automation/service/server";
import {
  CancelledError,
  DEFAULT_PROJECT_DIR,
  OperationKind,
  Runner,
  RunRequest,
  RunResult,
  StackOutput,
} from "../../automation/runners/runner";

export const TOKENS = {
  read: "read-token-0123456789abcdef",
  operate: "operate-token-0123456789abcdef",
  admin: "admin-token-0123456789abcdef",
} as const;
export const TOKEN_TEXT = Object.entries(TOKENS)
  .map(([scope, t]) => `${scope}:${t}`)
  .join("\n");

export function tempDir(prefix = "meshlift-test-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * A throwaway project: Pulumi.yaml, the App Mesh exports and one stack file per name, each a copy of the dev stack with its
 * own environment name, so that the real offline plan runs against it.
 */
export function makeProject(stacks: readonly string[]): string {
  const dir = tempDir("meshlift-project-");
  fs.copyFileSync(path.join(DEFAULT_PROJECT_DIR, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
  fs.mkdirSync(path.join(dir, "stacks"));
  // Stack files name App Mesh exports by path relative to the project: bring them along.
  fs.cpSync(
    path.join(DEFAULT_PROJECT_DIR, "stacks", "appmesh-exports"),
    path.join(dir, "stacks", "appmesh-exports"),
    { recursive: true },
  );
  const dev = fs.readFileSync(path.join(DEFAULT_PROJECT_DIR, "stacks", "Pulumi.dev.yaml"), "utf8");
  for (const s of stacks) {
    fs.writeFileSync(
      path.join(dir, "stacks", `Pulumi.${s}.yaml`),
      dev.replace(/meshlift:environment: dev/, `meshlift:environment: ${s}`),
    );
  }
  return dir;
}

export interface Started {
  readonly service: Service;
  readonly url: string;
  readonly dbFile: string;
  readonly projectDir: string;
}

export async function startService(o: {
  runners: Runners;
  projectDir: string;
  dbFile?: string;
  maxConcurrent?: number;
  maxBodyBytes?: number;
  /** Further service options (the board's build, discovery directory, plan documents). */
  extra?: Partial<ServiceOptions>;
}): Promise<Started> {
  const dbFile = o.dbFile ?? path.join(tempDir(), "meshlift.db");
  const service = createService({
    dbFile,
    tokens: parseTokens(TOKEN_TEXT, "test tokens"),
    runners: o.runners,
    projectDir: o.projectDir,
    maxConcurrent: o.maxConcurrent,
    maxBodyBytes: o.maxBodyBytes,
    ...o.extra,
  });
  const url = await service.listen(0, "127.0.0.1");
  return { service, url, dbFile, projectDir: o.projectDir };
}

export interface Reply {
  readonly status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON of many shapes; tests assert on it
  readonly body: any;
}

export async function call(
  url: string,
  method: string,
  p: string,
  o: { token?: string; body?: unknown; raw?: string } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  const res = await fetch(url + p, {
    method,
    headers,
    body: o.raw ?? (o.body === undefined ? undefined : JSON.stringify(o.body)),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body };
}

export const get = (url: string, p: string, token: string = TOKENS.read) =>
  call(url, "GET", p, { token });

export async function submit(
  url: string,
  stack: string,
  body: Record<string, unknown>,
  token: string = TOKENS.operate,
): Promise<Reply> {
  return call(url, "POST", `/v1/stacks/${stack}/operations`, { token, body });
}

/** Polls until `pred` holds (a wait for an event, not a timing assertion); fails after 30 s. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T>,
  pred: (v: T) => boolean,
): Promise<T> {
  const until = Date.now() + 30_000;
  for (;;) {
    const v = await probe();
    if (pred(v)) return v;
    if (Date.now() > until)
      throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function waitStatus(url: string, id: string, statuses: readonly string[]): Promise<Reply> {
  return waitFor(
    `operation ${id} to be ${statuses.join("|")}`,
    () => get(url, `/v1/operations/${id}`),
    (r) => statuses.includes(r.body?.status),
  );
}

export interface SseMessage {
  readonly event: string;
  readonly id?: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON of many shapes; tests assert on it
  readonly data: any;
}

/** Reads an SSE stream to its `end` event (or until the server closes it). */
export async function readSse(
  url: string,
  p: string,
  o: { token?: string; lastEventId?: string; onMessage?: (m: SseMessage) => void } = {},
): Promise<SseMessage[]> {
  const headers: Record<string, string> = { authorization: `Bearer ${o.token ?? TOKENS.read}` };
  if (o.lastEventId) headers["last-event-id"] = o.lastEventId;
  const res = await fetch(url + p, { headers });
  if (res.status !== 200 || !res.body) throw new Error(`SSE ${p}: HTTP ${res.status}`);
  const out: SseMessage[] = [];
  const decoder = new TextDecoder();
  let buf = "";
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buf += decoder.decode(chunk, { stream: true });
    let i;
    while ((i = buf.indexOf("\n\n")) >= 0) {
      const block = buf.slice(0, i);
      buf = buf.slice(i + 2);
      const fields: Record<string, string> = {};
      for (const line of block.split("\n")) {
        if (line.startsWith(":")) continue;
        const c = line.indexOf(":");
        fields[line.slice(0, c)] = line.slice(c + 1).trimStart();
      }
      if (!fields.data) continue;
      const m = { event: fields.event ?? "message", id: fields.id, data: JSON.parse(fields.data) };
      out.push(m);
      o.onMessage?.(m);
      if (m.event === "end") return out;
    }
  }
  return out;
}

/**
 * A runner double whose runs wait until the test releases them, so that queueing and concurrency are
 * observed without timing. It records starts and ends and counts overlapping runs of one stack.
 */
export class GateRunner implements Runner {
  readonly log: string[] = [];
  readonly requests: RunRequest[] = [];
  overlaps = 0;
  maxActive = 0;
  private readonly active = new Map<string, number>();
  private readonly gates = new Map<string, (r: RunResult) => void>();

  constructor(private readonly result: (req: RunRequest) => RunResult = () => ({ summary: {} })) {}

  unavailable(_kind: OperationKind): Error | undefined {
    return undefined;
  }

  running(): string[] {
    return [...this.gates.keys()];
  }

  /** Emits an event on the run of `stack` (the test's way to make "engine" progress). */
  emit(stack: string, event: Record<string, unknown>): void {
    const req = [...this.requests].reverse().find((r) => r.stack === stack);
    if (!req) throw new Error(`no run of ${stack}`);
    req.onEvent(event);
  }

  release(stack: string): void {
    const g = this.gates.get(stack);
    if (!g)
      throw new Error(`no run of ${stack} is waiting (waiting: ${this.running().join(", ")})`);
    const req = [...this.requests].reverse().find((r) => r.stack === stack) as RunRequest;
    g(this.result(req));
  }

  async run(req: RunRequest): Promise<RunResult> {
    const n = (this.active.get(req.stack) ?? 0) + 1;
    if (n > 1) this.overlaps += 1;
    this.active.set(req.stack, n);
    const total = [...this.active.values()].reduce((a, b) => a + b, 0);
    this.maxActive = Math.max(this.maxActive, total);
    this.requests.push(req);
    this.log.push(`start ${req.stack} ${req.kind}`);
    req.onEvent({
      resourcePreEvent: { metadata: { op: "create", urn: `urn:${req.stack}::s`, type: "t" } },
    });
    try {
      return await new Promise<RunResult>((resolve, reject) => {
        this.gates.set(req.stack, resolve);
        req.signal.addEventListener("abort", () => reject(new CancelledError()));
      });
    } finally {
      this.gates.delete(req.stack);
      this.active.set(req.stack, (this.active.get(req.stack) ?? 1) - 1);
      this.log.push(`end ${req.stack} ${req.kind}`);
    }
  }
}

export function outputs(o: Record<string, [unknown, boolean]>): Record<string, StackOutput> {
  return Object.fromEntries(
    Object.entries(o).map(([k, [value, secret]]) => [k, { value, secret }]),
  );
}

/** `up` as the Automation API reports it, without a Pulumi CLI: the weight asked for is deployed at once. */
export const instantUp: Runner = {
  unavailable: () => undefined,
  run: async (req) => {
    if (req.signal.aborted) throw new CancelledError();
    const w = Number(req.config?.["meshlift:cutover.istioWeight"]);
    req.onEvent({ summaryEvent: { resourceChanges: { update: 2 } } });
    return {
      summary: { changes: { update: 2 } },
      outputs: outputs({
        phase: ["cutover", false],
        dnsWeights: [{ istio: w, appmesh: 100 - w }, false],
      }),
    };
  },
};
