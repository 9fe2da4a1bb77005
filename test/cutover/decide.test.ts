// The analysis gate: advance only when every gate passes on real numbers; hold, stop or roll back otherwise, with every metric shown.
import { strict as assert } from "node:assert";
import fc from "fast-check";
import { QueryMetric, REQUIRED_METRICS } from "../../config/sections/cutover";
import { Baseline, decide, DecisionInput, fmt } from "../../cutover/decide";
import { QueryError, Sample } from "../../cutover/provider";
import { Thresholds } from "../../cutover/settings";

const T: Thresholds = {
  maxErrorRate: 0.01,
  maxP99Ms: 500,
  maxErrorRateIncrease: 0.005,
  minRequests: 100,
  maxHolds: 2,
};
const v = (value: number): Sample => ({ kind: "value", value });
const healthy: Record<QueryMetric, Sample> = {
  istioRequests: v(600),
  istioErrorRate: v(0.002),
  istioP99Ms: v(120),
  appmeshRequests: v(600),
  appmeshErrorRate: v(0.001),
  appmeshP99Ms: v(110),
};

function input(
  samples: Partial<Record<QueryMetric, Sample>>,
  o: Partial<DecisionInput> = {},
): DecisionInput {
  return {
    holds: 0,
    thresholds: T,
    targets: [{ target: "shop", samples: { ...healthy, ...samples } }],
    baselines: new Map(),
    stepLabel: "step 2",
    ...o,
  };
}

describe("cutover decide", () => {
  it("advances when every gate passes, listing each metric with value and threshold", () => {
    const d = decide(input({}));
    assert.equal(d.decision, "advance");
    const gates = d.metrics.filter((m) => m.threshold !== null);
    assert.deepEqual(
      gates.map((m) => [m.metric, m.value, m.threshold, m.pass]),
      [
        ["istioRequests", 600, 100, true],
        ["istioErrorRate", 0.002, 0.01, true],
        ["istioP99Ms", 120, 500, true],
        ["errorRateIncrease", 0.002 - 0.001, 0.005, true],
      ],
    );
    assert.deepEqual(d.baselines.get("shop"), { errorRate: 0.001, from: "step 2" });
  });

  it("rolls back on a gate that fails, naming metric, value and threshold", () => {
    assert.match(
      decide(input({ istioErrorRate: v(0.2) })).reason,
      /shop: istioErrorRate 20\.00% > maxErrorRate 1\.00%/,
    );
    assert.equal(decide(input({ istioP99Ms: v(900) })).decision, "rollback");
    // p99 past the last bucket (+Inf) fails too.
    assert.equal(decide(input({ istioP99Ms: v(Infinity) })).decision, "rollback");
    // 0.8% on Istio is under maxErrorRate but 0.7 points above App Mesh's 0.1%.
    const inc = decide(input({ istioErrorRate: v(0.008) }));
    assert.equal(inc.decision, "rollback");
    assert.match(inc.reason, /errorRateIncrease \+0\.70pp > maxErrorRateIncrease \+0\.50pp/);
  });

  it("holds below minRequests and does not judge ratios over a handful of requests", () => {
    const d = decide(input({ istioRequests: v(20), istioErrorRate: v(0.5) }));
    assert.equal(d.decision, "hold");
    assert.match(
      d.reason,
      /hold 1 of 2: shop: 20 Istio requests in the window, below minRequests 100/,
    );
    assert.equal(d.metrics.find((m) => m.metric === "istioErrorRate")?.pass, null);
    assert.equal(d.lacking, "no-data");
  });

  it("stops once maxHolds holds are spent", () => {
    const d = decide(input({ istioRequests: { kind: "empty" } }, { holds: 2 }));
    assert.equal(d.decision, "stop");
    assert.match(d.reason, /2 hold\(s\) spent without usable data: shop: no istioRequests data/);
  });

  it("holds on a failed query, says so, and never advances on it", () => {
    const error = new QueryError(
      "unreachable",
      "Prometheus at http://p:9090 is unreachable: ECONNREFUSED",
    );
    const d = decide(input({ istioErrorRate: { kind: "failed", error } }));
    assert.equal(d.decision, "hold");
    assert.equal(d.lacking, "query-failed");
    assert.match(
      d.reason,
      /shop: istioErrorRate query failed: Prometheus at http:\/\/p:9090 is unreachable/,
    );
  });

  it("compares with the last App Mesh baseline when App Mesh has no traffic left (weight 100)", () => {
    const baselines = new Map<string, Baseline>([["shop", { errorRate: 0.004, from: "step 3" }]]);
    const d = decide(
      input({ appmeshRequests: v(0), appmeshErrorRate: { kind: "nan" } }, { baselines }),
    );
    assert.equal(d.decision, "advance");
    const inc = d.metrics.find((m) => m.metric === "errorRateIncrease");
    assert.ok(Math.abs((inc?.value ?? 1) - (0.002 - 0.004)) < 1e-12);
    assert.match(String(inc?.note), /App Mesh 0\.40% \(step 3\)/);
    // Without any baseline, the increase gate cannot be judged: hold.
    const none = decide(input({ appmeshRequests: v(0), appmeshErrorRate: { kind: "nan" } }));
    assert.equal(none.decision, "hold");
    assert.match(none.reason, /no App Mesh baseline/);
  });

  it("prefers rollback over hold when one target fails and another lacks data", () => {
    const d = decide({
      ...input({}),
      targets: [
        { target: "a", samples: { ...healthy, istioErrorRate: v(0.5) } },
        { target: "b", samples: { ...healthy, istioRequests: { kind: "empty" } } },
      ],
    });
    assert.equal(d.decision, "rollback");
  });

  it("never advances when any required sample is missing, NaN or failed (property)", () => {
    const bad = fc.constantFrom<Sample>(
      { kind: "empty" },
      { kind: "nan" },
      { kind: "failed", error: new QueryError("timeout", "timed out") },
    );
    fc.assert(
      fc.property(
        fc.subarray([...REQUIRED_METRICS], { minLength: 1 }),
        bad,
        fc.nat({ max: 5 }),
        (metrics, sample, holds) => {
          const samples = Object.fromEntries(metrics.map((m) => [m, sample]));
          const d = decide(input(samples, { holds }));
          return d.decision !== "advance";
        },
      ),
      { numRuns: 300 },
    );
  });

  it("formats ratios, latencies and counts for people", () => {
    assert.equal(fmt("istioErrorRate", 0.0123), "1.23%");
    assert.equal(fmt("errorRateIncrease", -0.00001), "+0.00pp");
    assert.equal(fmt("errorRateIncrease", -0.02), "-2.00pp");
    assert.equal(fmt("istioP99Ms", Infinity), "+Inf");
    assert.equal(fmt("istioRequests", null), "n/a");
  });
});
