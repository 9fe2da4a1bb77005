// The service's `cutover` operation: one SSE event per decision, cancel, one per stack, 422/503 answers, and a restart mid-run.
import { strict as assert } from "node:assert";
import { ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import * as readline from "node:readline";
import { AutomationRunner } from "../../../automation/runners/local";
import { CutoverRunner } from "../../../automation/runners/cutover-runner";
import { PlanRunner } from "../../../automation/runners/plan";
import { cutoverSet, lab, sharedPlanRunner } from "../../cutover/support";
import {
  call,
  get,
  makeProject,
  readSse,
  SseMessage,
  startService,
  Started,
  submit,
  tempDir,
  TOKEN_TEXT,
  TOKENS,
  waitFor,
} from "../support";

const FIXTURE = path.join(__dirname, "..", "fixtures", "serve-cutover.ts");

async function cutoverService(project: string, plan: PlanRunner): Promise<Started> {
  const automation = new AutomationRunner({ projectDir: project, env: { PATH: "" } });
  return startService({
    projectDir: project,
    runners: {
      plan,
      automation,
      cutover: new CutoverRunner({ plan, automation, projectDir: project, journalDir: tempDir() }),
    },
  });
}

describe("automation service: cutover operations", function () {
  this.timeout(120_000);
  let project: string;
  let s: Started;

  before(function () {
    project = makeProject(["dev", "prod"]);
  });
  afterEach(async () => {
    await s?.service.close();
  });

  it("streams one decision event per decision, then ends succeeded with the outcome", async function () {
    const { prometheus, exporter } = await lab(this);
    exporter.set("svc");
    s = await cutoverService(project, sharedPlanRunner());
    const config = cutoverSet("svc", { url: prometheus.url, steps: [50, 100] });
    const r = await submit(s.url, "dev", { kind: "cutover", dryRun: true, config });
    assert.equal(r.status, 202, JSON.stringify(r.body));
    const events = await readSse(s.url, `/v1/operations/${r.body.id}/events`);
    const decisions = events.filter((e) => e.event === "decision");
    assert.deepEqual(
      decisions.map((e) => [e.data.cutoverEvent.weight, e.data.cutoverEvent.decision]),
      [
        [50, "advance"],
        [100, "advance"],
      ],
      decisions.map((e) => String(e.data.cutoverEvent.reason)).join("\n"),
    );
    assert.ok(decisions.every((e) => Array.isArray(e.data.cutoverEvent.metrics)));
    // Each event carries the line the CLI prints for it (the board shows it as it is).
    assert.match(decisions[0].data.line, /^step 1\/2 weight 50: advance: .* \| svc: requests \d+/);
    assert.deepEqual(
      events.filter((e) => e.event === "cutover").map((e) => e.data.cutoverEvent.type),
      ["start", "baseline", "applying", "applied", "applying", "applied", "end"],
    );
    const end = events[events.length - 1];
    assert.equal(end.event, "end");
    assert.equal(end.data.status, "succeeded");
    assert.equal(end.data.summary.outcome, "completed");
    assert.deepEqual(end.data.options, { dryRun: true });
  });

  it("one cutover per stack: a second one gets 409; cancel stops after the current step", async function () {
    const { prometheus, exporter } = await lab(this);
    exporter.set("svc");
    s = await cutoverService(project, sharedPlanRunner());
    const config = cutoverSet("svc", { url: prometheus.url, steps: [25, 100], interval: 600 });
    const first = await submit(s.url, "dev", { kind: "cutover", dryRun: true, config });
    assert.equal(first.status, 202);
    const seen: SseMessage[] = [];
    const stream = readSse(s.url, `/v1/operations/${first.body.id}/events`, {
      onMessage: (m) => seen.push(m),
    });
    await waitFor(
      "the first weight to be set",
      async () => seen.some((m) => m.data.cutoverEvent?.type === "applied"),
      (v) => v,
    );
    const second = await submit(s.url, "dev", {
      kind: "cutover",
      dryRun: true,
      config,
      queue: false,
    });
    assert.equal(second.status, 409);
    assert.equal(second.body.error.running, first.body.id);

    const cancel = await call(s.url, "POST", `/v1/operations/${first.body.id}/cancel`, {
      token: TOKENS.operate,
    });
    assert.equal(cancel.status, 202);
    const end = (await stream).at(-1);
    assert.equal(end?.data.status, "cancelled");
    assert.match(
      end?.data.error,
      /stopped on request at step 1 \(weight 25, dry-run: nothing was applied\)/,
    );
    assert.match(end?.data.guidance, /meshlift cutover run --stack dev --dry-run/);
    assert.ok(!seen.some((m) => m.event === "decision"), "the cut step was not judged");
  });

  it("answers 422 for a stack that cannot run one, and 503 for a real run without Pulumi", async function () {
    s = await cutoverService(project, sharedPlanRunner());
    const none = await submit(s.url, "dev", { kind: "cutover", dryRun: true });
    assert.equal(none.status, 422);
    assert.deepEqual(
      none.body.error.fields.map((f: { path: string }) => f.path),
      ["config.meshlift:cutover.progressive"],
    );
    const config = cutoverSet("svc", { url: "http://127.0.0.1:9", interval: 5 });
    const short = await submit(s.url, "dev", { kind: "cutover", config });
    assert.equal(short.status, 422);
    assert.match(short.body.error.fields[0].message, /must be at least cutover\.ttl \(60 s\)/);
    const wrongKind = await submit(s.url, "dev", { kind: "up", dryRun: true });
    assert.equal(wrongKind.status, 422);
    assert.equal(wrongKind.body.error.fields[0].path, "dryRun");
    const real = await submit(s.url, "dev", {
      kind: "cutover",
      config: cutoverSet("svc", { url: "http://127.0.0.1:9", interval: 60 }),
    });
    assert.equal(real.status, 503);
    assert.match(real.body.error.message, /Pulumi CLI/);
    // Nothing half-created: no operation was recorded for any of them.
    assert.equal(s.service.store.list().length, 0);
  });

  it("a restart mid-run marks it interrupted with the last weight applied and the command to resume", async function () {
    const { prometheus, exporter } = await lab(this);
    exporter.set("svc");
    const dbFile = path.join(tempDir(), "meshlift.db");
    const child = spawn(process.execPath, ["--import", "tsx", FIXTURE], {
      env: {
        ...process.env,
        TEST_DB: dbFile,
        TEST_PROJECT: project,
        TEST_TOKENS: TOKEN_TEXT,
        TEST_JOURNAL: tempDir(),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let id: string;
    try {
      const url = await childUrl(child);
      const config = {
        ...cutoverSet("svc", { url: prometheus.url, steps: [10, 50, 100], interval: 600 }),
        "meshlift:cutover.ttl": "1",
      };
      const r = await submit(url, "dev", { kind: "cutover", config });
      assert.equal(r.status, 202, JSON.stringify(r.body));
      id = r.body.id;
      await waitFor(
        "weight 10 to be applied",
        async () => (await get(url, `/v1/operations/${id}`)).body.events,
        (n) => n >= 5,
      );
    } finally {
      child.kill("SIGKILL");
    }
    await new Promise((r) => child.once("exit", r));

    s = await startService({
      projectDir: project,
      dbFile,
      runners: {
        plan: sharedPlanRunner(),
        automation: new AutomationRunner({ env: { PATH: "" } }),
      },
    });
    assert.deepEqual(
      s.service.recovered.map((o) => o.id),
      [id],
    );
    const op = (await get(s.url, `/v1/operations/${id}`)).body;
    assert.equal(op.status, "interrupted");
    assert.equal(op.kind, "cutover");
    assert.match(op.guidance, /Last Istio weight applied: 10, at /);
    assert.match(op.guidance, /Resume with `meshlift cutover run --stack dev`/);
    const events = await readSse(s.url, `/v1/operations/${id}/events`);
    assert.ok(events.some((e) => e.event === "cutover" && e.data.cutoverEvent.type === "applied"));
    assert.equal(events.at(-1)?.data.status, "interrupted");
  });
});

function childUrl(child: ChildProcess): Promise<string> {
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on("line", (line) => resolve((JSON.parse(line) as { url: string }).url));
    child.on("exit", (code) => reject(new Error(`service exited (${code}): ${stderr}`)));
  });
}
