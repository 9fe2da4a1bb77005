// The board's calls to the service: same-origin paths, the bearer token, no cookies, and the service's error as an ApiError.
import { strict as assert } from "node:assert";
import { api, ApiError, authHeaders } from "../../../web/src/api";
import { memoryStorage, setGlobal } from "../../support/web-globals";

interface Call {
  readonly url: string;
  readonly init: RequestInit;
}

describe("board api", () => {
  const restores: (() => void)[] = [];
  afterEach(() =>
    restores
      .splice(0)
      .reverse()
      .forEach((r) => r()),
  );

  /** A fetch that records each call and answers with `answer`. */
  function serve(answer: (url: string) => Response | Promise<Response>): Call[] {
    const calls: Call[] = [];
    restores.push(
      setGlobal("fetch", (url: string, init: RequestInit) => {
        calls.push({ url, init });
        return Promise.resolve(answer(url));
      }),
    );
    return calls;
  }
  const json = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), {
      status,
      headers: { "Content-Type": "application/json" },
    });

  it("sends the tab's token as a bearer header, and nothing without one", () => {
    restores.push(setGlobal("sessionStorage", memoryStorage({ "meshlift.token": "tok" })));
    assert.deepEqual(authHeaders(), { Authorization: "Bearer tok" });
    assert.deepEqual(authHeaders(null), {});
    assert.deepEqual(authHeaders("other"), { Authorization: "Bearer other" });
  });

  it("GETs a stack's board with its name encoded, no cookies and no cache", async () => {
    restores.push(setGlobal("sessionStorage", memoryStorage({ "meshlift.token": "tok" })));
    const calls = serve(() => json(200, { stack: "dev/a b" }));
    assert.deepEqual(await api.stack("dev/a b"), { stack: "dev/a b" });
    assert.equal(calls.length, 1);
    assert.equal(calls[0].url, "/v1/board/dev%2Fa%20b");
    assert.equal(calls[0].init.method, "GET");
    assert.equal(calls[0].init.credentials, "omit");
    assert.equal(calls[0].init.cache, "no-store");
    assert.equal(calls[0].init.body, undefined);
    assert.deepEqual(calls[0].init.headers, {
      Accept: "application/json",
      Authorization: "Bearer tok",
    });
  });

  it("builds each endpoint's path and query", async () => {
    restores.push(setGlobal("sessionStorage", memoryStorage()));
    const calls = serve(() => json(200, {}));
    await api.whoami();
    await api.board();
    await api.operations("dev");
    await api.operations("dev", "op&1");
    await api.operation("op/1");
    await api.diff("dev", "cut over");
    await api.runbook("dev");
    await api.cancel("op1");
    assert.deepEqual(
      calls.map((c) => `${c.init.method} ${c.url}`),
      [
        "GET /v1/whoami",
        "GET /v1/board",
        "GET /v1/stacks/dev/operations?limit=20",
        "GET /v1/stacks/dev/operations?limit=20&before=op%261",
        "GET /v1/operations/op%2F1",
        "GET /v1/stacks/dev/diff?phase=cut%20over",
        "GET /v1/stacks/dev/runbook",
        "POST /v1/operations/op1/cancel",
      ],
    );
  });

  it("POSTs an operation as JSON", async () => {
    restores.push(setGlobal("sessionStorage", memoryStorage()));
    const calls = serve(() => json(202, { id: "op1", status: "queued" }));
    const body = { kind: "up", phase: "parallel" };
    assert.deepEqual(await api.submit("dev", body), { id: "op1", status: "queued" });
    assert.equal(calls[0].init.method, "POST");
    assert.equal(calls[0].url, "/v1/stacks/dev/operations");
    assert.equal(calls[0].init.body, JSON.stringify(body));
    assert.deepEqual(calls[0].init.headers, {
      Accept: "application/json",
      "Content-Type": "application/json",
    });
  });

  it("turns the service's error into an ApiError with its status, message and details", async () => {
    restores.push(setGlobal("sessionStorage", memoryStorage()));
    serve(() => json(409, { error: { message: "an update is in progress", operation: "op7" } }));
    const err = await api.board().then(
      () => assert.fail("a 409 resolved"),
      (e: unknown) => e,
    );
    assert.ok(err instanceof ApiError);
    assert.equal(err.status, 409);
    assert.equal(err.message, "an update is in progress");
    assert.equal(err.details.operation, "op7");
    assert.equal(err.name, "ApiError");
  });

  it("names the HTTP status when the error body is not the service's JSON", async () => {
    restores.push(setGlobal("sessionStorage", memoryStorage()));
    serve(() => new Response("<html>bad gateway</html>", { status: 502 }));
    await assert.rejects(api.board(), { name: "ApiError", status: 502, message: "HTTP 502" });
    serve(() => json(500, { error: { message: 42 } }));
    await assert.rejects(api.board(), { status: 500, message: "HTTP 500" });
  });

  it("reads an empty 2xx body as no value", async () => {
    restores.push(setGlobal("sessionStorage", memoryStorage()));
    serve(() => new Response(null, { status: 204 }));
    assert.equal(await api.cancel("op1"), undefined);
  });

  it("says the service cannot be reached when fetch itself fails", async () => {
    restores.push(setGlobal("sessionStorage", memoryStorage()));
    restores.push(setGlobal("fetch", () => Promise.reject(new TypeError("Failed to fetch"))));
    await assert.rejects(api.whoami(), {
      name: "ApiError",
      status: 0,
      message: "the service cannot be reached (Failed to fetch)",
    });
  });
});
