// runCutover on its own: steps, decisions and outcomes with an in-test metrics provider and weight applier (interval 0).
import { strict as assert } from "node:assert";
import { ConfigError } from "../../config/errors";
import { QueryMetric } from "../../config/sections/cutover";
import { JournalEntry } from "../../cutover/journal";
import {
  Applier,
  manualRollback,
  OUTCOME_EXIT,
  resumeCommand,
  runCutover,
  wait,
} from "../../cutover/loop";
import { MeasureQuery, MetricsProvider, QueryError, Sample } from "../../cutover/provider";
import { PROMETHEUS_DEFAULTS } from "../../cutover/queries";
import { CutoverSettings } from "../../cutover/settings";

const settings = (o: Partial<CutoverSettings> = {}): CutoverSettings => ({
  stack: "dev",
  dryRun: false,
  steps: [5, 25, 50, 100],
  startWeight: 0,
  remaining: [5, 25, 50, 100],
  interval: 0,
  ttl: 0,
  thresholds: {
    maxErrorRate: 0.01,
    maxP99Ms: 500,
    maxErrorRateIncrease: 0.005,
    minRequests: 100,
    maxHolds: 1,
  },
  provider: { kind: "prometheus", url: "http://prom", timeoutMs: 1000 },
  targets: [
    {
      name: "shop",
      kind: "namespace",
      queries: PROMETHEUS_DEFAULTS,
      vars: {
        namespace: "shop",
        gatewayNamespace: "istio-ingress",
        gatewayWorkload: "gw",
        cluster: "dev",
      },
    },
  ],
  ...o,
});

const healthy: Record<QueryMetric, number> = {
  istioRequests: 600,
  istioErrorRate: 0.002,
  istioP99Ms: 120,
  appmeshRequests: 600,
  appmeshErrorRate: 0.001,
  appmeshP99Ms: 110,
};

/** Answers each batch from `answer(batch index, metric)`; records the queries it was sent. */
function provider(
  answer: (batch: number, m: QueryMetric) => Sample,
): MetricsProvider & { batches: MeasureQuery[][] } {
  const batches: MeasureQuery[][] = [];
  return {
    description: "test metrics",
    batches,
    measure: (queries) => {
      const b = batches.push([...queries]) - 1;
      return Promise.resolve(queries.map((q) => answer(b, q.metric)));
    },
  };
}
const value = (_batch: number, m: QueryMetric): Sample => ({ kind: "value", value: healthy[m] });

function applier(
  o: { shows?: (w: number) => number; fails?: number } = {},
): Applier & { weights: number[] } {
  const weights: number[] = [];
  return {
    description: "test applier",
    weights,
    apply: (w) => {
      weights.push(w);
      if (w === o.fails) return Promise.reject(new Error("up failed"));
      return Promise.resolve({ istio: o.shows ? o.shows(w) : w, appmesh: 100 - w, detail: "test" });
    },
  };
}

describe("cutover loop", () => {
  it("healthy metrics: applies every step in order and completes at 100", async () => {
    const a = applier();
    const p = provider(value);
    const events: JournalEntry[] = [];
    const r = await runCutover(settings(), {
      applier: a,
      provider: p,
      runId: "run-1",
      onEvent: (e) => events.push(e),
    });
    assert.equal(r.outcome, "completed");
    assert.equal(r.exitCode, 0);
    assert.equal(r.weight, 100);
    assert.equal(r.runId, "run-1");
    assert.deepEqual(a.weights, [5, 25, 50, 100]);
    assert.deepEqual(
      r.decisions.map((d) => [d.weight, d.decision]),
      [
        [5, "advance"],
        [25, "advance"],
        [50, "advance"],
        [100, "advance"],
      ],
    );
    assert.equal(p.batches.length, 5, "one batch before the run, one per step");
    assert.equal(p.batches[0].length, 6, "every query of the one target");
    assert.deepEqual(
      [...new Set(events.map((e) => e.type))],
      ["start", "baseline", "applying", "applied", "decision", "end"],
    );
    assert.ok(events.every((e) => e.runId === "run-1"));
  });

  it("a gate that fails at a step rolls back to the last good weight and exits 3", async () => {
    const a = applier();
    const p = provider((b, m) =>
      b === 2 && m === "istioErrorRate" ? { kind: "value", value: 0.2 } : value(b, m),
    );
    const r = await runCutover(settings(), { applier: a, provider: p });
    assert.equal(r.outcome, "rolled-back");
    assert.equal(r.exitCode, OUTCOME_EXIT["rolled-back"]);
    assert.equal(r.weight, 5);
    assert.deepEqual(a.weights, [5, 25, 5]);
    assert.equal(r.decisions.at(-1)?.decision, "rollback");
  });

  it("too few requests: holds up to maxHolds, then stops without advancing (exit 4)", async () => {
    const a = applier();
    const p = provider((b, m) =>
      b >= 1 && m === "istioRequests" ? { kind: "value", value: 3 } : value(b, m),
    );
    const r = await runCutover(settings(), { applier: a, provider: p });
    assert.equal(r.outcome, "stopped");
    assert.equal(r.exitCode, 4);
    assert.deepEqual(a.weights, [5]);
    assert.deepEqual(
      r.decisions.map((d) => d.decision),
      ["hold", "stop"],
    );
  });

  it("an unreachable backend before the first step stops with nothing changed", async () => {
    const a = applier();
    const p = provider(() => ({
      kind: "failed",
      error: new QueryError("unreachable", "connection refused"),
    }));
    const r = await runCutover(settings(), { applier: a, provider: p });
    assert.equal(r.outcome, "stopped");
    assert.equal(r.weight, 0);
    assert.match(
      r.message,
      /^stopped before the first step, nothing was changed: connection refused/,
    );
    assert.deepEqual(a.weights, []);
  });

  it("a query the backend refuses is a ConfigError before any step", async () => {
    const a = applier();
    const p = provider((b, m) =>
      m === "istioP99Ms"
        ? { kind: "failed", error: new QueryError("bad_query", "parse error") }
        : value(b, m),
    );
    await assert.rejects(runCutover(settings(), { applier: a, provider: p }), ConfigError);
    assert.deepEqual(a.weights, []);
  });

  it("an apply that fails, or shows another weight, ends as apply-failed (exit 5) with the rollback command", async () => {
    const failed = await runCutover(settings(), {
      applier: applier({ fails: 25 }),
      provider: provider(value),
    });
    assert.equal(failed.outcome, "apply-failed");
    assert.equal(failed.exitCode, 5);
    assert.equal(failed.weight, 5);
    assert.ok(failed.message.includes(manualRollback("dev", 5)));
    const other = await runCutover(settings(), {
      applier: applier({ shows: () => 0 }),
      provider: provider(value),
    });
    assert.equal(other.outcome, "apply-failed");
    assert.match(other.message, /test applier shows Istio weight 0, not 5/);
  });

  it("nothing left above the start weight: completes without applying; a dry run reports no weight", async () => {
    const a = applier();
    const r = await runCutover(settings({ startWeight: 100, remaining: [] }), {
      applier: a,
      provider: provider(value),
    });
    assert.equal(r.outcome, "completed");
    assert.match(r.message, /^nothing to do: cutover\.istioWeight is 100/);
    assert.deepEqual(a.weights, []);
    const dry = await runCutover(settings({ dryRun: true }), {
      applier: applier(),
      provider: provider(value),
    });
    assert.equal(dry.outcome, "completed");
    assert.equal(dry.weight, null);
  });

  it("a stop asked before the run applies nothing and says how to resume", async () => {
    const stop = new AbortController();
    stop.abort();
    const a = applier();
    const r = await runCutover(settings(), {
      applier: a,
      provider: provider(value),
      stop: stop.signal,
    });
    assert.equal(r.outcome, "interrupted");
    assert.equal(r.exitCode, 130);
    assert.deepEqual(a.weights, []);
    assert.ok(r.message.includes(resumeCommand("dev", false)));
  });

  it("names the commands that resume and roll back", () => {
    assert.equal(resumeCommand("dev", false), "meshlift cutover run --stack dev");
    assert.equal(resumeCommand("dev", true), "meshlift cutover run --stack dev --dry-run");
    assert.equal(
      manualRollback("prod", 25),
      "pulumi config set --path 'meshlift:cutover.istioWeight' 25 --stack prod && pulumi up --stack prod",
    );
  });

  it("wait resolves true when the time is up and false at once when aborted", async () => {
    assert.equal(await wait(0), true);
    const c = new AbortController();
    c.abort();
    assert.equal(await wait(60_000, c.signal), false);
    const later = new AbortController();
    const w = wait(60_000, later.signal);
    later.abort();
    assert.equal(await w, false);
  });
});
