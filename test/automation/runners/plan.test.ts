// PlanRunner: the real offline plan as engine events, the transition guard, cancel, and shutting down with plans in workers.
import { strict as assert } from "node:assert";
import { PlanRunner } from "../../../automation/runners/plan";
import { Progress } from "../../../automation/runners/progress";
import { CancelledError, RunnerEvent } from "../../../automation/runners/runner";

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

describe("PlanRunner shutting down", () => {
  const req = {
    stack: "dev",
    kind: "plan" as const,
    phase: "parallel" as const,
    signal: new AbortController().signal,
    onEvent: () => undefined,
  };

  it("ends a plan still running in a worker as cancelled, not as a crashed worker", async () => {
    const runner = new PlanRunner({ workers: 1 });
    const running = runner.run(req);
    const outcome = running.then(
      () => "finished",
      (e: unknown) => e,
    );
    await runner.close();
    const e = await outcome;
    // The plan may have finished before close() came: then there is nothing to cancel.
    if (e !== "finished") {
      assert.ok(e instanceof CancelledError, e instanceof Error ? e.message : typeof e);
      assert.match(e.message, /shutting down/);
    }
    await assert.rejects(runner.run(req), CancelledError);
  });

  it("ends a warm-up cut short by close() as cancelled, and the waiting plans with it", async () => {
    const runner = new PlanRunner({ workers: 1 });
    const warm = runner.warmUp().then(
      () => undefined,
      (e: unknown) => e,
    );
    const queued = runner.run(req).then(
      () => undefined,
      (e: unknown) => e,
    );
    await runner.close();
    const [w, q] = await Promise.all([warm, queued]);
    for (const e of [w, q].filter((x) => x !== undefined))
      assert.ok(e instanceof CancelledError, e instanceof Error ? e.message : typeof e);
    assert.ok(q instanceof CancelledError, "the plan queued behind the warm-up never ran");
  });
});
