// The operator runner over real HTTP: @kubernetes/client-node against the local Kubernetes API server, the Stack's status moved by a driver.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { OperatorRunner } from "../../../automation/runners/operator";
import { resolveServeSettings } from "../../../automation/service/settings";
import { startServe } from "../../../cli/commands/serve";
import {
  CancelledError,
  DEFAULT_PROJECT_DIR,
  RunnerEvent,
  RunRequest,
} from "../../../automation/runners/runner";
import { crdErrors } from "../../support/crds";
import { loadFleetEnvironments } from "../../../config/load";
import { K8sObject } from "../../../fleet/identity";
import { renderFleet } from "../../../fleet/render";
import { OPERATION_ANNOTATION, RECONCILE_REQUEST } from "../../../fleet/stack-status";
import { fleetConfig } from "../../support/fleet";
import { KubeApiServer } from "../../support/kube-api-server";
import { STACKS, StackDriver } from "../../support/stack-driver";
import {
  makeProject,
  startService,
  Started,
  submit,
  tempDir,
  TOKENS,
  call,
  readSse,
  waitFor,
  waitStatus,
} from "../support";

const NS = "meshlift-fleet";
type Loose = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The Stack objects `meshlift fleet render` makes for these stacks, as the cluster would hold them. */
function renderedStacks(stacks: string[]): K8sObject[] {
  const { files } = renderFleet(
    fleetConfig({ stacks }),
    loadFleetEnvironments(DEFAULT_PROJECT_DIR, stacks),
  );
  return files.flatMap((f) =>
    f.kind === "kubernetes" && f.object.kind === "Stack" ? [f.object] : [],
  );
}

describe("OperatorRunner", () => {
  let server: KubeApiServer;
  let dir: string;
  let runner: OperatorRunner;
  let driver: StackDriver;

  beforeEach(async () => {
    server = await KubeApiServer.start({ token: "fleet-token", types: [STACKS] });
    for (const s of renderedStacks(["dev"])) server.add(s);
    dir = tempDir();
    runner = new OperatorRunner({
      namespace: NS,
      kubeconfig: server.writeKubeconfig(dir),
      resyncSeconds: 30,
    });
    driver = new StackDriver(server, NS, "meshlift-dev");
  });

  afterEach(async () => {
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function request(over: Partial<RunRequest> = {}): { req: RunRequest; events: RunnerEvent[] } {
    const events: RunnerEvent[] = [];
    return {
      events,
      req: {
        stack: "dev",
        kind: "up",
        signal: new AbortController().signal,
        onEvent: (e) => events.push(e),
        ...over,
      },
    };
  }

  it("advances a phase by patching the Stack's config, then follows its status to the operator's success", async () => {
    const { req, events } = request({ phase: "parallel", currentPhase: "discovery" });
    const before = driver.get();
    const run = runner.run(req);
    const { generation, request: id } = await driver.patched();
    assert.equal(
      generation,
      (before.metadata as Loose).generation + 1,
      "a config change is a new generation",
    );
    const stack = driver.get() as Loose;
    assert.deepEqual(crdErrors(stack), [], "the patched Stack is one the CRD accepts");
    assert.equal(stack.spec.config["meshlift:phase"], "parallel");
    assert.deepEqual(
      stack.spec.config["meshlift:cluster"],
      (before as Loose).spec.config["meshlift:cluster"],
      "nothing else changes",
    );
    assert.equal(stack.metadata.annotations[RECONCILE_REQUEST], id);
    assert.equal(stack.metadata.annotations[OPERATION_ANNOTATION], id);
    const patch = server.requests.find((r) => r.method === "PATCH");
    assert.equal(patch?.headers["content-type"], "application/merge-patch+json");
    assert.equal(patch?.headers.authorization, "Bearer fleet-token");

    driver.reconciling();
    driver.succeed({ phase: "parallel", kubeconfig: "[secret]", istioInstalled: true });
    const result = await run;
    assert.deepEqual(result.outputs, {
      phase: { value: "parallel", secret: false },
      kubeconfig: { value: "[secret]", secret: true },
      istioInstalled: { value: true, secret: false },
    });
    assert.equal(result.summary.runner, "operator");
    assert.match(String(result.summary.permalink), /^https:\/\/app\.pulumi\.com\//);
    const lines = events
      .map((e) => (e.diagnosticEvent as { message?: string } | undefined)?.message)
      .filter(Boolean);
    assert.match(
      String(lines.find((l) => /Reconciling=True/.test(String(l)))),
      /Ready=False \(NotReadyInProgress.*Reconciling=True \(StackProcessing: stack is being processed\)/,
    );
    assert.match(
      String(lines.at(-1)),
      /Ready=True \(ProcessingCompleted.*last update meshlift-dev-00000001 succeeded/,
    );
    assert.deepEqual((events[0].preludeEvent as Loose).config, { "meshlift:phase": "parallel" });
    assert.deepEqual(
      events.map((e) => e.sequence),
      events.map((_, i) => i),
      "events are numbered in order",
    );
  });

  it("steps the DNS weight inside the Stack's cutover config, keeping the records", async () => {
    const before = (driver.get() as Loose).spec.config["meshlift:cutover"];
    const { req } = request({ config: { "cutover.istioWeight": "20" } });
    const run = runner.run(req);
    await driver.patched();
    const after = (driver.get() as Loose).spec.config["meshlift:cutover"];
    assert.equal(after.istioWeight, 20, "a number, as the program reads it");
    assert.deepEqual(after.records, before.records);
    driver.reconciling();
    driver.succeed({ phase: "discovery" });
    await run;
  });

  it("waits for this update, not an earlier success still on the Stack", async () => {
    driver.succeed({ phase: "discovery" });
    const { req } = request({ phase: "parallel" });
    let settled = false;
    const run = runner.run(req).finally(() => (settled = true));
    await driver.patched();
    // A status write that is not about this update (an old success): the runner keeps waiting.
    server.update("pulumi.com/v1", "Stack", NS, "meshlift-dev", (o) => {
      (o.status as Loose).outputs = { phase: "discovery", touched: true };
    });
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(settled, false);
    driver.reconciling();
    driver.succeed({ phase: "parallel" });
    assert.equal((await run).outputs?.phase.value, "parallel");
  });

  it("fails with the operator's message when its update fails, or when it stalls", async () => {
    const failing = request({ phase: "parallel" });
    const a = runner.run(failing.req);
    await driver.patched();
    driver.reconciling();
    driver.fail(
      'cannot move from phase "discovery" to "cutover": phases advance one step at a time',
    );
    await assert.rejects(
      a,
      /the operator's update meshlift-dev-\d+ failed: cannot move from phase "discovery" to "cutover".*\(failure 1; the operator retries with backoff\)/,
    );
    assert.ok(failing.events.some((e) => (e.diagnosticEvent as Loose)?.severity === "error"));

    const stalled = request({ phase: "parallel" });
    const id = (driver.get().metadata as Loose).annotations[RECONCILE_REQUEST];
    const b = runner.run(stalled.req);
    await driver.patched(id);
    driver.stall("SourceUnavailable", "failed to fetch https://github.com/acme/platform.git");
    await assert.rejects(
      b,
      /the operator stalled on the Stack \(SourceUnavailable: failed to fetch/,
    );
  });

  it("keeps following when the watch drops, reading the Stack again", async () => {
    const { req } = request({ phase: "parallel" });
    const run = runner.run(req);
    await driver.patched();
    const until = Date.now() + 10_000;
    while (server.watchCount === 0 && Date.now() < until)
      await new Promise((r) => setTimeout(r, 5));
    server.closeWatches();
    driver.reconciling();
    driver.succeed({ phase: "parallel" });
    assert.equal((await run).outputs?.phase.value, "parallel");
  });

  it("stops following on cancel, saying the operator may still run the update", async () => {
    const ac = new AbortController();
    const { req } = request({ phase: "parallel", signal: ac.signal });
    const run = runner.run(req);
    await driver.patched();
    driver.reconciling();
    ac.abort();
    await assert.rejects(
      run,
      (e: Error) =>
        e instanceof CancelledError &&
        /the operator may still run the update \(kubectl -n meshlift-fleet get stack meshlift-dev\)/.test(
          e.message,
        ),
    );
    assert.equal(
      (driver.get() as Loose).spec.config["meshlift:phase"],
      "parallel",
      "the patch stays: it is the Stack's desired state",
    );
  });

  it("refuses what it cannot do, before patching anything", async () => {
    await assert.rejects(
      runner.run(request({ stack: "nope" }).req),
      /no Stack meshlift-fleet\/meshlift-nope on the management cluster: render the fleet/,
    );
    const absent = request({ config: { "multiCluster.network": "x" } });
    await assert.rejects(
      runner.run(absent.req),
      /cannot set meshlift:multiCluster\.network: the Stack does not carry meshlift:multiCluster inline/,
    );
    const proto = request({ config: { "cutover.__proto__.x": "1" } });
    await assert.rejects(runner.run(proto.req), /is not a config key the Stack can carry/);
    assert.equal(server.requests.filter((r) => r.method === "PATCH").length, 0);
    const undo = server.failOn({ verb: "patch", status: 409, times: 1 });
    await assert.rejects(
      runner.run(request({ phase: "parallel" }).req),
      /changed while it was being patched; nothing was changed, submit again/,
    );
    undo();
    for (const kind of ["preview", "refresh", "destroy", "plan"] as const) {
      assert.ok(runner.unavailable(kind), kind);
    }
    assert.match(String(runner.unavailable("destroy")?.message), /destroyOnFinalize: false/);
    assert.equal(runner.unavailable("up"), undefined);
  });

  it("reads the deployed outputs from the Stack's status", async () => {
    driver.succeed({ phase: "workloads", kubeconfig: "[secret]" });
    assert.deepEqual(await runner.outputs("dev"), {
      phase: { value: "workloads", secret: false },
      kubeconfig: { value: "[secret]", secret: true },
    });
  });
});

describe("meshlift serve on the operator runner", () => {
  let server: KubeApiServer;
  let started: Started;
  let dir: string;

  beforeEach(async () => {
    server = await KubeApiServer.start({ types: [STACKS] });
    for (const s of renderedStacks(["dev"])) server.add(s);
    dir = tempDir();
    const operator = new OperatorRunner({
      namespace: NS,
      kubeconfig: server.writeKubeconfig(dir),
      resyncSeconds: 30,
    });
    started = await startService({
      runners: { plan: operator, automation: operator },
      projectDir: makeProject(["dev"]),
    });
  });

  afterEach(async () => {
    await started.service.close();
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("runs an up as a Stack patch, streams the Stack's status as the operation's events and records the deployed phase", async () => {
    const driver = new StackDriver(server, NS, "meshlift-dev");
    const accepted = await submit(started.url, "dev", { kind: "up", phase: "parallel" });
    assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
    const id = accepted.body.id as string;
    const sse = readSse(started.url, `/v1/operations/${id}/events`);
    await driver.patched();
    // One operation per stack: a second one waits or, asked not to, is refused.
    const busy = await submit(started.url, "dev", { kind: "up", phase: "parallel", queue: false });
    assert.equal(busy.status, 409);
    driver.reconciling();
    driver.succeed({ phase: "parallel" });
    const done = await waitStatus(started.url, id, ["succeeded", "failed"]);
    assert.equal(done.body.status, "succeeded", JSON.stringify(done.body));
    const messages = await sse;
    const kinds = messages
      .filter((m) => m.event === "engine")
      .map((m) => (m.data.operatorEvent ? "operator" : "other"));
    assert.ok(kinds.length >= 3 && kinds.every((k) => k === "operator"), kinds.join(","));
    assert.equal(messages.at(-1)?.event, "end");
    const view = await call(started.url, "GET", "/v1/stacks/dev", { token: TOKENS.read });
    assert.equal(view.body.deployedPhase, "parallel");

    // The phase rule holds on the fleet too: two steps ahead is refused before the Stack is touched.
    const patches = server.requests.filter((r) => r.method === "PATCH").length;
    const skip = await submit(started.url, "dev", { kind: "up", phase: "cutover" });
    assert.equal(skip.status, 422);
    assert.match(skip.body.error.message, /next step is "workloads"/);
    assert.equal(server.requests.filter((r) => r.method === "PATCH").length, patches);
    const preview = await submit(started.url, "dev", { kind: "preview" });
    assert.equal(preview.status, 503);
    assert.match(preview.body.error.message, /the operator runs updates only/);
  });

  it("keeps each operation's events in the database: a restarted service replays them", async () => {
    const driver = new StackDriver(server, NS, "meshlift-dev");
    const id = (await submit(started.url, "dev", { kind: "up", phase: "parallel" })).body
      .id as string;
    await driver.patched();
    driver.reconciling();
    driver.fail("error: update failed");
    const failed = await waitStatus(started.url, id, ["succeeded", "failed"]);
    assert.equal(failed.body.status, "failed");
    assert.match(failed.body.error, /the operator's update .* failed: error: update failed/);
    const { dbFile, projectDir } = started;
    await started.service.close();
    const operator = new OperatorRunner({
      namespace: NS,
      kubeconfig: path.join(dir, "kubeconfig-local.yaml"),
    });
    started = await startService({
      runners: { plan: operator, automation: operator },
      projectDir,
      dbFile,
    });
    const replay = await readSse(started.url, `/v1/operations/${id}/events`);
    assert.ok(replay.some((m) => m.data.operatorEvent?.patched === true));
    assert.equal(replay.at(-1)?.data.status, "failed");
  });
});

describe("choosing the operator runner", () => {
  it("is chosen by --runner / MESHLIFT_RUNNER, with its namespace and kubeconfig; bad values are refused", () => {
    assert.equal(resolveServeSettings({}, {}).runner, "local");
    const dir = tempDir();
    const kubeconfig = path.join(dir, "kubeconfig");
    fs.writeFileSync(kubeconfig, "apiVersion: v1\nkind: Config\n");
    const s = resolveServeSettings(
      { runner: "operator", kubeconfig },
      { MESHLIFT_OPERATOR_NAMESPACE: "fleet-a" },
    );
    assert.deepEqual(
      [s.runner, s.operatorNamespace, s.kubeconfig],
      ["operator", "fleet-a", kubeconfig],
    );
    assert.equal(
      resolveServeSettings({}, { MESHLIFT_RUNNER: "operator" }).operatorNamespace,
      "meshlift-fleet",
    );
    assert.throws(
      () => resolveServeSettings({ runner: "k8s" }, {}),
      /--runner "k8s": must be local or operator/,
    );
    assert.throws(
      () => resolveServeSettings({ operatorNamespace: "Fleet_A" }, {}),
      /--operator-namespace "Fleet_A"/,
    );
    assert.throws(
      () => resolveServeSettings({ kubeconfig: path.join(dir, "nope") }, {}),
      /--kubeconfig .*nope: no such file/,
    );
  });

  it("meshlift serve --runner operator sends an up to the fleet's Stack", async () => {
    const server = await KubeApiServer.start({ types: [STACKS] });
    for (const s of renderedStacks(["dev"])) server.add(s);
    const dir = tempDir();
    const logs: string[] = [];
    const { service, url } = await startServe(
      {
        dataDir: dir,
        port: "0",
        planWorkers: "0",
        runner: "operator",
        kubeconfig: server.writeKubeconfig(dir),
      },
      (l) => logs.push(l),
    );
    try {
      assert.match(
        logs.join("\n"),
        /runner operator: an up patches the Stack meshlift-<stack> in namespace meshlift-fleet/,
      );
      const token = /^admin:(\S+)$/m.exec(fs.readFileSync(path.join(dir, "tokens"), "utf8"))?.[1];
      const r = await call(url, "POST", "/v1/stacks/dev/operations", {
        token,
        body: { kind: "up", phase: "parallel" },
      });
      assert.equal(r.status, 202, JSON.stringify(r.body));
      const driver = new StackDriver(server, NS, "meshlift-dev");
      await driver.patched();
      driver.reconciling();
      driver.succeed({ phase: "parallel" });
      const done = await waitFor(
        "the operation to end",
        () => call(url, "GET", `/v1/operations/${r.body.id as string}`, { token }),
        (x) => x.body?.status === "succeeded" || x.body?.status === "failed",
      );
      assert.equal(done.body.status, "succeeded", JSON.stringify(done.body));
    } finally {
      await service.close();
      await server.close();
    }
  });
});
