// Hostile input to the board's endpoints: bad stack names, bad phases, bad and huge query strings, asset paths, hostile inventory files.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as http from "node:http";
import * as path from "node:path";
import fc from "fast-check";
import { ensureBoard } from "../../../web/build";
import { GateRunner, get, makeProject, startService, Started, tempDir, TOKENS } from "../support";

/** A raw request, for targets `fetch` would normalise or refuse to send. */
function raw(url: string, target: string): Promise<{ status: number; body: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: u.hostname,
        port: u.port,
        path: target,
        method: "GET",
        headers: { authorization: `Bearer ${TOKENS.read}` },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
        );
      },
    );
    req.on("error", reject);
    req.end();
  });
}

const READ_ROUTES = (stack: string) => [
  `/v1/board/${stack}`,
  `/v1/stacks/${stack}/operations`,
  `/v1/stacks/${stack}/diff`,
  `/v1/stacks/${stack}/runbook`,
];

describe("board API: hostile input", () => {
  const project = makeProject(["dev"]);
  const discoveryDir = tempDir("meshlift-discovery-");
  let s: Started;
  let plans = 0;

  before(async () => {
    const gate = new GateRunner();
    s = await startService({
      projectDir: project,
      runners: { plan: gate, automation: gate },
      extra: {
        boardDir: await ensureBoard(),
        discoveryDir,
        // No request in this file may reach an offline plan: each is refused before.
        planDocuments: () => {
          plans += 1;
          return Promise.reject(new Error("no plan expected"));
        },
      },
    });
  });
  after(async () => {
    assert.equal(plans, 0);
    await s.service.close();
  });

  const stillServing = async () => {
    assert.equal((await get(s.url, "/healthz")).status, 200);
    assert.equal((await get(s.url, "/v1/board/dev")).body.stack, "dev");
  };

  it("answers 404 for unknown, traversing and markup stack names, 400 for broken encoding", async () => {
    const names = [
      "nope",
      "..%2F..%2Fetc%2Fpasswd",
      "%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E",
      "__proto__",
      "constructor",
      encodeURIComponent("дев"),
      "x".repeat(1000),
      "dev%00",
    ];
    for (const n of names) {
      for (const route of READ_ROUTES(n)) {
        const r = await raw(s.url, route);
        assert.equal(r.status, 404, `${route}: ${r.body}`);
        const body = JSON.parse(r.body) as { error: { message: string } };
        assert.match(body.error.message, /unknown stack/);
      }
    }
    // Dot segments are resolved by URL parsing: what remains is no route, never another file or stack.
    for (const route of READ_ROUTES("%2e%2e")) {
      const r = await raw(s.url, route);
      assert.ok([404, 405].includes(r.status), `${route}: ${r.status}`);
    }
    for (const route of READ_ROUTES("%ZZ")) {
      const r = await raw(s.url, route);
      assert.equal(r.status, 400, route);
      assert.match(r.body, /not valid percent-encoding/);
    }
    await stillServing();
  });

  it("refuses bad phases with the allowed ones (422)", async () => {
    for (const phase of ["later", "__proto__", "", "Parallel", "parallel%00", "%E2%80%AE"]) {
      const r = await raw(s.url, `/v1/stacks/dev/diff?phase=${phase}`);
      assert.equal(r.status, 422, `${phase}: ${r.body}`);
      assert.match(r.body, /must be one of: discovery, parallel, workloads, cutover, decommission/);
    }
    const twice = await raw(s.url, "/v1/stacks/dev/diff?phase=parallel&phase=cutover");
    assert.equal(twice.status, 422);
    assert.match(twice.body, /may be given once/);
    await stillServing();
  });

  it("refuses unknown and invalid query parameters, naming them (422)", async () => {
    const cases: [string, RegExp][] = [
      ["/v1/board?x=1", /unknown query parameter \(allowed: none\)/],
      ["/v1/board/dev?__proto__=1", /unknown query parameter/],
      ["/v1/stacks/dev/runbook?phase=parallel", /unknown query parameter/],
      ["/v1/stacks/dev/operations?limit=0", /limit: must be a whole number from 1 to 100/],
      ["/v1/stacks/dev/operations?limit=101", /from 1 to 100/],
      ["/v1/stacks/dev/operations?limit=-1", /from 1 to 100/],
      ["/v1/stacks/dev/operations?limit=1e2", /from 1 to 100/],
      ["/v1/stacks/dev/operations?limit=99999999999999999999", /from 1 to 100/],
      ["/v1/stacks/dev/operations?before=../../x", /must be an operation id/],
      ["/v1/stacks/dev/operations?before=not-an-operation", /not an operation of stack/],
      ["/v1/whoami?token=abc", /unknown query parameter/],
    ];
    for (const [target, re] of cases) {
      const r = await raw(s.url, target);
      assert.equal(r.status, 422, `${target}: ${r.body}`);
      assert.match(r.body, re, target);
    }
    // A long parameter value is not echoed in full.
    const long = await raw(s.url, `/v1/stacks/dev/diff?phase=${"p".repeat(2000)}`);
    assert.equal(long.status, 422);
    assert.ok(long.body.length < 1000, `${long.body.length} bytes`);
    await stillServing();
  });

  it("answers 414 for a long request target and 431 above Node's header limit, then serves on", async () => {
    const long = await raw(s.url, `/v1/board?${"a=1&".repeat(2000)}`);
    assert.equal(long.status, 414);
    const huge = await raw(s.url, `/v1/board?${"b".repeat(20_000)}`);
    assert.equal(huge.status, 431);
    await stillServing();
  });

  it("serves only the files of the build's manifest", async () => {
    for (const target of [
      "/assets/manifest.json",
      "/assets/../manifest.json",
      "/assets/%2e%2e/%2e%2e/package.json",
      "/assets/board.js/",
      "/assets/BOARD.JS",
      "/index.html/..%2F..%2Fpackage.json",
      "/stacks/dev/extra",
      "/manifest.json",
    ]) {
      const r = await raw(s.url, target);
      assert.ok(r.status === 404 || r.status === 405, `${target}: ${r.status}`);
      assert.doesNotMatch(r.body, /sourceHash|"dependencies"/);
    }
    const page = await raw(s.url, "/stacks/%3Cscript%3Ealert(1)%3C%2Fscript%3E");
    assert.equal(page.status, 200);
    assert.doesNotMatch(page.body, /alert/, "the page never echoes its path");
  });

  it("shows an unreadable or ill-shaped inventory.json as an error, never a crash", async () => {
    const file = path.join(discoveryDir, "dev", "inventory.json");
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const cases: [string | Buffer, RegExp][] = [
      ["{not json", /is not JSON/],
      ["[".repeat(200_000), /is not JSON/],
      [JSON.stringify({ atRisk: "everything" }), /atRisk/],
      [JSON.stringify({ atRisk: [{ namespace: "a", pods: -3 }] }), /atRisk\.0\.pods/],
      [JSON.stringify({ precheck: { blocker: "many" } }), /precheck/],
      [Buffer.alloc(9 * 1024 * 1024, 0x20), /the board reads at most/],
    ];
    for (const [content, re] of cases) {
      fs.writeFileSync(file, content);
      const r = await get(s.url, "/v1/board/dev");
      assert.equal(r.status, 200);
      assert.equal(r.body.discovery, null);
      assert.match(r.body.discoveryError, re);
    }
    // __proto__ keys are data, not prototype changes.
    fs.writeFileSync(
      file,
      '{"__proto__": {"polluted": true}, "atRisk": [{"namespace": "<img src=x onerror=alert(1)>", "pods": 1, "__proto__": {"x": 1}}]}',
    );
    const r = await get(s.url, "/v1/board/dev");
    assert.equal(r.body.discovery.atRisk[0].namespace, "<img src=x onerror=alert(1)>");
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    fs.rmSync(file);
    fs.mkdirSync(file);
    assert.match((await get(s.url, "/v1/board/dev")).body.discoveryError, /is not a file/);
    fs.rmSync(file, { recursive: true });
    assert.equal((await get(s.url, "/v1/board/dev")).body.discovery, null);
    await stillServing();
  });

  it("never answers 500 to random stack names and query strings (bounded fuzz)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 40 }).filter((n) => n !== "dev"),
        fc.constantFrom(...READ_ROUTES("{}"), "/v1/board", "/v1/whoami"),
        fc.array(fc.tuple(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 })), {
          maxLength: 4,
        }),
        async (name, route, params) => {
          const q = new URLSearchParams(params).toString();
          const target = route.replace("{}", encodeURIComponent(name)) + (q ? `?${q}` : "");
          const r = await raw(s.url, target);
          assert.ok(r.status < 500, `${target}: ${r.status} ${r.body}`);
        },
      ),
      { numRuns: 150 },
    );
    await stillServing();
  });
});
