// Operations on their own (no HTTP): validation before anything is stored, one run per stack in order, 409 when asked not to queue, cancel, events to subscribers.
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { OperationMessage, Operations } from "../../../automation/service/operations";
import { ServiceError } from "../../../automation/service/errors";
import { Store } from "../../../automation/service/store";
import { GateRunner, instantUp, makeProject, tempDir, waitFor } from "../support";

describe("Operations", () => {
  let store: Store;
  let gate: GateRunner;
  let ops: Operations;
  beforeEach(() => {
    store = new Store(path.join(tempDir(), "m.db"));
    gate = new GateRunner();
    ops = new Operations({
      store,
      runners: { plan: gate, automation: instantUp },
      projectDir: makeProject(["dev", "prod"]),
    });
  });
  afterEach(async () => {
    await ops.stop();
    store.close();
  });

  const status = (e: unknown) => (e instanceof ServiceError ? e.status : e);
  const running = (stack: string) =>
    waitFor(
      `a run of ${stack}`,
      async () => gate.running(),
      (r) => r.includes(stack),
    );

  it("refuses an unknown stack (404), destroy without the stack name and dryRun outside cutover (422), storing nothing", () => {
    assert.throws(
      () => ops.submit("nope", { kind: "plan" }),
      (e) => status(e) === 404,
    );
    assert.throws(
      () => ops.submit("dev", { kind: "destroy", confirm: "prod" }),
      (e) => status(e) === 422 && /destroy deletes every resource of stack "dev"/.test(String(e)),
    );
    assert.throws(
      () => ops.submit("dev", { kind: "plan", dryRun: true }),
      (e) => status(e) === 422 && /dryRun applies to kind "cutover" only/.test(String(e)),
    );
    assert.deepEqual(store.list(), []);
  });

  it("runs one operation per stack at a time, in order, and answers 409 when told not to queue", async () => {
    const a = ops.submit("dev", { kind: "plan" });
    const b = ops.submit("dev", { kind: "plan", config: { "cutover.istioWeight": "0" } });
    await running("dev");
    assert.equal(ops.get(b.id).status, "queued");
    assert.deepEqual(ops.stackView("dev").queuedOperations, [b.id]);
    assert.equal(ops.stackView("dev").runningOperation, a.id);
    assert.throws(
      () => ops.submit("dev", { kind: "plan", queue: false }),
      (e) => status(e) === 409 && (e as ServiceError).details.running === a.id,
    );
    gate.release("dev");
    await waitFor(
      "the second run",
      async () => gate.requests.length,
      (n) => n === 2,
    );
    assert.equal(gate.requests[1]?.config?.["meshlift:cutover.istioWeight"], "0");
    gate.release("dev");
    await ops.idle();
    assert.deepEqual(gate.log, [
      "start dev plan",
      "end dev plan",
      "start dev plan",
      "end dev plan",
    ]);
    assert.equal(gate.overlaps, 0);
    assert.equal(ops.get(a.id).status, "succeeded");
  });

  it("cancels a queued operation before it starts and a running one through its signal", async () => {
    const a = ops.submit("dev", { kind: "plan" });
    const b = ops.submit("dev", { kind: "plan" });
    await running("dev");
    assert.equal(ops.cancel(b.id).status, "cancelled");
    assert.throws(
      () => ops.cancel(b.id),
      (e) => status(e) === 409,
    );
    ops.cancel(a.id);
    await ops.idle();
    assert.equal(ops.get(a.id).status, "cancelled");
    assert.equal(gate.requests.length, 1, "the cancelled queued one never ran");
    assert.throws(
      () => ops.get("nope"),
      (e) => status(e) === 404,
    );
  });

  it("replays stored events to a late subscriber, then the live ones and the end", async () => {
    const a = ops.submit("dev", { kind: "plan" });
    await running("dev");
    const seen: OperationMessage[] = [];
    const off = ops.subscribe(a.id, 0, (m) => seen.push(m));
    gate.emit("dev", { stdoutEvent: { message: "live" } });
    gate.release("dev");
    await ops.idle();
    off();
    assert.deepEqual(
      seen.map((m) => (m.type === "event" ? Object.keys(m.event.data)[0] : m.operation.status)),
      ["resourcePreEvent", "stdoutEvent", "succeeded"],
    );
  });
});
