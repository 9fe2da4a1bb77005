// The board's live event stream against a real Server-Sent Events server on 127.0.0.1: the token header, the three event names, reconnecting with Last-Event-ID, and a refused stream.
import { strict as assert } from "node:assert";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { followOperation, type StreamHandlers } from "../../../web/src/events";
import { memoryStorage, setGlobal } from "../../support/web-globals";

interface Seen {
  readonly events: [number, Record<string, unknown>][];
  readonly states: string[];
  readonly end: Promise<Record<string, unknown>>;
  readonly failed: Promise<string | undefined>;
  readonly handlers: StreamHandlers;
}

function recorder(): Seen {
  const events: Seen["events"] = [];
  const states: string[] = [];
  let ended!: (o: Record<string, unknown>) => void;
  let failed!: (d: string | undefined) => void;
  const end = new Promise<Record<string, unknown>>((r) => (ended = r));
  const failedP = new Promise<string | undefined>((r) => (failed = r));
  return {
    events,
    states,
    end,
    failed: failedP,
    handlers: {
      onEvent: (seq, data) => events.push([seq, data]),
      onEnd: (o) => ended(o),
      onState: (s, detail) => {
        states.push(s);
        if (s === "failed") failed(detail);
      },
    },
  };
}

describe("board event stream", () => {
  let server: http.Server;
  let handle: (req: http.IncomingMessage, res: http.ServerResponse) => void;
  const restores: (() => void)[] = [];

  beforeEach(async () => {
    server = http.createServer((req, res) => handle(req, res));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as AddressInfo;
    // The board runs on the service's origin: relative paths resolve against the page.
    restores.push(setGlobal("document", { baseURI: `http://127.0.0.1:${port}/board/` }));
    restores.push(setGlobal("sessionStorage", memoryStorage({ "meshlift.token": "tok" })));
  });
  afterEach(async () => {
    restores
      .splice(0)
      .reverse()
      .forEach((r) => r());
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const sse = (res: http.ServerResponse) =>
    res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-store" });

  it("follows an operation to its end, reconnecting from the last event id after a drop", async () => {
    const requests: http.IncomingHttpHeaders[] = [];
    const urls: string[] = [];
    handle = (req, res) => {
      requests.push(req.headers);
      urls.push(req.url ?? "");
      sse(res);
      if (requests.length === 1) {
        // A short retry so that the reconnection does not wait the default 3 s.
        res.write("retry: 10\n\n");
        res.write('id: 1\nevent: engine\ndata: {"stdoutEvent":{"message":"hi"}}\n\n');
        res.write("id: 2\nevent: decision\ndata: not json\n\n");
        res.end(); // the connection drops before the end event
        return;
      }
      res.write('id: 3\nevent: cutover\ndata: {"line":"step 1"}\n\n');
      res.write('event: end\ndata: {"id":"op 1","status":"succeeded"}\n\n');
    };
    const seen = recorder();
    followOperation("op 1", seen.handlers);
    assert.deepEqual(await seen.end, { id: "op 1", status: "succeeded" });
    assert.deepEqual(urls, ["/v1/operations/op%201/events", "/v1/operations/op%201/events"]);
    assert.deepEqual(seen.events, [
      [1, { stdoutEvent: { message: "hi" } }],
      [2, { unreadable: "not json" }],
      [3, { line: "step 1" }],
    ]);
    assert.equal(requests[0].authorization, "Bearer tok");
    assert.equal(requests[1].authorization, "Bearer tok");
    assert.equal(requests[0]["last-event-id"], undefined);
    assert.equal(requests[1]["last-event-id"], "2");
    assert.deepEqual(seen.states, ["connecting", "live", "reconnecting", "live"]);
  });

  it("fails, without reconnecting, when the service refuses the stream", async () => {
    let count = 0;
    handle = (_req, res) => {
      count++;
      res.writeHead(401, { "Content-Type": "application/json" });
      res.end('{"error":{"message":"unauthorized"}}');
    };
    const seen = recorder();
    followOperation("op1", seen.handlers);
    assert.equal(await seen.failed, "HTTP 401");
    assert.deepEqual(seen.states, ["connecting", "failed"]);
    assert.equal(count, 1);
  });

  it("stops when asked: the connection closes and no end is reported", async () => {
    let closed!: () => void;
    const gone = new Promise<void>((r) => (closed = r));
    handle = (req, res) => {
      sse(res);
      res.write('id: 1\nevent: engine\ndata: {"a":1}\n\n');
      req.on("close", closed);
    };
    const seen = recorder();
    let stop: () => void = () => undefined;
    const first = new Promise<void>((r) => {
      const h = seen.handlers;
      stop = followOperation("op1", {
        ...h,
        onEvent: (seq, data) => {
          h.onEvent(seq, data);
          r();
        },
      });
    });
    await first;
    stop();
    await gone;
    assert.deepEqual(seen.events, [[1, { a: 1 }]]);
    assert.deepEqual(seen.states, ["connecting", "live"]);
  });
});
