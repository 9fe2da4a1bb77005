// Runners: the real offline plan runner's events, the Automation API runner up to where the CLI is needed.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { PROJECT_DIR } from "../../../plan/offline";
import { PulumiCliMissingError } from "../../../automation/prerequisites";
import {
  AutomationRunner,
  defaultBackendUrl,
  prepareBackend,
} from "../../../automation/runners/local";
import { PlanRunner } from "../../../automation/runners/plan";
import { Progress } from "../../../automation/runners/progress";
import {
  CancelledError,
  DEFAULT_PROJECT_DIR,
  RunnerEvent,
} from "../../../automation/runners/runner";
import { tempDir } from "../support";

describe("runners", () => {
  it("agree with the offline plan on where the project is", () => {
    assert.equal(DEFAULT_PROJECT_DIR, PROJECT_DIR);
  });

  describe("PlanRunner", () => {
    it("runs the real offline plan and reports each resource as engine events", async () => {
      const events: RunnerEvent[] = [];
      const r = await new PlanRunner().run({
        stack: "dev",
        kind: "plan",
        phase: "parallel",
        currentPhase: "discovery",
        signal: new AbortController().signal,
        onEvent: (e) => events.push(e),
      });
      assert.equal(r.summary.phase, "parallel");
      assert.equal(r.summary.phaseGuard, "advance: discovery -> parallel");
      assert.equal(r.outputs, undefined, "a plan deploys nothing");
      const progress = new Progress();
      let last = "";
      for (const e of events) last = progress.onEvent(e) ?? last;
      assert.equal(progress.state().done, r.summary.resources);
      assert.match(last, new RegExp(`^done: ${String(r.summary.resources)} create$`));
    });

    it("refuses a transition the program refuses, with the program's message", async () => {
      await assert.rejects(
        new PlanRunner().run({
          stack: "dev",
          kind: "plan",
          phase: "cutover",
          currentPhase: "discovery",
          signal: new AbortController().signal,
          onEvent: () => undefined,
        }),
        /cannot move from phase "discovery" to "cutover".*next step is "parallel"/,
      );
    });

    it("reports a cancelled run as cancelled", async () => {
      const c = new AbortController();
      c.abort();
      await assert.rejects(
        new PlanRunner().run({
          stack: "dev",
          kind: "plan",
          signal: c.signal,
          onEvent: () => undefined,
        }),
        CancelledError,
      );
    });
  });

  describe("AutomationRunner", () => {
    const runner = new AutomationRunner({
      env: { PATH: tempDir() },
      backendUrl: "file:///nowhere",
    });

    it("says what is missing before touching Pulumi when the CLI is not installed", async () => {
      assert.ok(runner.unavailable("up") instanceof PulumiCliMissingError);
      assert.ok(runner.unavailable("plan"), "plan belongs to the offline runner");
      for (const kind of ["preview", "up", "refresh", "destroy"] as const) {
        await assert.rejects(
          runner.run({
            stack: "dev",
            kind,
            signal: new AbortController().signal,
            onEvent: () => undefined,
          }),
          (e: unknown) =>
            e instanceof PulumiCliMissingError && e.message.includes(`operation "${kind}"`),
        );
      }
      await assert.rejects(runner.outputs("dev"), PulumiCliMissingError);
    });

    it("finds the CLI when one is on PATH", () => {
      const bin = tempDir();
      fs.writeFileSync(path.join(bin, "pulumi"), "#!/bin/sh\n", { mode: 0o755 });
      assert.equal(new AutomationRunner({ env: { PATH: bin } }).unavailable("up"), undefined);
    });

    it("defaults the backend to a file backend under ~/.meshlift/state and creates it", () => {
      assert.equal(defaultBackendUrl({}, "/home/u"), "file:///home/u/.meshlift/state");
      assert.equal(defaultBackendUrl({ PULUMI_BACKEND_URL: "s3://b" }, "/home/u"), "s3://b");
      const home = tempDir();
      assert.equal(
        prepareBackend("file://~/.meshlift/state", home),
        `file://${home}/.meshlift/state`,
      );
      assert.ok(fs.statSync(path.join(home, ".meshlift", "state")).isDirectory());
      assert.equal(prepareBackend("s3://bucket", home), "s3://bucket");
    });
  });

  describe("Progress", () => {
    it("counts resources done over the estimate and names the current step", () => {
      const p = new Progress(3);
      const meta = (urn: string) => ({ metadata: { op: "create", urn, type: "aws:ec2/vpc:Vpc" } });
      assert.equal(
        p.onEvent({ resourcePreEvent: meta("urn:pulumi:dev::m::aws:ec2/vpc:Vpc::main") }),
        "[0/3] create aws:ec2/vpc:Vpc main",
      );
      assert.equal(
        p.onEvent({ resOutputsEvent: meta("urn:pulumi:dev::m::aws:ec2/vpc:Vpc::main") }),
        "[1/3] create aws:ec2/vpc:Vpc main",
      );
      assert.equal(
        p.onEvent({ resOpFailedEvent: meta("urn:x::b") }),
        "[2/3, 1 failed] create aws:ec2/vpc:Vpc main",
      );
      assert.equal(
        p.onEvent({ diagnosticEvent: { severity: "error", message: "boom\n" } }),
        "error: boom",
      );
      assert.equal(p.onEvent({ stdoutEvent: { message: "x" } }), undefined);
    });
  });
});

describe("PlanRunner in worker threads", () => {
  it("runs the real plan off the main thread with the same result as in-process", async () => {
    const inWorker = new PlanRunner({ workers: 1 });
    try {
      const req = {
        stack: "dev",
        kind: "plan" as const,
        phase: "parallel" as const,
        signal: new AbortController().signal,
      };
      const a: RunnerEvent[] = [];
      const b: RunnerEvent[] = [];
      const [w, m] = await Promise.all([
        inWorker.run({ ...req, onEvent: (e) => a.push(e) }),
        new PlanRunner().run({ ...req, onEvent: (e) => b.push(e) }),
      ]);
      assert.deepEqual(w.summary, m.summary);
      assert.equal(a.length, b.length);
      await assert.rejects(
        inWorker.run({ ...req, stack: "nope", onEvent: () => undefined }),
        /unknown stack "nope"/,
      );
    } finally {
      await inWorker.close();
    }
  });
});
