// The automation API over real HTTP on 127.0.0.1 with a real SQLite file: auth, validation, queueing, SSE, 503.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { AutomationRunner } from "../../../automation/runners/local";
import { PlanRunner } from "../../../automation/runners/plan";
import {
  call,
  GateRunner,
  get,
  makeProject,
  outputs,
  readSse,
  SseMessage,
  startService,
  Started,
  submit,
  tempDir,
  TOKENS,
  waitFor,
  waitStatus,
} from "../support";

/** An Automation API runner that cannot find the Pulumi CLI: PATH is an empty directory. */
const noCli = (projectDir: string) =>
  new AutomationRunner({ projectDir, env: { PATH: tempDir("empty-path-") } });

describe("automation service", () => {
  const project = makeProject(["dev", "alpha", "beta", "gamma"]);

  describe("with the real offline plan runner and no Pulumi CLI", () => {
    let s: Started;
    before(async () => {
      s = await startService({
        projectDir: project,
        runners: { plan: new PlanRunner({ projectDir: project }), automation: noCli(project) },
        maxBodyBytes: 2048,
        extra: { backend: { url: "https://api.pulumi.com", source: "pulumi login" } },
      });
    });
    after(() => s.service.close());

    it("answers /healthz without a token, naming the Pulumi backend, and serves an OpenAPI 3 document", async () => {
      assert.deepEqual((await call(s.url, "GET", "/healthz")).body, {
        status: "ok",
        backend: { url: "https://api.pulumi.com", source: "pulumi login" },
      });
      const doc = (await call(s.url, "GET", "/openapi.json")).body;
      assert.match(doc.openapi, /^3\./);
      for (const p of [
        "/v1/stacks",
        "/v1/stacks/{stack}",
        "/v1/stacks/{stack}/operations",
        "/v1/operations/{id}",
        "/v1/operations/{id}/events",
        "/v1/operations/{id}/cancel",
      ])
        assert.ok(doc.paths[p], `path ${p} is documented`);
      const body = doc.components.schemas.OperationRequest;
      assert.deepEqual(body.properties.kind.enum, [
        "plan",
        "preview",
        "up",
        "refresh",
        "destroy",
        "cutover",
      ]);
      assert.equal(body.additionalProperties, false);
    });

    it("refuses requests without a valid token (401) and with too small a scope (403)", async () => {
      const none = await call(s.url, "GET", "/v1/stacks");
      assert.equal(none.status, 401);
      const bad = await get(s.url, "/v1/stacks", "not-a-real-token-at-all");
      assert.equal(bad.status, 401);
      assert.match(bad.body.error.message, /invalid bearer token/);
      const readOnly = await submit(s.url, "dev", { kind: "plan" }, TOKENS.read);
      assert.equal(readOnly.status, 403);
      assert.match(readOnly.body.error.message, /scope "read".*needs "operate"/);
      const destroy = await submit(
        s.url,
        "dev",
        { kind: "destroy", confirm: "dev" },
        TOKENS.operate,
      );
      assert.equal(destroy.status, 403);
      assert.match(destroy.body.error.message, /needs "admin"/);
      // The operation routes, as /openapi.json documents them: 401 without a token, 403 for a
      // read token asking to cancel, before the operation is even looked up.
      for (const [method, p] of [
        ["GET", "/v1/operations/op-unknown"],
        ["GET", "/v1/operations/op-unknown/events"],
        ["POST", "/v1/operations/op-unknown/cancel"],
      ] as const)
        assert.equal((await call(s.url, method, p)).status, 401, `${method} ${p}`);
      const cancel = await call(s.url, "POST", "/v1/operations/op-unknown/cancel", {
        token: TOKENS.read,
      });
      assert.equal(cancel.status, 403);
    });

    it("lists the stacks from the stack files, and 404s an unknown stack", async () => {
      const r = await get(s.url, "/v1/stacks");
      assert.equal(r.status, 200);
      assert.deepEqual(
        r.body.stacks.map((x: { stack: string }) => x.stack),
        ["alpha", "beta", "dev", "gamma"],
      );
      const missing = await get(s.url, "/v1/stacks/nope");
      assert.equal(missing.status, 404);
      assert.match(missing.body.error.message, /unknown stack "nope".*alpha, beta, dev, gamma/);
      assert.equal((await submit(s.url, "nope", { kind: "plan" })).status, 404);
    });

    it("validates bodies with field errors (422), and limits their size (413)", async () => {
      const bad = await submit(s.url, "dev", { kind: "apply", phase: "later", extra: 1 });
      assert.equal(bad.status, 422);
      const fields = Object.fromEntries(
        bad.body.error.fields.map((f: { path: string; message: string }) => [f.path, f.message]),
      );
      assert.match(fields.kind, /one of: "plan", "preview"/);
      assert.match(fields.phase, /"discovery"/);
      assert.match(fields.extra, /unknown field/);

      const noConfirm = await submit(s.url, "dev", { kind: "destroy" }, TOKENS.admin);
      assert.equal(noConfirm.status, 422);
      assert.equal(noConfirm.body.error.fields[0].path, "confirm");

      const badConfig = await submit(s.url, "dev", {
        kind: "plan",
        config: { "cluster.vpc.natGateways": "several" },
      });
      assert.equal(badConfig.status, 422);
      assert.equal(badConfig.body.error.fields[0].path, "config.meshlift:cluster.vpc.natGateways");

      const big = await call(s.url, "POST", "/v1/stacks/dev/operations", {
        token: TOKENS.operate,
        raw: JSON.stringify({ kind: "plan", config: { pad: "x".repeat(4096) } }),
      });
      assert.equal(big.status, 413);

      const notJson = await call(s.url, "POST", "/v1/stacks/dev/operations", {
        token: TOKENS.operate,
        raw: "{kind: plan",
      });
      assert.equal(notJson.status, 400);
    });

    it("refuses a phase change the program would refuse, naming the next step (422)", async () => {
      const r = await submit(s.url, "dev", { kind: "plan", phase: "cutover" });
      assert.equal(r.status, 422);
      assert.equal(r.body.error.next, "parallel");
      assert.match(r.body.error.message, /one step at a time/);
    });

    it("runs the real offline plan: recorded, evented and summarised", async () => {
      const r = await submit(s.url, "alpha", { kind: "plan", phase: "parallel" });
      assert.equal(r.status, 202);
      const done = await waitStatus(s.url, r.body.id, ["succeeded", "failed"]);
      assert.equal(done.body.status, "succeeded", done.body.error);
      assert.equal(done.body.summary.phase, "parallel");
      assert.equal(done.body.summary.phaseGuard, "advance: discovery -> parallel");
      assert.ok(done.body.summary.resources > 5);
      assert.equal(done.body.summary.byType["eks:index:Cluster"], 1);
      const events = await readSse(s.url, `/v1/operations/${r.body.id}/events`);
      const pre = events.filter((e) => e.data.resourcePreEvent);
      assert.equal(pre.length, done.body.summary.resources);
      assert.equal(events.at(-1)?.event, "end");
      assert.equal(events.at(-1)?.data.status, "succeeded");
      const stack = await get(s.url, "/v1/stacks/alpha");
      assert.equal(stack.body.lastOperation.id, r.body.id);
      // A plan deploys nothing: the stack stays in its configured phase.
      assert.equal(stack.body.phase, "discovery");
    });

    it("fails Automation API kinds fast with 503 naming the missing CLI; plan still works", async () => {
      for (const kind of ["preview", "up", "refresh"]) {
        const r = await submit(s.url, "beta", { kind });
        assert.equal(r.status, 503, kind);
        assert.match(r.body.error.message, /needs the Pulumi CLI.*get\.pulumi\.com/);
        assert.equal(r.body.error.missing, "pulumi");
      }
      const d = await submit(s.url, "beta", { kind: "destroy", confirm: "beta" }, TOKENS.admin);
      assert.equal(d.status, 503);
      assert.equal((await get(s.url, "/v1/stacks/beta")).body.lastOperation, null);
    });
  });

  describe("with a gated runner double", () => {
    let s: Started;
    let gate: GateRunner;
    beforeEach(async () => {
      gate = new GateRunner((req) =>
        req.kind === "up"
          ? {
              summary: { changes: { create: 1 } },
              outputs: outputs({
                phase: [req.phase ?? "discovery", false],
                kubeconfig: ["very-secret-kubeconfig-7f3a", true],
                vpcId: ["vpc-123", false],
              }),
            }
          : { summary: {} },
      );
      s = await startService({
        projectDir: project,
        runners: { plan: gate, automation: gate },
        maxConcurrent: 2,
      });
    });
    afterEach(() => s.service.close());

    it("runs one operation per stack, in order, and 409s when asked not to queue", async () => {
      const a = await submit(s.url, "dev", { kind: "plan" });
      const b = await submit(s.url, "dev", { kind: "preview" });
      assert.equal(a.status, 202);
      assert.equal(b.status, 202);
      await waitStatus(s.url, a.body.id, ["running"]);
      assert.equal((await get(s.url, `/v1/operations/${b.body.id}`)).body.status, "queued");
      const busy = await submit(s.url, "dev", { kind: "plan", queue: false });
      assert.equal(busy.status, 409);
      assert.equal(busy.body.error.running, a.body.id);
      const view = (await get(s.url, "/v1/stacks/dev")).body;
      assert.equal(view.runningOperation, a.body.id);
      assert.deepEqual(view.queuedOperations, [b.body.id]);

      gate.release("dev");
      await waitStatus(s.url, b.body.id, ["running"]);
      assert.equal((await get(s.url, `/v1/operations/${a.body.id}`)).body.status, "succeeded");
      gate.release("dev");
      await waitStatus(s.url, b.body.id, ["succeeded"]);
      assert.deepEqual(gate.log, [
        "start dev plan",
        "end dev plan",
        "start dev preview",
        "end dev preview",
      ]);
      assert.equal(gate.overlaps, 0);
    });

    it("runs different stacks concurrently up to the limit", async () => {
      const ids = [];
      for (const st of ["alpha", "beta", "gamma"])
        ids.push((await submit(s.url, st, { kind: "plan" })).body.id as string);
      await waitFor(
        "two runs",
        async () => gate.running().length,
        (n) => n === 2,
      );
      assert.deepEqual(gate.running().sort(), ["alpha", "beta"]);
      assert.equal((await get(s.url, `/v1/operations/${ids[2]}`)).body.status, "queued");
      gate.release("beta");
      await waitStatus(s.url, ids[2], ["running"]);
      gate.release("alpha");
      gate.release("gamma");
      for (const id of ids) await waitStatus(s.url, id, ["succeeded"]);
      assert.equal(gate.maxActive, 2);
    });

    it("replays events from the start to a late subscriber, then streams live ones", async () => {
      const op = (await submit(s.url, "dev", { kind: "plan" })).body.id as string;
      await waitStatus(s.url, op, ["running"]);
      gate.emit("dev", { diagnosticEvent: { message: "second", severity: "info" } });
      const seen: SseMessage[] = [];
      const stream = readSse(s.url, `/v1/operations/${op}/events`, {
        onMessage: (m) => seen.push(m),
      });
      await waitFor(
        "replayed events",
        async () => seen.length,
        (n) => n === 2,
      );
      gate.emit("dev", { diagnosticEvent: { message: "third, live", severity: "info" } });
      await waitFor(
        "the live event",
        async () => seen.length,
        (n) => n === 3,
      );
      gate.release("dev");
      const all = await stream;
      assert.deepEqual(
        all.map((m) => [m.event, m.id]),
        [
          ["engine", "1"],
          ["engine", "2"],
          ["engine", "3"],
          ["end", undefined],
        ],
      );
      assert.ok(all[0].data.resourcePreEvent);
      assert.equal(all[2].data.diagnosticEvent.message, "third, live");
      assert.equal(all[3].data.status, "succeeded");
      const resumed = await readSse(s.url, `/v1/operations/${op}/events`, { lastEventId: "2" });
      assert.deepEqual(
        resumed.map((m) => m.id),
        ["3", undefined],
      );
    });

    it("cancels queued and running operations", async () => {
      const a = (await submit(s.url, "dev", { kind: "up", phase: "parallel" })).body.id;
      const b = (await submit(s.url, "dev", { kind: "plan" })).body.id;
      await waitStatus(s.url, a, ["running"]);
      const cb = await call(s.url, "POST", `/v1/operations/${b}/cancel`, { token: TOKENS.operate });
      assert.equal(cb.status, 202);
      assert.equal(cb.body.status, "cancelled");
      const ca = await call(s.url, "POST", `/v1/operations/${a}/cancel`, { token: TOKENS.operate });
      assert.equal(ca.status, 202);
      const done = await waitStatus(s.url, a, ["cancelled"]);
      assert.match(done.body.guidance, /refresh/);
      const again = await call(s.url, "POST", `/v1/operations/${a}/cancel`, {
        token: TOKENS.operate,
      });
      assert.equal(again.status, 409);
      assert.equal(gate.log.filter((l) => l.startsWith("start")).length, 1);
    });

    it("records the deployed phase and redacts secret outputs, never storing them", async () => {
      const op = (await submit(s.url, "dev", { kind: "up", phase: "parallel" })).body.id;
      await waitStatus(s.url, op, ["running"]);
      assert.equal(gate.requests[0].phase, "parallel");
      assert.equal(gate.requests[0].currentPhase, "discovery");
      gate.emit("dev", {
        resOutputsEvent: {
          metadata: {
            new: {
              outputs: {
                token: {
                  "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
                  value: "very-secret-kubeconfig-7f3a",
                },
              },
            },
          },
        },
      });
      gate.release("dev");
      await waitStatus(s.url, op, ["succeeded"]);
      const view = (await get(s.url, "/v1/stacks/dev")).body;
      assert.equal(view.deployedPhase, "parallel");
      assert.equal(view.phase, "parallel");
      assert.deepEqual(view.outputs, {
        phase: "parallel",
        kubeconfig: "[secret]",
        vpcId: "vpc-123",
      });
      const events = await readSse(s.url, `/v1/operations/${op}/events`);
      assert.equal(events[1].data.resOutputsEvent.metadata.new.outputs.token, "[secret]");
      // The transition rule now counts from the deployed phase.
      const skip = await submit(s.url, "dev", { kind: "up", phase: "cutover" });
      assert.equal(skip.status, 422);
      assert.equal(skip.body.error.next, "workloads");
      const next = await submit(s.url, "dev", { kind: "plan", phase: "workloads" });
      assert.equal(next.status, 202);
      await waitStatus(s.url, next.body.id, ["running"]);
      gate.release("dev");
      await waitStatus(s.url, next.body.id, ["succeeded"]);
      const files = fs
        .readdirSync(path.dirname(s.dbFile))
        .map((f) => path.join(path.dirname(s.dbFile), f));
      for (const f of files)
        assert.ok(
          !fs.readFileSync(f).includes("very-secret-kubeconfig-7f3a"),
          `${f} holds the secret`,
        );
    });
  });

  it("keeps serving other stacks when one stack file is invalid, and explains it", async () => {
    const dir = makeProject(["good", "broken"]);
    const file = path.join(dir, "stacks", "Pulumi.broken.yaml");
    fs.writeFileSync(
      file,
      fs.readFileSync(file, "utf8").replace("natGateways: single", "natGateways: many"),
    );
    const gate = new GateRunner();
    const s = await startService({ projectDir: dir, runners: { plan: gate, automation: gate } });
    try {
      const list = await get(s.url, "/v1/stacks");
      assert.equal(list.status, 200);
      const broken = list.body.stacks.find((x: { stack: string }) => x.stack === "broken");
      assert.equal(broken.configuredPhase, null);
      assert.match(broken.configError, /meshlift:cluster\.vpc\.natGateways \(given: "many"\)/);
      const r = await submit(s.url, "broken", { kind: "plan" });
      assert.equal(r.status, 422);
      assert.equal(r.body.error.fields[0].path, "config.meshlift:cluster.vpc.natGateways");
      // Fixing the file is picked up without a restart.
      fs.writeFileSync(
        file,
        fs.readFileSync(file, "utf8").replace("natGateways: many", "natGateways: single  "),
      );
      assert.equal((await get(s.url, "/v1/stacks/broken")).body.configuredPhase, "discovery");
    } finally {
      await s.service.close();
    }
  });
});
