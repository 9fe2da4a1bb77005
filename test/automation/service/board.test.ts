// The board's read API and static files over real HTTP: whoami, board, operation pages, offline diff, runbook, discovery counts, security headers.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import Database from "better-sqlite3";
import { PlanDocuments } from "../../../automation/service/board";
import { Store } from "../../../automation/service/store";
import { PlanRunner } from "../../../automation/runners/plan";
import { ensureBoard } from "../../../web/build";
import {
  GateRunner,
  get,
  makeProject,
  startService,
  Started,
  submit,
  tempDir,
  TOKENS,
  waitStatus,
} from "../support";

/** Counts the offline plans the service asks for, around the real plan runner. */
function countingPlanner(projectDir: string): { plan: PlanDocuments; calls: () => number } {
  const runner = new PlanRunner({ projectDir });
  let n = 0;
  return {
    plan: (o) => {
      n += 1;
      return runner.document(o);
    },
    calls: () => n,
  };
}

describe("board API", () => {
  const project = makeProject(["dev", "alpha"]);
  let s: Started;
  let gate: GateRunner;
  let boardDir: string;
  const discoveryDir = tempDir("meshlift-discovery-");
  const planner = countingPlanner(project);

  before(async () => {
    boardDir = await ensureBoard();
    gate = new GateRunner();
    s = await startService({
      projectDir: project,
      runners: { plan: gate, automation: gate },
      extra: { boardDir, discoveryDir, planDocuments: planner.plan },
    });
  });
  after(() => s.service.close());

  it("tells a token its scope and the identity operations record", async () => {
    const r = await get(s.url, "/v1/whoami", TOKENS.read);
    assert.equal(r.status, 200);
    assert.equal(r.body.scope, "read");
    assert.match(r.body.identity, /^read:[0-9a-f]{8}$/);
    assert.equal((await get(s.url, "/v1/whoami", "no-such-token-0123456789")).status, 401);
  });

  it("shows every stack with its phase track, Istio, DNS weights and namespaces", async () => {
    const r = await get(s.url, "/v1/board");
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.phases, [
      "discovery",
      "parallel",
      "workloads",
      "cutover",
      "decommission",
    ]);
    assert.ok(r.body.operationKinds.includes("plan"));
    const dev = r.body.stacks.find((x: { stack: string }) => x.stack === "dev");
    assert.deepEqual(
      r.body.stacks.map((x: { stack: string }) => x.stack),
      ["alpha", "dev"],
    );
    assert.equal(dev.phase, "discovery");
    assert.equal(dev.configuredPhase, "discovery");
    assert.equal(dev.deployedPhase, null);
    assert.deepEqual(dev.istio, {
      mode: "sidecar",
      version: "1.30.3",
      installed: false,
      source: "configured",
    });
    // Discovery: the App Mesh record is adopted at full weight, no Istio record yet.
    assert.deepEqual(dev.dns, [{ hostname: "shop.dev.example.com", appmesh: 100, istio: null }]);
    assert.deepEqual(dev.namespaces, [
      { name: "shop", state: "istio", status: "waiting-for-workloads" },
      { name: "payments", state: "istio", status: "waiting-for-workloads" },
    ]);
    assert.equal(dev.discovery, null);
    const one = await get(s.url, "/v1/board/dev");
    assert.equal(one.status, 200);
    assert.deepEqual(one.body.dns, dev.dns);
  });

  it("records who started an operation (never the token) and its duration", async () => {
    const r = await submit(s.url, "alpha", { kind: "plan" }, TOKENS.operate);
    assert.equal(r.status, 202);
    await waitStatus(s.url, r.body.id, ["running"]);
    gate.release("alpha");
    const done = await waitStatus(s.url, r.body.id, ["succeeded"]);
    const who = (await get(s.url, "/v1/whoami", TOKENS.operate)).body.identity;
    assert.equal(done.body.startedBy, who);
    const alpha = (await get(s.url, "/v1/board/alpha")).body;
    assert.equal(alpha.operations[0].id, r.body.id);
    assert.equal(alpha.operations[0].startedBy, who);
    assert.equal(alpha.operations[0].status, "succeeded");
    assert.equal(typeof alpha.operations[0].durationMs, "number");
    assert.ok(alpha.operations[0].durationMs >= 0);
    assert.equal(alpha.operationCount, 1);
    for (const f of fs.readdirSync(path.dirname(s.dbFile)))
      assert.ok(!fs.readFileSync(path.join(path.dirname(s.dbFile), f)).includes(TOKENS.operate));
  });

  it("pages through a stack's operations, newest first", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i += 1) {
      const op = s.service.store.insert({
        id: `page-op-${i}`,
        stack: "dev",
        kind: "plan",
        config: {},
        startedBy: "seeded",
      });
      s.service.store.finish(op.id, "failed", { error: `failure ${i}` });
      ids.unshift(op.id);
    }
    const first = await get(s.url, "/v1/stacks/dev/operations?limit=3");
    assert.equal(first.status, 200);
    assert.deepEqual(
      first.body.operations.map((o: { id: string }) => o.id),
      ids.slice(0, 3),
    );
    assert.equal(first.body.next, ids[2]);
    const second = await get(s.url, `/v1/stacks/dev/operations?limit=3&before=${first.body.next}`);
    assert.deepEqual(
      second.body.operations.map((o: { id: string }) => o.id),
      ids.slice(3, 6),
    );
    const last = await get(s.url, `/v1/stacks/dev/operations?limit=3&before=${ids[5]}`);
    assert.deepEqual(
      last.body.operations.map((o: { id: string }) => o.id),
      [ids[6]],
    );
    assert.equal(last.body.next, null);
    const board = (await get(s.url, "/v1/board/dev")).body;
    assert.equal(board.operations.length, 5);
    assert.equal(board.operationCount, 7);
    assert.equal(board.operations[0].error, "failure 6");
  });

  it("diffs the next phase offline with the plan diff that knows replacements, once per version", async () => {
    const r = await get(s.url, "/v1/stacks/dev/diff");
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.from, "discovery");
    assert.equal(r.body.to, "parallel");
    assert.ok(r.body.counts.create > 5, JSON.stringify(r.body.counts));
    assert.equal(r.body.counts.delete, 0);
    assert.deepEqual(r.body.protectedChanges, []);
    assert.ok(
      r.body.changes.some(
        (c: { kind: string; name: string }) => c.kind === "create" && c.name === "istio-istiod",
      ),
    );
    assert.match(r.body.text, /^Moving from phase discovery to parallel/);
    const plans = planner.calls();
    assert.equal(plans, 2);
    const again = await get(s.url, "/v1/stacks/dev/diff?phase=parallel");
    assert.deepEqual(again.body, r.body);
    assert.equal(planner.calls(), plans, "the second request is served from the cache");
    const same = await get(s.url, "/v1/stacks/dev/diff?phase=discovery");
    assert.equal(same.status, 200);
    assert.equal(same.body.changes.length, 0);
  });

  it("refuses a diff to a phase the service would refuse, naming the next step", async () => {
    const r = await get(s.url, "/v1/stacks/dev/diff?phase=cutover");
    assert.equal(r.status, 422);
    assert.equal(r.body.error.next, "parallel");
    assert.match(r.body.error.message, /one step at a time/);
  });

  it("renders the runbook of the configured phase", async () => {
    const r = await get(s.url, "/v1/stacks/dev/runbook");
    assert.equal(r.status, 200);
    assert.equal(r.body.phase, "discovery");
    assert.match(r.body.markdown, /^# meshlift runbook: stack `dev`, phase `discovery`/);
    assert.match(r.body.markdown, /## Checks before advancing to `parallel`/);
  });

  it("shows at-risk and precheck counts from the stack's inventory.json, nothing when absent", async () => {
    fs.mkdirSync(path.join(discoveryDir, "alpha"), { recursive: true });
    fs.writeFileSync(
      path.join(discoveryDir, "alpha", "inventory.json"),
      JSON.stringify({
        generatedAt: "2026-11-30T10:00:00Z",
        namespaces: [{ name: "shop" }],
        atRisk: [
          { namespace: "shop", pods: 4 },
          { namespace: "cart", pods: [{ name: "a" }, { name: "b" }] },
        ],
        precheck: [{ severity: "blocker" }, { severity: "warning" }, { severity: "warning" }],
      }),
    );
    const alpha = (await get(s.url, "/v1/board/alpha")).body;
    assert.deepEqual(alpha.discovery, {
      file: path.join("alpha", "inventory.json"),
      generatedAt: "2026-11-30T10:00:00Z",
      atRisk: [
        { namespace: "shop", pods: 4, restartSoon: false },
        { namespace: "cart", pods: 2, restartSoon: false },
      ],
      atRiskPods: 6,
      precheck: { blocker: 1, warning: 2, info: 0 },
    });
    assert.equal((await get(s.url, "/v1/board/dev")).body.discovery, null);
    fs.writeFileSync(
      path.join(discoveryDir, "alpha", "inventory.json"),
      JSON.stringify({ precheck: { blocker: 0, warning: 3, info: 1 } }),
    );
    const counts = (await get(s.url, "/v1/board/alpha")).body.discovery;
    assert.deepEqual(counts.precheck, { blocker: 0, warning: 3, info: 1 });
    assert.equal(counts.atRiskPods, 0);
    // meshlift discover's layout: counts per namespace, at-risk pods as counts with restartSoon.
    fs.writeFileSync(
      path.join(discoveryDir, "alpha", "inventory.json"),
      JSON.stringify({
        meshlift: { command: "discover", format: 1 },
        generatedAt: "2026-12-01T09:00:00Z",
        namespaces: [
          { name: "shop", precheck: { blocker: 2, warning: 1, info: 0 } },
          { name: "cart", precheck: { blocker: 0, warning: 4, info: 3, error: "ignored" } },
          { name: "plain" },
        ],
        atRisk: [{ namespace: "shop", pods: 5, owners: [], restartSoon: true, stopInjection: "x" }],
        blockers: { total: 2, byNamespace: { shop: 2 } },
      }),
    );
    const discovered = (await get(s.url, "/v1/board/alpha")).body.discovery;
    assert.deepEqual(discovered.precheck, { blocker: 2, warning: 5, info: 3 });
    assert.deepEqual(discovered.atRisk, [{ namespace: "shop", pods: 5, restartSoon: true }]);
  });

  it("serves the board at / and at each stack's path, with security headers on every answer", async () => {
    for (const p of ["/", "/stacks/dev", "/stacks/%3Cimg%20src%3Dx%3E"]) {
      const res = await fetch(s.url + p);
      assert.equal(res.status, 200, p);
      assert.match(res.headers.get("content-type") ?? "", /^text\/html/);
      const html = await res.text();
      assert.match(html, /<script type="module" src="\/assets\/board\.js"><\/script>/);
      assert.doesNotMatch(html, /<script>|<style>| style=| on\w+=/, "no inline script or style");
    }
    for (const p of ["/", "/assets/board.js", "/v1/board", "/healthz", "/nope"]) {
      const res = await fetch(s.url + p, {
        headers: { authorization: `Bearer ${TOKENS.read}` },
      });
      const csp = res.headers.get("content-security-policy") ?? "";
      assert.match(csp, /default-src 'none'/, p);
      assert.match(csp, /script-src 'self'/, p);
      assert.match(csp, /frame-ancestors 'none'/, p);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, p);
      assert.equal(res.headers.get("x-content-type-options"), "nosniff", p);
      assert.equal(res.headers.get("x-frame-options"), "DENY", p);
      await res.arrayBuffer();
    }
    const js = await fetch(`${s.url}/assets/board.js`);
    assert.match(js.headers.get("content-type") ?? "", /^text\/javascript/);
    const etag = js.headers.get("etag") as string;
    assert.ok((await js.text()).length > 1000);
    const again = await fetch(`${s.url}/assets/board.js`, { headers: { "if-none-match": etag } });
    assert.equal(again.status, 304);
    const css = await fetch(`${s.url}/assets/board.css`);
    assert.match(css.headers.get("content-type") ?? "", /^text\/css/);
    await css.arrayBuffer();
  });

  it("documents the new endpoints in /openapi.json", async () => {
    const doc = (await get(s.url, "/openapi.json")).body;
    for (const p of [
      "/v1/whoami",
      "/v1/board",
      "/v1/board/{stack}",
      "/v1/stacks/{stack}/diff",
      "/v1/stacks/{stack}/runbook",
    ])
      assert.ok(doc.paths[p]?.get, p);
    assert.ok(doc.paths["/v1/stacks/{stack}/operations"].get);
    assert.ok(doc.paths["/v1/stacks/{stack}/operations"].post);
    assert.ok(doc.components.schemas.Operation.properties.startedBy);
    assert.ok(doc.components.schemas.BoardStack.properties.discovery);
  });

  it("answers 404 at / when the service runs without the board", async () => {
    const bare = await startService({
      projectDir: project,
      runners: { plan: gate, automation: gate },
    });
    try {
      const res = await fetch(`${bare.url}/`);
      assert.equal(res.status, 404);
      assert.equal(res.headers.get("x-content-type-options"), "nosniff");
      await res.arrayBuffer();
    } finally {
      await bare.service.close();
    }
  });
});

describe("operation store: started_by", () => {
  it("adds the column to a database made before it, keeping its operations", () => {
    const file = path.join(tempDir(), "old.db");
    const db = new Database(file);
    db.exec(`CREATE TABLE operations (
      seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, stack TEXT NOT NULL,
      kind TEXT NOT NULL, phase TEXT, config TEXT NOT NULL, from_phase TEXT, status TEXT NOT NULL,
      created_at TEXT NOT NULL, started_at TEXT, finished_at TEXT, error TEXT, guidance TEXT,
      summary TEXT, events INTEGER NOT NULL DEFAULT 0);
      INSERT INTO operations (id, stack, kind, config, status, created_at)
      VALUES ('old-1', 'dev', 'plan', '{}', 'succeeded', '2026-01-01T00:00:00Z');`);
    db.close();
    const store = new Store(file);
    try {
      assert.equal(store.get("old-1")?.startedBy, null);
      store.insert({ id: "new-1", stack: "dev", kind: "plan", config: {}, startedBy: "ci" });
      assert.equal(store.get("new-1")?.startedBy, "ci");
      assert.deepEqual(
        store.recent("dev", 10)?.map((o) => o.id),
        ["new-1", "old-1"],
      );
      assert.equal(store.recent("dev", 10, "nope"), undefined);
      assert.equal(store.countOperations("dev"), 2);
      // A batch is all or nothing.
      assert.throws(() =>
        store.batch(() => {
          store.insert({ id: "batch-1", stack: "dev", kind: "plan", config: {} });
          throw new Error("stop");
        }),
      );
      assert.equal(store.get("batch-1"), undefined);
      store.batch(() => store.insert({ id: "batch-2", stack: "dev", kind: "plan", config: {} }));
      assert.equal(store.countOperations("dev"), 3);
    } finally {
      store.close();
    }
  });
});
