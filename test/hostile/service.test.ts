// Hostile input to the HTTP service on 127.0.0.1 (bodies, paths, headers, a full database): each case of issue 17.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  GateRunner,
  get,
  makeProject,
  startService,
  Started,
  submit,
  tempDir,
  TOKENS,
  waitFor,
  waitStatus,
} from "../automation/support";
import { configToSet } from "../../automation/runners/local";
import { parseConfig } from "../../config/load";
import { readStackFile } from "../../config/stack-file";
import { pemKey, rawRequest, stillServing, unpolluted } from "./support";

describe("hostile input to the HTTP service", () => {
  const project = makeProject(["dev", "prod"]);
  let s: Started;
  let gate: GateRunner;
  before(async () => {
    gate = new GateRunner();
    s = await startService({ projectDir: project, runners: { plan: gate, automation: gate } });
  });
  after(() => s.service.close());

  /** Releases every gated run, so each test starts with idle stacks. */
  afterEach(async () => {
    for (;;) {
      const running = gate.running();
      if (
        running.length === 0 &&
        (await get(s.url, "/v1/stacks")).body.stacks.every(
          (x: { runningOperation: string | null; queuedOperations: string[] }) =>
            x.runningOperation === null && x.queuedOperations.length === 0,
        )
      )
        return;
      for (const st of running) gate.release(st);
      await new Promise((r) => setTimeout(r, 5));
    }
  });

  describe("item 1: prototype pollution cannot open the API", () => {
    const polluting: [string, Record<string, unknown>][] = [
      [
        "config key meshlift:__proto__.authorization",
        {
          kind: "plan",
          config: { "meshlift:__proto__.authorization": `Bearer ${TOKENS.operate}` },
        },
      ],
      ["config key __proto__.polluted", { kind: "plan", config: { "__proto__.polluted": "1" } }],
      [
        "config key cluster.constructor.prototype.x",
        { kind: "plan", config: { "cluster.constructor.prototype.x": "1" } },
      ],
      [
        "config value with __proto__",
        { kind: "plan", config: { cluster: '{"mode":"create","__proto__":{"polluted":1}}' } },
      ],
    ];
    for (const [what, body] of polluting) {
      it(`refuses a ${what} with 422, and the next requests are judged by their own token`, () =>
        unpolluted(async () => {
          const r = await submit(s.url, "dev", body);
          assert.equal(r.status, 422, JSON.stringify(r.body));
          assert.match(JSON.stringify(r.body), /__proto__|prototype|constructor/);
          await stillServing(s.url);
          const later = await submit(s.url, "dev", { kind: "plan" });
          assert.equal(later.status, 202, JSON.stringify(later.body));
          const readOnly = await submit(s.url, "dev", { kind: "plan" }, TOKENS.read);
          assert.equal(readOnly.status, 403);
        }));
    }

    it("refuses a raw __proto__ member in the body (JSON.parse keeps it as a key)", () =>
      unpolluted(async () => {
        const r = await rawRequest(s.url, {
          method: "POST",
          path: "/v1/stacks/dev/operations",
          headers: {
            authorization: `Bearer ${TOKENS.operate}`,
            "content-type": "application/json",
          },
          body: '{"kind":"plan","__proto__":{"authorization":"x"}}',
        });
        assert.equal(r.status, 422, r.text);
        await stillServing(s.url);
      }));
  });

  describe("item 2: a deeply nested body", () => {
    it("answers an 8 KB body nested 4,000 levels deep with a short 400, and keeps serving", async () => {
      const body = `{"kind":"plan","config":${"[".repeat(4000)}${"]".repeat(4000)}}`;
      const r = await rawRequest(s.url, {
        method: "POST",
        path: "/v1/stacks/dev/operations",
        headers: { authorization: `Bearer ${TOKENS.operate}`, "content-type": "application/json" },
        body,
      });
      assert.equal(r.status, 400, r.text.slice(0, 300));
      assert.match(r.text, /nests deeper than \d+ levels/);
      assert.ok(r.text.length < 1000, `answer of ${r.text.length} bytes`);
      await stillServing(s.url);
    });

    it("never echoes a whole body: values in a 422 are cut short", async () => {
      const r = await submit(s.url, "dev", {
        kind: "y".repeat(20_000),
        config: { phase: "z".repeat(20_000) },
      });
      assert.equal(r.status, 422);
      const text = JSON.stringify(r.body);
      assert.ok(text.length < 4000, `answer of ${text.length} bytes`);
      await stillServing(s.url);
    });
  });

  describe("item 3: secrets never reach records or answers", () => {
    it("stores and shows only redacted config; the run still gets the key", async () => {
      const key = pemKey();
      const body = key.split("\n")[1];
      const mesh = { meshId: "m", clusterName: "dev-1", network: "n1" };
      const r = await submit(s.url, "dev", {
        kind: "plan",
        config: {
          multiCluster: JSON.stringify({ ...mesh, rootCa: { certPem: "[secret]", keyPem: key } }),
        },
      });
      assert.equal(r.status, 202, JSON.stringify(r.body));
      await waitFor(
        "the run",
        async () => gate.running(),
        (x) => x.includes("dev"),
      );
      const sent = gate.requests[gate.requests.length - 1].config ?? {};
      assert.match(JSON.stringify(sent), new RegExp(body.slice(0, 20).replace(/[+/]/g, "\\$&")));

      const op = await get(s.url, `/v1/operations/${r.body.id}`, TOKENS.read);
      assert.doesNotMatch(JSON.stringify(op.body), /PRIVATE KEY/);
      assert.equal(op.body.configRedacted, true);
      const stack = await get(s.url, "/v1/stacks/dev", TOKENS.read);
      assert.equal(stack.body.lastOperation.id, r.body.id);
      assert.doesNotMatch(JSON.stringify(stack.body), /PRIVATE KEY/);
      gate.release("dev");
      await waitStatus(s.url, r.body.id, ["succeeded"]);
      const bytes =
        fs.readFileSync(s.dbFile).toString("latin1") +
        (fs.existsSync(`${s.dbFile}-wal`)
          ? fs.readFileSync(`${s.dbFile}-wal`).toString("latin1")
          : "");
      assert.ok(!bytes.includes("PRIVATE KEY"), "the database file holds no PEM");
      assert.ok(!bytes.includes(body.slice(0, 24)), "the database file holds no key material");
    });

    it("never echoes a PEM under a misspelt key in a 422", async () => {
      const r = await submit(s.url, "dev", {
        kind: "plan",
        config: { "multiCluster.rootCa.kyePem": pemKey() },
      });
      assert.equal(r.status, 422);
      assert.doesNotMatch(JSON.stringify(r.body), /PRIVATE KEY/);
      assert.match(JSON.stringify(r.body), /kyePem/);
    });

    it("keeps the database file 0600 in a 0700 directory it creates", async () => {
      const dir = path.join(tempDir(), "home", "data");
      const t = await startService({
        projectDir: project,
        dbFile: path.join(dir, "meshlift.db"),
        runners: { plan: gate, automation: gate },
      });
      try {
        assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
        assert.equal(fs.statSync(t.dbFile).mode & 0o777, 0o600);
        for (const f of fs.readdirSync(dir))
          assert.equal(fs.statSync(path.join(dir, f)).mode & 0o077, 0, `${f} is private`);
      } finally {
        await t.service.close();
      }
    });
  });

  describe("item 4: a full database", () => {
    it("answers 507 to writes, keeps serving reads, keeps an operation's end and recovers", async () => {
      const first = await submit(s.url, "prod", { kind: "plan" });
      assert.equal(first.status, 202);
      await waitFor(
        "the run",
        async () => gate.running(),
        (x) => x.includes("prod"),
      );
      // SQLite's max_page_count makes the database really full: writes fail with SQLITE_FULL.
      s.service.store.setMaxBytes(0);
      let full;
      for (let i = 0; i < 500; i++) {
        full = await submit(s.url, "dev", {
          kind: "plan",
          config: { "cluster.name": `n${"a".repeat(90)}${i}` },
        });
        if (full.status !== 202 && full.status !== 422) break;
      }
      try {
        assert.equal(full?.status, 507, JSON.stringify(full?.body));
        assert.match(full?.body.error.message, /database is full \(SQLITE_FULL\)/);
        await stillServing(s.url);
        // The running operation ends while the database is full: its end is held, and shown.
        gate.emit("prod", { stdoutEvent: { message: "x".repeat(5000) } });
        gate.release("prod");
        const done = await waitStatus(s.url, first.body.id, ["succeeded"]);
        assert.equal(done.body.status, "succeeded");
        assert.ok(s.service.store.backlog().deferred > 0, "the end was held, not lost");
      } finally {
        s.service.store.setMaxBytes(undefined);
      }
      const after = await submit(s.url, "dev", { kind: "plan" });
      assert.equal(after.status, 202, JSON.stringify(after.body));
      assert.equal(s.service.store.backlog().deferred, 0, "held writes were written");
      assert.equal(s.service.store.get(first.body.id)?.status, "succeeded");
    });
  });

  describe("item 5: a stack file that is not YAML", () => {
    it("lists that stack with its error and the others as usual; submits to it answer 422", async () => {
      const bad = path.join(project, "stacks", "Pulumi.broken.yaml");
      fs.writeFileSync(bad, "config:\n  aws:region: eu-west-1\n\tmeshlift:environment: x\n");
      try {
        const r = await get(s.url, "/v1/stacks");
        assert.equal(r.status, 200);
        const broken = r.body.stacks.find((x: { stack: string }) => x.stack === "broken");
        assert.match(broken.configError, /Pulumi\.broken\.yaml:3:1: Tabs are not allowed/);
        const dev = r.body.stacks.find((x: { stack: string }) => x.stack === "dev");
        assert.equal(dev.configuredPhase, "discovery");
        const post = await submit(s.url, "broken", { kind: "plan" });
        assert.equal(post.status, 422);
        assert.match(post.body.error.message, /Tabs are not allowed/);
      } finally {
        fs.rmSync(bad);
      }
    });
  });

  describe("issue 11 item 5: config set through the service reaches the program as objects", () => {
    it("sets dotted keys as keys with their JSON, secrets as secrets, and the program merges them", () => {
      const key = pemKey();
      const sets = configToSet({
        config: {
          "cluster.nodeGroups": '{"core":{"maxSize":8}}',
          "multiCluster.rootCa.keyPem": key,
          "aws:region": "eu-west-1",
        },
        phase: "parallel",
      });
      assert.deepEqual(
        sets.map((c) => [c.key, c.value.secret]),
        [
          ["meshlift:cluster.nodeGroups", false],
          ["meshlift:multiCluster.rootCa.keyPem", true],
          ["aws:region", false],
          ["meshlift:phase", false],
        ],
      );
      assert.equal(sets[0].value.value, '{"core":{"maxSize":8}}');
      // After `pulumi config set <key> <value>` of each, the program reads the stack file plus them.
      const flat = { ...readStackFile(project, "dev").config };
      for (const c of sets.filter((x) => !x.value.secret)) flat[c.key] = c.value.value;
      const cfg = parseConfig("dev", flat);
      assert.equal(cfg.cluster.mode, "create");
      if (cfg.cluster.mode !== "create") return;
      assert.equal(cfg.cluster.nodeGroups.core.maxSize, 8);
      assert.deepEqual(
        cfg.cluster.nodeGroups.core.instanceTypes,
        ["m6i.large"],
        "kept from the file",
      );
      assert.equal(cfg.cluster.nodeGroups.gateway.maxSize, 2, "the gateway group is kept");
    });
  });

  describe("item 10: service edges", () => {
    it("answers malformed %-encoding in a path with 400", async () => {
      for (const p of ["/v1/stacks/%ZZ", "/v1/operations/%E0%A4%A", "/v1/operations/%/events"]) {
        const r = await rawRequest(s.url, {
          path: p,
          headers: { authorization: `Bearer ${TOKENS.read}` },
        });
        assert.equal(r.status, 400, `${p}: ${r.text}`);
        assert.match(r.text, /not valid percent-encoding/);
      }
      await stillServing(s.url);
    });

    it("answers a body that is not application/json with 415", async () => {
      for (const type of ["text/plain", "application/x-www-form-urlencoded", undefined]) {
        const headers: Record<string, string> = { authorization: `Bearer ${TOKENS.operate}` };
        if (type) headers["content-type"] = type;
        const r = await rawRequest(s.url, {
          method: "POST",
          path: "/v1/stacks/dev/operations",
          headers,
          body: '{"kind":"plan"}',
        });
        assert.equal(r.status, 415, `${type}: ${r.text}`);
      }
      const ok = await rawRequest(s.url, {
        method: "POST",
        path: "/v1/stacks/dev/operations",
        headers: {
          authorization: `Bearer ${TOKENS.operate}`,
          "content-type": "application/json; charset=utf-8",
        },
        body: '{"kind":"plan"}',
      });
      assert.equal(ok.status, 202, ok.text);
    });

    /**
     * Queues `body` behind a plan that holds the stack in a first service, stops it, and starts a
     * second service on the same database (each with its own gated runner).
     */
    async function restartWithQueued(
      body: Record<string, unknown>,
    ): Promise<{ b: Started; runner: GateRunner; queued: string }> {
      const dbFile = path.join(tempDir(), "meshlift.db");
      const first = new GateRunner();
      const a = await startService({
        projectDir: project,
        dbFile,
        runners: { plan: first, automation: first },
      });
      let queued: string;
      try {
        assert.equal((await submit(a.url, "dev", { kind: "plan" })).status, 202);
        const r = await submit(a.url, "dev", body);
        assert.equal(r.status, 202, JSON.stringify(r.body));
        queued = r.body.id;
        assert.equal((await get(a.url, `/v1/operations/${queued}`)).body.status, "queued");
      } finally {
        await a.service.close();
      }
      const runner = new GateRunner();
      const b = await startService({
        projectDir: project,
        dbFile,
        runners: { plan: runner, automation: runner },
      });
      return { b, runner, queued };
    }

    it("resumes operations that were queued when the service stopped", async () => {
      const { b, runner, queued } = await restartWithQueued({ kind: "preview", phase: "parallel" });
      try {
        assert.deepEqual(
          b.service.resumed.map((o) => o.id),
          [queued],
        );
        await waitStatus(b.url, queued, ["running"]);
        assert.equal(runner.requests[0].kind, "preview");
        assert.equal(runner.requests[0].phase, "parallel");
        runner.release("dev");
        assert.equal((await waitStatus(b.url, queued, ["succeeded"])).body.status, "succeeded");
      } finally {
        await b.service.close();
      }
    });

    it("marks a queued operation whose config held a secret, instead of resuming it without", async () => {
      const mesh = { meshId: "m", clusterName: "dev-1", network: "n1" };
      const { b, runner, queued } = await restartWithQueued({
        kind: "plan",
        config: {
          multiCluster: JSON.stringify({
            ...mesh,
            rootCa: { certPem: "[secret]", keyPem: pemKey() },
          }),
        },
      });
      try {
        const op = (await get(b.url, `/v1/operations/${queued}`)).body;
        assert.equal(op.status, "interrupted");
        assert.match(op.guidance, /secret values, which are never stored.*submit it again/);
        assert.equal(runner.requests.length, 0);
      } finally {
        await b.service.close();
      }
    });
  });
});
