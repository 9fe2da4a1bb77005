// The HTTP service on node:http: routing, auth, body limits, JSON errors and the SSE event stream.
import * as http from "node:http";
import { AddressInfo } from "node:net";
import { isPhase, PHASES } from "../../phases/phases";
import { Authenticator, Scope, TokenEntry } from "./auth";
import { board, boardOperation, boardStack, PlanDocuments, PlanViews } from "./board";
import { openApiDocument } from "./openapi";
import type { BackendChoice } from "../prerequisites";
import { ServiceError } from "./errors";
import { Operations, OperationMessage, Runners } from "./operations";
import {
  forbiddenKeyMessage,
  forbiddenKeyPath,
  isJsonContentType,
  jsonDepthExceeded,
  MAX_BODY_DEPTH,
} from "./body";
import { fieldErrors, operationBodySchema } from "./schemas";
import { BOARD_PAGE, isBoardRoute, loadBoardAssets, StaticAsset } from "./static";
import { OperationRecord } from "./records";
import { Store } from "./store";

export interface ServiceOptions {
  /** The SQLite file holding operations and events. */
  readonly dbFile: string;
  readonly tokens: readonly TokenEntry[];
  readonly runners: Runners;
  /** The directory holding Pulumi.yaml and stacks/. */
  readonly projectDir: string;
  /** @default 4 */
  readonly maxConcurrent?: number;
  /** Size cap of the database (SQLite max_page_count); past it submits answer 507. @default none */
  readonly dbMaxBytes?: number;
  /** Request bodies above this are refused with 413. @default 65536 */
  readonly maxBodyBytes?: number;
  /** Seconds between SSE keep-alive comments. @default 15 */
  readonly heartbeatSeconds?: number;
  /** The built board (web/build.ts output) served at `/`; without it `/` answers 404. */
  readonly boardDir?: string;
  /** Where `meshlift discover` output lives: `<dir>/<stack>/inventory.json`. @default none */
  readonly discoveryDir?: string;
  /** Offline plans for the board's diff and runbook. @default in-process runOfflinePlan */
  readonly planDocuments?: PlanDocuments;
  /** Which Pulumi backend preview/up/refresh/destroy use, reported by /healthz. @default unknown */
  readonly backend?: BackendChoice;
}

/** Sent with every answer: the board runs only its own script and style, in no frame, sniffing nothing. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "Content-Security-Policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "no-referrer",
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Resource-Policy": "same-origin",
};

/** Longer request targets answer 414 (Node itself answers 431 above its 16 KiB header limit). */
export const MAX_URL_LENGTH = 4096;

export const SERVICE_VERSION = "1";
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

export interface Service {
  readonly server: http.Server;
  readonly store: Store;
  readonly operations: Operations;
  /** Operations found queued or running from a previous process and marked interrupted. */
  readonly recovered: readonly OperationRecord[];
  /** Operations a previous process accepted and never started, queued again here. */
  readonly resumed: readonly OperationRecord[];
  listen(port: number, host: string): Promise<string>;
  close(): Promise<void>;
}

export function createService(opts: ServiceOptions): Service {
  const store = new Store(opts.dbFile);
  if (opts.dbMaxBytes !== undefined) store.setMaxBytes(opts.dbMaxBytes);
  const { interrupted, queued } = store.recoverInterrupted();
  const operations = new Operations({
    store,
    runners: opts.runners,
    projectDir: opts.projectDir,
    maxConcurrent: opts.maxConcurrent,
  });
  const recovered = [...interrupted, ...operations.resume(queued)];
  const resumed = queued.filter((q) => !recovered.some((r) => r.id === q.id));
  const auth = new Authenticator(opts.tokens);
  const maxBody = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const heartbeatMs = (opts.heartbeatSeconds ?? 15) * 1000;
  const streams = new Set<http.ServerResponse>();
  const openapi = JSON.stringify(openApiDocument(SERVICE_VERSION));
  const assets: Map<string, StaticAsset> = opts.boardDir
    ? loadBoardAssets(opts.boardDir)
    : new Map();
  const reads = { operations, store, discoveryDir: opts.discoveryDir };
  const views = new PlanViews({
    ...reads,
    projectDir: opts.projectDir,
    plan:
      opts.planDocuments ??
      (async (o) => {
        const { runOfflinePlan } =
          require("../../plan/offline") as typeof import("../../plan/offline");
        return (await runOfflinePlan(o)).document;
      }),
  });

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    if ((req.url ?? "").length > MAX_URL_LENGTH)
      throw new ServiceError(414, `request target longer than ${MAX_URL_LENGTH} characters`);
    let url: URL;
    try {
      url = new URL(req.url ?? "/", "http://localhost");
    } catch {
      throw new ServiceError(400, "malformed request target");
    }
    const p = url.pathname;
    const method = req.method ?? "GET";
    const need = (scope: Scope) => {
      const r = auth.check(req.headers.authorization, scope);
      if (!r.ok) {
        if (r.status === 401) res.setHeader("WWW-Authenticate", 'Bearer realm="meshlift"');
        throw new ServiceError(r.status, r.message);
      }
      return r;
    };
    let m: RegExpExecArray | null;

    if (
      (method === "GET" || method === "HEAD") &&
      (isBoardRoute(p) || assets.has(p)) &&
      assets.size > 0
    ) {
      return sendAsset(req, res, assets.get(isBoardRoute(p) ? BOARD_PAGE : p) as StaticAsset);
    }
    if (p === "/healthz" && method === "GET")
      return sendJson(res, 200, { status: "ok", backend: opts.backend ?? { source: "none" } });
    if (p === "/openapi.json" && method === "GET") return sendRaw(res, 200, openapi);
    if (p === "/v1/whoami" && method === "GET") {
      const who = need("read");
      noQuery(url);
      return sendJson(res, 200, { scope: who.scope, identity: who.identity });
    }
    if (p === "/v1/board" && method === "GET") {
      need("read");
      noQuery(url);
      return sendJson(res, 200, board(reads));
    }
    if ((m = /^\/v1\/board\/([^/]+)$/.exec(p)) && method === "GET") {
      need("read");
      noQuery(url);
      const stack = pathParam(m[1]);
      operations.stackFiles.requireStack(stack);
      return sendJson(res, 200, boardStack(reads, stack));
    }
    if ((m = /^\/v1\/stacks\/([^/]+)\/operations$/.exec(p)) && method === "GET") {
      need("read");
      const q = query(url, { limit: intParam(1, 100), before: idParam });
      const stack = pathParam(m[1]);
      operations.stackFiles.requireStack(stack);
      const limit = (q.limit as number | undefined) ?? 20;
      const page = store.recent(stack, limit + 1, q.before as string | undefined);
      if (!page) {
        throw new ServiceError(
          422,
          `before: "${q.before}" is not an operation of stack "${stack}"`,
          {
            fields: [
              { path: "before", given: q.before, message: "must be an operation id of this stack" },
            ],
          },
        );
      }
      return sendJson(res, 200, {
        operations: page.slice(0, limit).map(boardOperation),
        next: page.length > limit ? page[limit - 1].id : null,
      });
    }
    if ((m = /^\/v1\/stacks\/([^/]+)\/diff$/.exec(p)) && method === "GET") {
      need("read");
      const q = query(url, { phase: phaseParam });
      const stack = pathParam(m[1]);
      operations.stackFiles.requireStack(stack);
      return sendJson(res, 200, await views.diff(stack, q.phase as (typeof PHASES)[number]));
    }
    if ((m = /^\/v1\/stacks\/([^/]+)\/runbook$/.exec(p)) && method === "GET") {
      need("read");
      noQuery(url);
      const stack = pathParam(m[1]);
      operations.stackFiles.requireStack(stack);
      return sendJson(res, 200, await views.runbook(stack));
    }
    if (p === "/v1/stacks" && method === "GET") {
      need("read");
      return sendJson(res, 200, {
        stacks: operations.stackFiles.stacks().map((s) => operations.stackView(s)),
      });
    }
    if ((m = /^\/v1\/stacks\/([^/]+)$/.exec(p)) && method === "GET") {
      need("read");
      return sendJson(res, 200, operations.stackView(pathParam(m[1])));
    }
    if ((m = /^\/v1\/stacks\/([^/]+)\/operations$/.exec(p)) && method === "POST") {
      const who = need("operate");
      const stack = pathParam(m[1]);
      if (!isJsonContentType(req.headers["content-type"])) {
        throw new ServiceError(
          415,
          `Content-Type must be application/json (given: ${shownHeader(req.headers["content-type"])})`,
        );
      }
      const body = await readJson(req, maxBody);
      const parsed = operationBodySchema.safeParse(body);
      if (!parsed.success) {
        throw new ServiceError(422, "invalid operation request", {
          fields: fieldErrors(parsed.error, body),
        });
      }
      if (parsed.data.kind === "destroy") need("admin");
      const config = parsed.data.config
        ? Object.fromEntries(Object.entries(parsed.data.config).map(([k, v]) => [k, String(v)]))
        : undefined;
      const op = operations.submit(stack, { ...parsed.data, config, startedBy: who.identity });
      res.setHeader("Location", `/v1/operations/${op.id}`);
      return sendJson(res, 202, { id: op.id, status: op.status });
    }
    if ((m = /^\/v1\/operations\/([^/]+)$/.exec(p)) && method === "GET") {
      need("read");
      return sendJson(res, 200, operations.get(pathParam(m[1])));
    }
    if ((m = /^\/v1\/operations\/([^/]+)\/cancel$/.exec(p)) && method === "POST") {
      need("operate");
      return sendJson(res, 202, operations.cancel(pathParam(m[1])));
    }
    if ((m = /^\/v1\/operations\/([^/]+)\/events$/.exec(p)) && method === "GET") {
      need("read");
      const id = pathParam(m[1]);
      operations.get(id);
      const after = Number(req.headers["last-event-id"] ?? url.searchParams.get("after") ?? 0);
      return streamEvents(id, Number.isFinite(after) && after > 0 ? after : 0, res);
    }
    const known =
      ["/healthz", "/openapi.json", "/v1/stacks"].includes(p) ||
      p.startsWith("/v1/") ||
      (assets.size > 0 && (isBoardRoute(p) || assets.has(p)));
    throw new ServiceError(known ? 405 : 404, `no route ${method} ${p}`);
  };

  const streamEvents = (id: string, after: number, res: http.ServerResponse): void => {
    res.writeHead(200, {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
    });
    streams.add(res);
    const heartbeat = setInterval(() => res.write(": keep-alive\n\n"), heartbeatMs);
    heartbeat.unref();
    let unsubscribe = () => undefined as unknown;
    const finish = () => {
      clearInterval(heartbeat);
      unsubscribe();
      streams.delete(res);
    };
    res.on("close", finish);
    const onMessage = (msg: OperationMessage) => {
      if (msg.type === "event") {
        res.write(
          `id: ${msg.event.seq}\nevent: ${eventName(msg.event.data)}\ndata: ${JSON.stringify(msg.event.data)}\n\n`,
        );
      } else {
        res.write(`event: end\ndata: ${JSON.stringify(msg.operation)}\n\n`);
        res.end();
        finish();
      }
    };
    unsubscribe = operations.subscribe(id, after, onMessage);
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: unknown) => answerError(req, res, e));
  });

  return {
    server,
    store,
    operations,
    recovered,
    resumed,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          const a = server.address() as AddressInfo;
          const h = a.family === "IPv6" ? `[${a.address}]` : a.address;
          resolve(`http://${h}:${a.port}`);
        });
      }),
    close: async () => {
      await operations.stop();
      await Promise.all([opts.runners.plan.close?.(), opts.runners.automation.close?.()]);
      for (const s of streams) s.end();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      store.close();
    },
  };
}

function sendAsset(req: http.IncomingMessage, res: http.ServerResponse, a: StaticAsset): void {
  const headers = { ETag: a.etag, "Cache-Control": "no-cache" };
  if (req.headers["if-none-match"] === a.etag) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  res.writeHead(200, { ...headers, "Content-Type": a.type, "Content-Length": a.body.length });
  res.end(req.method === "HEAD" ? undefined : a.body);
}

/** A path segment, percent-decoded; 400 when the encoding is broken. */
function pathParam(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new ServiceError(400, "a path segment is not valid percent-encoding");
  }
}

type ParamParser = (v: string, name: string) => unknown;

const intParam =
  (min: number, max: number): ParamParser =>
  (v, name) => {
    if (!/^\d{1,6}$/.test(v) || Number(v) < min || Number(v) > max)
      throw badParam(name, v, `must be a whole number from ${min} to ${max}`);
    return Number(v);
  };
const idParam: ParamParser = (v, name) => {
  if (!/^[A-Za-z0-9-]{1,64}$/.test(v)) throw badParam(name, v, "must be an operation id");
  return v;
};
const phaseParam: ParamParser = (v, name) => {
  if (!isPhase(v)) throw badParam(name, v, `must be one of: ${PHASES.join(", ")}`);
  return v;
};

function badParam(name: string, given: string, message: string): ServiceError {
  const shown = given.length > 64 ? `${given.slice(0, 64)}...` : given;
  return new ServiceError(422, `query parameter ${name}: ${message}`, {
    fields: [{ path: name, given: shown, message }],
  });
}

/** The query parameters a route takes, each given at most once; 422 naming any other. */
function query(url: URL, allowed: Readonly<Record<string, ParamParser>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of new Set(url.searchParams.keys())) {
    if (!Object.hasOwn(allowed, name)) {
      const known = Object.keys(allowed).join(", ") || "none";
      throw badParam(name.slice(0, 64), "", `unknown query parameter (allowed: ${known})`);
    }
    const values = url.searchParams.getAll(name);
    if (values.length > 1) throw badParam(name, values[0], "may be given once");
    out[name] = allowed[name](values[0], name);
  }
  return out;
}

function noQuery(url: URL): void {
  query(url, {});
}

/**
 * Answers a failed request. It cannot throw: whatever the error holds, the reply is bounded JSON,
 * and if even that fails the connection is closed; the process keeps serving.
 */
function answerError(req: http.IncomingMessage, res: http.ServerResponse, e: unknown): void {
  try {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (e instanceof ServiceError) {
      // The rest of an oversized body is not read: close the connection once the answer is out.
      if (e.status === 413) {
        res.setHeader("Connection", "close");
        res.on("finish", () => req.destroy());
      }
      sendJson(res, e.status, { error: { status: e.status, message: e.message, ...e.details } });
      return;
    }
    process.stderr.write(
      `meshlift serve: internal error: ${String(e instanceof Error ? e.stack : e)}\n`,
    );
    sendJson(res, 500, { error: { status: 500, message: "internal error; see the service log" } });
  } catch {
    try {
      if (!res.headersSent) {
        sendRaw(
          res,
          500,
          '{"error":{"status":500,"message":"internal error; see the service log"}}',
        );
        return;
      }
    } catch {
      // fall through: nothing more can be said on this connection
    }
    res.destroy();
  }
}

function shownHeader(v: string | undefined): string {
  if (v === undefined) return "none";
  return JSON.stringify(v.length > 80 ? `${v.slice(0, 80)}...` : v);
}

/** SSE event names: one `decision` per cutover decision, `cutover` for its other steps, `engine` otherwise. */
function eventName(data: Record<string, unknown>): string {
  const c = data.cutoverEvent as { type?: unknown } | undefined;
  if (!c) return "engine";
  return c.type === "decision" ? "decision" : "cutover";
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  sendRaw(res, status, JSON.stringify(body));
}

function sendRaw(res: http.ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
    "Cache-Control": "no-store",
  });
  res.end(text);
}

/** Reads a JSON body of at most `limit` bytes: 413 above it (checked on Content-Length first), 400 if not JSON. */
async function readJson(req: http.IncomingMessage, limit: number): Promise<unknown> {
  const tooLarge = () =>
    new ServiceError(413, `request body larger than ${limit} bytes`, { limit });
  const declared = Number(req.headers["content-length"] ?? NaN);
  if (declared > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "") throw new ServiceError(400, "request body is empty; expected JSON");
  const deep = jsonDepthExceeded(text, MAX_BODY_DEPTH);
  if (deep >= 0) {
    throw new ServiceError(
      400,
      `request body nests deeper than ${MAX_BODY_DEPTH} levels (at offset ${deep}); an operation request is 2 levels deep`,
    );
  }
  let body: unknown;
  try {
    body = JSON.parse(text) as unknown;
  } catch (e) {
    // V8 quotes the body around the error; the reply must not (it may hold a secret).
    const reason = (e as Error).message.replace(/, ".*$/s, "").slice(0, 120);
    throw new ServiceError(400, `request body is not valid JSON: ${reason}`);
  }
  const refused = forbiddenKeyPath(body);
  if (refused) {
    throw new ServiceError(422, "invalid operation request", {
      fields: [{ path: refused.join("."), message: forbiddenKeyMessage(refused) }],
    });
  }
  return body;
}
