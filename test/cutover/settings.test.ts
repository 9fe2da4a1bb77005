// resolveCutover: what a run reads from the stack config (steps left, gates, provider, targets and their queries).
import { strict as assert } from "node:assert";
import { DEFAULT_PROJECT_DIR } from "../../automation/runners/runner";
import { parseConfig } from "../../config/load";
import { readStackFile } from "../../config/stack-file";
import { PROMETHEUS_DEFAULTS } from "../../cutover/queries";
import { resolveCutover } from "../../cutover/settings";

const dev = readStackFile(DEFAULT_PROJECT_DIR, "dev").config;

function settings(progressive: unknown, extra: Record<string, string> = {}, dryRun = false) {
  return resolveCutover(
    parseConfig("dev", {
      ...dev,
      "meshlift:phase": "cutover",
      "meshlift:cutover.progressive": JSON.stringify(progressive),
      ...extra,
    }),
    { dryRun },
  );
}

describe("cutover settings", () => {
  it("starts from the stack's Istio weight and moves through the steps above it", () => {
    const s = settings({ analysis: { prometheus: { url: "http://prom:9090" } } });
    assert.equal(s.stack, "dev");
    assert.equal(s.dryRun, false);
    assert.deepEqual(s.steps, [5, 25, 50, 100]);
    assert.equal(s.startWeight, 10);
    assert.deepEqual(s.remaining, [25, 50, 100]);
    assert.equal(s.interval, 300);
    assert.equal(s.ttl, 60);
    assert.deepEqual(s.thresholds, {
      maxErrorRate: 0.01,
      maxP99Ms: 1000,
      maxErrorRateIncrease: 0.005,
      minRequests: 100,
      maxHolds: 3,
    });
    assert.deepEqual(s.provider, { kind: "prometheus", url: "http://prom:9090", timeoutMs: 10000 });
  });

  it("judges each namespace on istio with the default queries, its own overriding them", () => {
    const s = settings({
      analysis: {
        prometheus: { url: "http://prom:9090", timeout: 3 },
        queries: { payments: { istioP99Ms: "max(p99_ms)" } },
      },
    });
    assert.equal(s.provider.kind === "prometheus" && s.provider.timeoutMs, 3000);
    assert.deepEqual(
      s.targets.map((t) => [t.name, t.kind]),
      [
        ["shop", "namespace"],
        ["payments", "namespace"],
      ],
    );
    const [shop, payments] = s.targets;
    assert.deepEqual(shop.queries, PROMETHEUS_DEFAULTS);
    assert.equal(payments.queries.istioP99Ms, "max(p99_ms)");
    assert.equal(payments.queries.istioRequests, PROMETHEUS_DEFAULTS.istioRequests);
    assert.equal(shop.vars.namespace, "shop");
    assert.equal(shop.vars.gatewayNamespace, "istio-ingress");
    assert.ok(shop.vars.gatewayWorkload && shop.vars.cluster);
  });

  it("adds a hostname named in analysis.queries as a target of its own, with $hostname", () => {
    const q = 'sum(rate(x{host="$hostname"}[$window]))';
    const s = settings({
      analysis: {
        prometheus: { url: "http://prom:9090" },
        queries: {
          "shop.dev.example.com": {
            istioRequests: q,
            istioErrorRate: q,
            istioP99Ms: q,
            appmeshRequests: q,
            appmeshErrorRate: q,
            appmeshP99Ms: q,
          },
        },
      },
    });
    const host = s.targets.find((t) => t.kind === "hostname");
    assert.equal(host?.name, "shop.dev.example.com");
    assert.equal(host?.vars.hostname, "shop.dev.example.com");
    assert.equal(host?.queries.istioRequests, q);
  });

  it("reads CloudWatch's region and cluster from the stack unless the section names them", () => {
    const q = "SUM(x)";
    const queries = {
      "*": { istioRequests: q, istioErrorRate: q, istioP99Ms: q, appmeshP99Ms: q },
    };
    const s = settings({ analysis: { provider: "cloudwatch", queries } });
    assert.equal(s.provider.kind, "cloudwatch");
    const cfg = parseConfig("dev", dev);
    assert.deepEqual(s.provider, {
      kind: "cloudwatch",
      region: cfg.region,
      clusterName: cfg.cluster.name,
    });
    const named = settings({
      analysis: {
        provider: "cloudwatch",
        cloudwatch: { region: "us-east-2", clusterName: "other" },
        queries,
      },
    });
    assert.deepEqual(named.provider, {
      kind: "cloudwatch",
      region: "us-east-2",
      clusterName: "other",
    });
  });

  it("allows an interval below the DNS TTL only for a dry run", () => {
    const p = { interval: 30, analysis: { prometheus: { url: "http://prom:9090" } } };
    assert.throws(() => settings(p), /progressive\.interval/);
    assert.equal(settings(p, {}, true).interval, 30);
  });
});
