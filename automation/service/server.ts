// The HTTP service on node:http: routing, auth, body limits, JSON errors and the SSE event stream.
import * as http from "node:http";
import { AddressInfo } from "node:net";
import { Authenticator, Scope, TokenEntry } from "./auth";
import { openApiDocument } from "./openapi";
import { Operations, OperationMessage, Runners, ServiceError } from "./operations";
import { fieldErrors, operationBodySchema } from "./schemas";
import { OperationRecord, Store } from "./store";

export interface ServiceOptions {
  /** The SQLite file holding operations and events. */
  readonly dbFile: string;
  readonly tokens: readonly TokenEntry[];
  readonly runners: Runners;
  /** The directory holding Pulumi.yaml and stacks/. */
  readonly projectDir: string;
  /** @default 4 */
  readonly maxConcurrent?: number;
  /** Request bodies above this are refused with 413. @default 65536 */
  readonly maxBodyBytes?: number;
  /** Seconds between SSE keep-alive comments. @default 15 */
  readonly heartbeatSeconds?: number;
}

export const SERVICE_VERSION = "1";
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

export interface Service {
  readonly server: http.Server;
  readonly store: Store;
  readonly operations: Operations;
  /** Operations found queued or running from a previous process and marked interrupted. */
  readonly recovered: readonly OperationRecord[];
  listen(port: number, host: string): Promise<string>;
  close(): Promise<void>;
}

export function createService(opts: ServiceOptions): Service {
  const store = new Store(opts.dbFile);
  const recovered = store.recoverInterrupted();
  const operations = new Operations({
    store,
    runners: opts.runners,
    projectDir: opts.projectDir,
    maxConcurrent: opts.maxConcurrent,
  });
  const auth = new Authenticator(opts.tokens);
  const maxBody = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const heartbeatMs = (opts.heartbeatSeconds ?? 15) * 1000;
  const streams = new Set<http.ServerResponse>();
  const openapi = JSON.stringify(openApiDocument(SERVICE_VERSION));

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const p = url.pathname;
    const method = req.method ?? "GET";
    const need = (scope: Scope) => {
      const r = auth.check(req.headers.authorization, scope);
      if (!r.ok) {
        if (r.status === 401) res.setHeader("WWW-Authenticate", 'Bearer realm="meshlift"');
        throw new ServiceError(r.status, r.message);
      }
    };
    let m: RegExpExecArray | null;

    if (p === "/healthz" && method === "GET") return sendJson(res, 200, { status: "ok" });
    if (p === "/openapi.json" && method === "GET") return sendRaw(res, 200, openapi);
    if (p === "/v1/stacks" && method === "GET") {
      need("read");
      return sendJson(res, 200, {
        stacks: operations.stacks().map((s) => operations.stackView(s)),
      });
    }
    if ((m = /^\/v1\/stacks\/([^/]+)$/.exec(p)) && method === "GET") {
      need("read");
      return sendJson(res, 200, operations.stackView(decodeURIComponent(m[1])));
    }
    if ((m = /^\/v1\/stacks\/([^/]+)\/operations$/.exec(p)) && method === "POST") {
      need("operate");
      const stack = decodeURIComponent(m[1]);
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
      const op = operations.submit(stack, { ...parsed.data, config });
      res.setHeader("Location", `/v1/operations/${op.id}`);
      return sendJson(res, 202, { id: op.id, status: op.status });
    }
    if ((m = /^\/v1\/operations\/([^/]+)$/.exec(p)) && method === "GET") {
      need("read");
      return sendJson(res, 200, operations.get(decodeURIComponent(m[1])));
    }
    if ((m = /^\/v1\/operations\/([^/]+)\/cancel$/.exec(p)) && method === "POST") {
      need("operate");
      return sendJson(res, 202, operations.cancel(decodeURIComponent(m[1])));
    }
    if ((m = /^\/v1\/operations\/([^/]+)\/events$/.exec(p)) && method === "GET") {
      need("read");
      const id = decodeURIComponent(m[1]);
      operations.get(id);
      const after = Number(req.headers["last-event-id"] ?? url.searchParams.get("after") ?? 0);
      return streamEvents(id, Number.isFinite(after) && after > 0 ? after : 0, res);
    }
    const known = ["/healthz", "/openapi.json", "/v1/stacks"].includes(p) || p.startsWith("/v1/");
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
          `id: ${msg.event.seq}\nevent: engine\ndata: ${JSON.stringify(msg.event.data)}\n\n`,
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
    handle(req, res).catch((e: unknown) => {
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
      sendJson(res, 500, {
        error: { status: 500, message: "internal error; see the service log" },
      });
    });
  });

  return {
    server,
    store,
    operations,
    recovered,
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
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new ServiceError(400, `request body is not valid JSON: ${(e as Error).message}`);
  }
}
