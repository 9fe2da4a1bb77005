// Bounded fuzzing of the HTTP API: generated methods, paths, headers and bodies; never a 500 or a trace, and still serving after each.
import { strict as assert } from "node:assert";
import * as net from "node:net";
import fc from "fast-check";
import { RunRequest, RunResult, Runner } from "../../automation/runners/runner";
import { makeProject, startService, Started, TOKENS } from "../automation/support";
import { rawRequest, stillServing } from "./support";

/** Finishes every run at once: the fuzz is about the HTTP layer, not the engine. */
class InstantRunner implements Runner {
  unavailable(): undefined {
    return undefined;
  }
  async run(req: RunRequest): Promise<RunResult> {
    req.onEvent({ stdoutEvent: { message: `ran ${req.kind}` } });
    return { summary: { kind: req.kind } };
  }
}

/** Case budget: each property stops at its count or its time, whichever comes first. */
const RUNS = 300;
const TIME_LIMIT_MS = 25_000;

const HOSTILE_KEYS = [
  "__proto__",
  "constructor",
  "prototype",
  "meshlift:__proto__.authorization",
  "__proto__.polluted",
  "cluster.constructor.prototype.x",
  "cluster.nodeGroups",
  "cluster.mode.x",
  "config:phase",
  "aws:region",
  "multiCluster.rootCa.kyePem",
  "phase",
  "kind",
  "",
];

const hostileString = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
  fc.constantFrom(
    "plan",
    "up",
    "destroy",
    "dev",
    "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----",
    "x".repeat(5000),
    "\u0000",
    "%ZZ",
    "../../etc/passwd",
    '{"__proto__":{"polluted":1}}',
    "[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]",
  ),
);

/** JSON-ish values with hostile keys, nested up to a few levels. */
const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    hostileString,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(
      fc.oneof(fc.constantFrom(...HOSTILE_KEYS), fc.string({ maxLength: 12 })),
      tie("value"),
      {
        maxKeys: 4,
      },
    ),
  ),
})).value;

/** Bodies: mostly operation-shaped (some valid), some raw text, some deep. */
const body = fc.oneof(
  {
    weight: 2,
    arbitrary: fc
      .constantFrom(
        { kind: "plan" },
        { kind: "plan", phase: "parallel" },
        { kind: "preview", config: { "cutover.istioWeight": "10" } },
        { kind: "plan", config: { "cluster.nodeGroups": '{"core":{"maxSize":8}}' }, queue: false },
      )
      .map((o) => JSON.stringify(o)),
  },
  fc
    .record(
      {
        kind: fc.oneof(
          fc.constantFrom("plan", "preview", "up", "refresh", "destroy"),
          hostileString,
        ),
        phase: fc.oneof(fc.constantFrom("discovery", "parallel", "cutover"), hostileString),
        config: fc.dictionary(
          fc.oneof(fc.constantFrom(...HOSTILE_KEYS), fc.string({ maxLength: 20 })),
          hostileValue,
          {
            maxKeys: 5,
          },
        ),
        queue: fc.oneof(fc.boolean(), hostileValue),
        confirm: hostileString,
        extra: hostileValue,
      },
      { requiredKeys: ["kind"] },
    )
    .map((o) => JSON.stringify(o)),
  hostileValue.map((v) => JSON.stringify(v) ?? "null"),
  fc.nat({ max: 3000 }).map((n) => `{"kind":"plan","config":${"[".repeat(n)}${"]".repeat(n)}}`),
  fc.nat({ max: 3000 }).map((n) => `${'{"a":'.repeat(n)}1${"}".repeat(n)}`),
  hostileString,
  fc.constant(""),
);

const segment = fc.oneof(
  fc.constantFrom(
    "dev",
    "prod",
    "nope",
    "..",
    "%2e%2e",
    "%ZZ",
    "%",
    "%E0%A4%A",
    "%00",
    "a".repeat(300),
  ),
  fc.stringMatching(/^[A-Za-z0-9._~!$&'()*+,;=:@%-]{0,20}$/),
);

const pathArb = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom("/v1/stacks/dev/operations", "/v1/stacks/prod/operations"),
  },
  fc
    .tuple(
      fc.constantFrom(
        "/v1/stacks/{}",
        "/v1/stacks/{}/operations",
        "/v1/operations/{}",
        "/v1/operations/{}/events",
        "/v1/operations/{}/cancel",
        "/v1/board/stacks/{}",
        "/{}",
        "/v1/{}",
      ),
      segment,
      fc.option(fc.stringMatching(/^[A-Za-z0-9=&%._-]{0,30}$/), { nil: undefined }),
    )
    .map(([t, s, q]) => t.replace("{}", s) + (q === undefined ? "" : `?${q}`)),
  fc.constantFrom("/v1/stacks", "/healthz", "/openapi.json", "/", "//", "/v1/stacks?x=1"),
);

const headerValue = fc.stringMatching(/^[\x20-\x7e]{0,60}$/);
const headers = fc.record(
  {
    authorization: fc.oneof(
      {
        weight: 3,
        arbitrary: fc.constantFrom(`Bearer ${TOKENS.operate}`, `Bearer ${TOKENS.admin}`),
      },
      fc.constantFrom(
        `Bearer ${TOKENS.read}`,
        `Bearer ${TOKENS.operate}`,
        `Bearer ${TOKENS.admin}`,
        "Bearer",
        "Basic dXNlcjpwYXNz",
        `bearer ${TOKENS.operate}  `,
      ),
      headerValue,
    ),
    "content-type": fc.oneof(
      { weight: 3, arbitrary: fc.constant("application/json") },
      fc.constantFrom(
        "application/json",
        "application/json; charset=utf-8",
        "text/plain",
        "application/merge-patch+json",
      ),
      headerValue,
    ),
    "last-event-id": fc.oneof(fc.constantFrom("0", "1", "-1", "1e309", "NaN"), headerValue),
    accept: headerValue,
    "x-forwarded-for": headerValue,
  },
  { requiredKeys: [] },
);

/** No answer may carry a stack trace or Node internals. */
function assertNoTrace(text: string, what: string): void {
  assert.doesNotMatch(
    text,
    /\n\s+at [^\n]+:\d+:\d+|node:internal|\bat Object\.<anonymous>/,
    `${what}: a trace in ${text.slice(0, 300)}`,
  );
}

/** Sends raw bytes over TCP: request lines and headers the HTTP client library would refuse to send. */
function rawSocket(url: string, bytes: string): Promise<string> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const sock = net.connect(Number(u.port), u.hostname);
    let got = "";
    const done = () => resolve(got);
    sock.setTimeout(5000, () => sock.destroy());
    sock.on("data", (d) => (got += d.toString("latin1")));
    sock.on("error", done);
    sock.on("close", done);
    sock.end(bytes, "latin1");
  });
}

describe("HTTP API fuzz (bounded)", function () {
  this.timeout(120_000);
  const project = makeProject(["dev", "prod"]);
  let s: Started;
  before(async () => {
    const runner = new InstantRunner();
    s = await startService({ projectDir: project, runners: { plan: runner, automation: runner } });
  });
  after(() => s.service.close());

  it("answers generated requests without a 500 or a trace, and still judges tokens after each", async () => {
    const protoKeys = Object.getOwnPropertyNames(Object.prototype).sort();
    const started = Date.now();
    let runs = 0;
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          { weight: 4, arbitrary: fc.constant("POST") },
          { weight: 2, arbitrary: fc.constant("GET") },
          fc.constantFrom("PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"),
        ),
        pathArb,
        headers,
        body,
        async (method, path, hdrs, text) => {
          runs += 1;
          const r = await rawRequest(s.url, {
            method,
            path,
            headers: hdrs,
            body: method === "GET" || method === "HEAD" ? undefined : text,
          });
          statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
          assert.ok(
            (r.status >= 200 && r.status < 500) || r.status === 503 || r.status === 507,
            `${method} ${path}: ${r.status} ${r.text.slice(0, 300)}`,
          );
          assertNoTrace(r.text, `${method} ${path}`);
          await stillServing(s.url);
          assert.deepEqual(
            Object.getOwnPropertyNames(Object.prototype).sort(),
            protoKeys,
            "Object.prototype changed",
          );
        },
      ),
      { numRuns: RUNS, interruptAfterTimeLimit: TIME_LIMIT_MS, markInterruptAsFailure: false },
    );
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `      service fuzz: ${runs} requests in ${seconds.toFixed(1)} s; statuses ${[...statuses]
        .sort()
        .map(([k, v]) => `${k}x${v}`)
        .join(" ")}`,
    );
    assert.ok(runs >= 20, `only ${runs} runs in the time limit`);
  });

  it("answers raw, malformed request bytes with a 4xx or a closed connection, and keeps serving", async () => {
    const started = Date.now();
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc
            .tuple(
              fc.constantFrom("GET", "POST", "BREW", "G\u0000T", ""),
              fc.stringMatching(/^[\x21-\x7e]{0,40}$/),
              fc.constantFrom("HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/9", ""),
              fc.array(
                fc.tuple(
                  fc.stringMatching(/^[\x21-\x39\x3b-\x7e]{0,15}$/),
                  fc.string({ maxLength: 20 }),
                ),
                {
                  maxLength: 4,
                },
              ),
            )
            .map(
              ([m, p, v, hs]) =>
                `${m} /${p} ${v}\r\n${hs.map(([k, x]) => `${k}: ${x}\r\n`).join("")}\r\n`,
            ),
          fc.string({ maxLength: 200 }),
          fc.constant(`GET /v1/stacks HTTP/1.1\r\nHost: x\r\n${"X-A: b\r\n".repeat(3000)}\r\n`),
          fc.constant(
            "POST /v1/stacks/dev/operations HTTP/1.1\r\nContent-Length: 999999999\r\n\r\n{",
          ),
          fc.constant(
            "POST /v1/stacks/dev/operations HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\nzz\r\n",
          ),
        ),
        async (bytes) => {
          runs += 1;
          const answer = await rawSocket(s.url, bytes);
          const status = /^HTTP\/1\.[01] (\d{3})/.exec(answer)?.[1];
          if (status)
            assert.ok(
              Number(status) < 500,
              `${JSON.stringify(bytes.slice(0, 80))}: ${answer.slice(0, 200)}`,
            );
          assertNoTrace(answer, JSON.stringify(bytes.slice(0, 80)));
          await stillServing(s.url);
        },
      ),
      { numRuns: 80, interruptAfterTimeLimit: 15_000, markInterruptAsFailure: false },
    );
    console.log(
      `      raw-socket fuzz: ${runs} requests in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    assert.ok(runs >= 10, `only ${runs} runs in the time limit`);
  });
});
