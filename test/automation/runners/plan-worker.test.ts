// The plan worker thread: the real plan off the main thread, with the same result and errors as in-process.
import { strict as assert } from "node:assert";
import { PlanRunner } from "../../../automation/runners/plan";
import { RunnerEvent } from "../../../automation/runners/runner";

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
