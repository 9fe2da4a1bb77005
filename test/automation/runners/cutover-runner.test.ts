// A real (not --dry-run) progressive cutover: each step and the rollback are `up` runs that persist cutover.istioWeight; one run per stack; a stop leaves the weight.
import { strict as assert } from "node:assert";
import { cutoverRun, cutoverStatusText } from "../../../cli/commands/cutover";
import { Runner, RunRequest } from "../../../automation/runners/runner";
import { CutoverBusyError, Journal } from "../../../cutover/journal";
import { capture, cutoverSet, lab } from "../../cutover/support";
import { outputs } from "../support";

/** `up` as the Automation API reports it (no Pulumi CLI here): records each request, deploys the weight asked. */
class RecordingUp implements Runner {
  readonly requests: RunRequest[] = [];
  unavailable() {
    return undefined;
  }
  run(req: RunRequest) {
    this.requests.push(req);
    const w = Number(req.config?.["meshlift:cutover.istioWeight"]);
    return Promise.resolve({
      summary: { changes: { update: 2, same: 40 } },
      outputs: outputs({
        phase: ["cutover", false],
        dnsWeights: [{ istio: w, appmesh: 100 - w }, false],
      }),
    });
  }
}

describe("progressive cutover with up (Automation API runner interface)", function () {
  this.timeout(120_000);

  it("sets each weight with up (persisted config), and the rollback is an up back to the last good weight", async function () {
    const { prometheus, exporter } = await lab(this);
    // 5xx from the start: the first step fails its gates and goes back to the weight the run began at.
    exporter.set("realrun-bad", { istio: { rps: 100, errorRatio: 0.2, latencyMs: 40 } });
    const up = new RecordingUp();
    const c = capture();
    const set = {
      ...cutoverSet("realrun-bad", { url: prometheus.url, steps: [10, 50] }),
      "meshlift:cutover.ttl": "1",
    };
    const code = await cutoverRun(
      { stack: "dev", dryRun: false, json: false, set },
      { ...c.deps, automation: up, deployedPhase: async () => "cutover" },
    );
    assert.equal(code, 3, c.err.join("\n"));
    assert.deepEqual(
      up.requests.map((r) => [r.kind, r.config?.["meshlift:cutover.istioWeight"]]),
      [
        ["up", "10"],
        ["up", "0"],
      ],
    );
    // --set overrides go with every up, as `pulumi config set` would persist them.
    assert.equal(up.requests[0].config?.["meshlift:phase"], "cutover");
    assert.match(
      c.out[0],
      /^step 1\/2 weight 10: rollback to 0: realrun-bad: istioErrorRate 20\.00% > maxErrorRate/,
    );
    assert.match(c.err.join("\n"), /rolled back: Istio weight 0 \(up: 2 update, 40 same\)/);
    const status = cutoverStatusText({ stack: "dev", json: false }, { journalDir: c.journalDir });
    assert.match(status, /last weight applied by a run: 0 at /);
    assert.match(status, /rolled-back \(exit 3\)/);
  });

  it("refuses a second run on the same stack, and a stop leaves the weight where it is, said plainly", async function () {
    const { prometheus, exporter } = await lab(this);
    exporter.set("realrun");
    const up = new RecordingUp();
    let other: Promise<unknown> | undefined;
    const c = capture((line) => {
      if (!line.startsWith("step 1/2: Istio weight 10 set")) return;
      // The lock is held while the first run observes: a second one is refused.
      other = cutoverRun(
        { stack: "dev", dryRun: false, json: false, set },
        {
          ...capture(undefined, c.journalDir).deps,
          automation: up,
          deployedPhase: async () => "cutover",
        },
      ).catch((e: unknown) => e);
      c.stop.abort();
    });
    const set = {
      ...cutoverSet("realrun", { url: prometheus.url, steps: [10, 50], interval: 600 }),
      "meshlift:cutover.ttl": "1",
    };
    const code = await cutoverRun(
      { stack: "dev", dryRun: false, json: false, set },
      { ...c.deps, automation: up, deployedPhase: async () => "cutover" },
    );
    assert.equal(code, 130);
    assert.match(
      c.err[c.err.length - 1],
      /^stopped on request: Istio weight left at 10 \(App Mesh 90\); step 1 was not judged\. Resume: meshlift cutover run --stack dev$/,
    );
    const refused = await other;
    assert.ok(refused instanceof CutoverBusyError, String(refused));
    assert.match(
      refused.message,
      /a progressive cutover of stack "dev" is already running \(run [0-9a-f-]+, pid \d+/,
    );
    assert.equal(new Journal(c.journalDir, "dev").runningRun(), undefined, "lock released");
  });

  it("refuses a real run while the stack is deployed at another phase", async function () {
    const c = capture();
    const set = {
      ...cutoverSet("realrun", { url: "http://127.0.0.1:9", interval: 60 }),
    };
    await assert.rejects(
      cutoverRun(
        { stack: "dev", dryRun: false, json: false, set },
        { ...c.deps, automation: new RecordingUp(), deployedPhase: async () => "workloads" },
      ),
      /deployed at phase "workloads": a progressive cutover runs in phase cutover/,
    );
    await assert.rejects(
      cutoverRun({ stack: "dev", dryRun: false, json: false, set }, c.deps),
      /Pulumi CLI.*`meshlift cutover run --dry-run` runs the same analysis without applying anything/,
    );
  });
});
