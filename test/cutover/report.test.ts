// Text for people about a cutover: one line per decision and event, a stack's status from its journal, and the guidance after a restart.
import { strict as assert } from "node:assert";
import { JournalEntry } from "../../cutover/journal";
import { DecisionEvent, EndEvent } from "../../cutover/loop";
import {
  cutoverStatus,
  formatDecision,
  formatEvent,
  interruptedCutoverGuidance,
  renderStatus,
} from "../../cutover/report";
import { applied, applying, base } from "./support";

const decision: DecisionEvent = {
  ...base,
  type: "decision",
  step: 2,
  of: 4,
  weight: 25,
  decision: "rollback",
  rollbackTo: 5,
  reason: "5xx 2.00% > 1.00%",
  metrics: [
    {
      target: "shop",
      metric: "istioRequests",
      value: 612,
      threshold: 100,
      comparison: ">=",
      pass: true,
    },
    {
      target: "shop",
      metric: "istioErrorRate",
      value: 0.02,
      threshold: 0.01,
      comparison: "<=",
      pass: false,
    },
    {
      target: "shop",
      metric: "istioP99Ms",
      value: null,
      threshold: 500,
      comparison: "<=",
      pass: null,
    },
    {
      target: "shop",
      metric: "appmeshErrorRate",
      value: 0.001,
      threshold: null,
      comparison: null,
      pass: null,
    },
    {
      target: "pay",
      metric: "istioRequests",
      value: 200,
      threshold: 100,
      comparison: ">=",
      pass: true,
    },
  ],
  holds: 0,
  windowSeconds: 300,
  analysisMs: 12.5,
  queries: 12,
};
const end: EndEvent = {
  ...base,
  type: "end",
  outcome: "rolled-back",
  weight: 5,
  exitCode: 3,
  message: "rolled back to 5",
};
const entry = <T extends object>(e: T, runId = "r1") =>
  ({ ...e, runId }) as unknown as JournalEntry;

describe("cutover report", () => {
  it("prints a decision on one line: every gate with value, threshold and verdict, then the others", () => {
    assert.equal(
      formatDecision(decision),
      "step 2/4 weight 25: rollback to 5: 5xx 2.00% > 1.00% | " +
        "shop: requests 612 >= 100 ok, 5xx 2.00% <= 1.00% FAIL, p99 n/a <= 500.0ms not judged (App Mesh 5xx 0.10%) | " +
        "pay: requests 200 >= 100 ok",
    );
  });

  it("prints one progress line per event", () => {
    assert.equal(
      formatEvent({
        ...base,
        type: "start",
        steps: [5, 25],
        remaining: [],
        fromWeight: 25,
        interval: 60,
        provider: "Prometheus at http://prom",
        targets: ["shop"],
        thresholds: {
          maxErrorRate: 0.01,
          maxP99Ms: 500,
          maxErrorRateIncrease: 0.005,
          minRequests: 100,
          maxHolds: 2,
        },
      }),
      "Progressive cutover of stack dev: steps none left from weight 25, 60 s each, judged by Prometheus at http://prom; targets: shop",
    );
    assert.equal(
      formatEvent({ ...base, type: "baseline", baselines: {}, windowSeconds: 60 }),
      "no App Mesh baseline over the last 60 s (too few requests): the first steps measure it in their own window",
    );
    assert.equal(
      formatEvent({
        ...base,
        type: "baseline",
        baselines: { shop: { errorRate: 0.001, from: "before the run" } },
        windowSeconds: 60,
      }),
      "App Mesh baseline over the last 60 s: shop 5xx 0.10%",
    );
    assert.equal(formatEvent(applying(25)), "step 2/4: setting Istio weight 25 (up)...");
    assert.equal(
      formatEvent({ ...applying(25), dryRun: true }),
      "step 2/4: setting Istio weight 25 (offline plan)...",
    );
    assert.equal(
      formatEvent({ ...applying(5), rollback: true }),
      "rolling back: setting Istio weight 5...",
    );
    assert.equal(
      formatEvent({ ...applied(25), detail: "up: 2 updated" }),
      "step 2/4: Istio weight 25 set (up: 2 updated); observing",
    );
    assert.equal(
      formatEvent({ ...applied(5), rollback: true, detail: "x" }),
      "rolled back: Istio weight 5 (x)",
    );
    assert.equal(formatEvent(decision), formatDecision(decision));
    assert.equal(formatEvent(end), "rolled back to 5");
  });

  it("reads a stack's status off its journal: the last real weight applied and the last run's end", () => {
    const start = {
      ...base,
      type: "start",
      steps: [5, 25],
      remaining: [25],
      fromWeight: 5,
      interval: 60,
      provider: "p",
      targets: [],
      thresholds: {},
    };
    const entries = [
      entry({ ...applied(5) }, "r0"),
      entry({ ...applied(10), dryRun: true }, "r0"),
      entry(start),
      entry(decision),
      entry(end),
    ];
    const s = cutoverStatus({ stack: "dev", configWeight: 5, entries, journal: "/j/dev.jsonl" });
    assert.deepEqual(s.applied, { weight: 5, at: base.at, runId: "r0" });
    assert.equal(s.lastRun?.runId, "r1");
    assert.equal(s.lastRun?.state, "rolled-back");
    assert.equal(s.decisions.length, 1);
    const text = renderStatus(s);
    assert.match(
      text,
      /^Stack dev: cutover\.istioWeight 5 in the stack config \(App Mesh 95\); the next run starts there\n/,
    );
    assert.match(text, /last weight applied by a run: 5 at 2026-12-01T10:00:00\.000Z \(run r0\)/);
    assert.match(
      text,
      /last run r1, started .*, steps 5, 25 from 5: rolled-back \(exit 3\) at .*: rolled back to 5/,
    );
    assert.match(
      text,
      /last decisions:\n {4}2026-12-01T10:00:00\.000Z step 2\/4 weight 25: rollback to 5/,
    );
    assert.match(text, /journal: \/j\/dev\.jsonl$/);
  });

  it("tells a running run from one that was killed, and an empty journal from both", () => {
    const start = entry({
      ...base,
      type: "start",
      steps: [5],
      remaining: [5],
      fromWeight: 0,
      interval: 60,
      provider: "p",
      targets: [],
      thresholds: {},
    });
    const status = (runningRunId?: string) =>
      cutoverStatus({
        stack: "dev",
        configWeight: 0,
        entries: [start],
        journal: "j",
        runningRunId,
      });
    assert.equal(status("r1").lastRun?.state, "running");
    assert.match(renderStatus(status("r1")), /: running now/);
    assert.equal(status().lastRun?.state, "unfinished");
    assert.match(
      renderStatus(status()),
      /unfinished: .*resume with meshlift cutover run --stack dev/,
    );
    const none = renderStatus(
      cutoverStatus({ stack: "dev", configWeight: 0, entries: [], journal: "j" }),
    );
    assert.match(none, /no run has applied a weight yet/);
    assert.match(none, /no progressive cutover has run on this stack/);
  });

  it("after a restart, names the last weight applied, an update in flight, and the command to resume", () => {
    const done = interruptedCutoverGuidance("dev", false, [applying(5), applied(5)]);
    assert.match(done, /Last Istio weight applied: 5, at 2026-12-01T10:00:00\.000Z\./);
    assert.doesNotMatch(done, /in flight/);
    assert.match(done, /Resume with `meshlift cutover run --stack dev`/);
    const flying = interruptedCutoverGuidance("dev", false, [
      applying(5),
      applied(5),
      applying(25),
    ]);
    assert.match(
      flying,
      /An `up` to weight 25 was in flight: .*pulumi cancel --stack dev.*pulumi refresh --stack dev/,
    );
    const dry = interruptedCutoverGuidance("dev", true, [applying(5), applied(5)]);
    assert.match(
      dry,
      /nothing was applied \(the plan had reached weight 5\)\. Resume with `meshlift cutover run --stack dev --dry-run`/,
    );
  });
});
