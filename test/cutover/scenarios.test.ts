// The progressive cutover loop against a real Prometheus (dry-run, 3 s steps): advance to 100, roll back on 5xx, never advance without data.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { ConfigError } from "../../config/errors";
import { cutoverRun, cutoverStatusText } from "../../cli/commands/cutover";
import { capture, Captured, cutoverSet, lab } from "./support";

/** `meshlift cutover run --stack dev --dry-run --json --set ...`, with captured output. */
function dryRunJson(set: Record<string, string>, c: Captured): Promise<number> {
  return cutoverRun({ stack: "dev", dryRun: true, json: true, set }, c.deps);
}

/** The decisions a --json run printed, parsed. */
function decisions(out: string[]): Record<string, unknown>[] {
  return out.map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe("progressive cutover against a real Prometheus", function () {
  // Each scenario waits real intervals; every wait is bounded by the loop's own steps.
  this.timeout(120_000);

  it("healthy metrics: every step advances, up to 100", async function () {
    const { prometheus, exporter } = await lab(this);
    exporter.set("healthy");
    const c = capture();
    const code = await dryRunJson(
      cutoverSet("healthy", { url: prometheus.url, steps: [25, 100] }),
      c,
    );
    assert.equal(code, 0, c.err.join("\n"));
    const d = decisions(c.out);
    assert.deepEqual(
      d.map((x) => [x.step, x.weight, x.decision]),
      [
        [1, 25, "advance"],
        [2, 100, "advance"],
      ],
    );
    for (const x of d) {
      assert.equal(typeof x.reason, "string");
      const metrics = x.metrics as {
        metric: string;
        value: unknown;
        threshold: unknown;
        pass: unknown;
      }[];
      for (const m of ["istioRequests", "istioErrorRate", "istioP99Ms", "errorRateIncrease"]) {
        const found = metrics.find((y) => y.metric === m);
        assert.ok(
          found && typeof found.value === "number" && typeof found.threshold === "number",
          m,
        );
        assert.equal(found.pass, true, `${m}: ${JSON.stringify(found)}`);
      }
      // The App Mesh side is read too (shown for comparison, the increase gate's baseline).
      for (const m of ["appmeshRequests", "appmeshErrorRate", "appmeshP99Ms"]) {
        const found = metrics.find((y) => y.metric === m);
        assert.equal(typeof found?.value, "number", `${m}: ${JSON.stringify(found)}`);
      }
      // The gateway's own view: the destination reporter's 50% 5xx noise is not in it.
      const rate = metrics.find((y) => y.metric === "istioErrorRate")?.value as number;
      assert.ok(rate < 0.005, `Istio 5xx ${rate}`);
      // Nor App Mesh's egress listener's: only the ingress connection manager counts.
      const appmesh = metrics.find((y) => y.metric === "appmeshErrorRate")?.value as number;
      assert.ok(appmesh < 0.005, `App Mesh 5xx ${appmesh}`);
    }
    assert.match(
      c.err.join("\n"),
      /step 2\/2: Istio weight 100 set \(offline plan of \d+ resources: Route 53 weights istio 100 \/ appmesh 0\)/,
    );
    assert.match(
      c.err[c.err.length - 1],
      /every step passed its gates up to weight 100; nothing was applied/,
    );

    const status = cutoverStatusText({ stack: "dev", json: false }, { journalDir: c.journalDir });
    assert.match(status, /last run .* \(dry-run\).*: completed \(exit 0\)/);
    assert.match(status, /step 2\/2 weight 100: advance/);
    assert.match(status, /no run has applied a weight yet/);
    const journal = path.join(c.journalDir, "dev.jsonl");
    assert.equal(fs.statSync(journal).mode & 0o777, 0o600);
    assert.equal(fs.statSync(c.journalDir).mode & 0o777, 0o700);
  });

  it("5xx injected at step 2: rolls back to step 1 and exits 3", async function () {
    const { prometheus, exporter } = await lab(this);
    exporter.set("faulty");
    const c = capture((line) => {
      if (line.startsWith("step 2/3: setting Istio weight 50"))
        exporter.set("faulty", { istio: { rps: 100, errorRatio: 0.3, latencyMs: 40 } });
    });
    const code = await dryRunJson(cutoverSet("faulty", { url: prometheus.url }), c);
    assert.equal(code, 3, c.err.join("\n"));
    const d = decisions(c.out);
    assert.deepEqual(
      d.map((x) => [x.step, x.weight, x.decision]),
      [
        [1, 10, "advance"],
        [2, 50, "rollback"],
      ],
    );
    assert.equal(d[1].rollbackTo, 10);
    assert.match(String(d[1].reason), /faulty: istioErrorRate \d+\.\d+% > maxErrorRate 1\.00%/);
    const failed = (d[1].metrics as { metric: string; pass: unknown }[]).filter(
      (m) => m.pass === false,
    );
    assert.deepEqual(failed.map((m) => m.metric).sort(), ["errorRateIncrease", "istioErrorRate"]);
    assert.ok(
      c.err.some((l) => /^rolled back: Istio weight 10 \(offline plan/.test(l)),
      c.err.join("\n"),
    );
    assert.match(
      c.err[c.err.length - 1],
      /rolled back to Istio weight 10 .* after step 2 \(weight 50\) failed/,
    );
  });

  it("a query Prometheus refuses stops before the first step with exit 2 naming the key", async function () {
    const { prometheus } = await lab(this);
    const c = capture();
    const set = cutoverSet("badquery", {
      url: prometheus.url,
      queries: { badquery: { istioErrorRate: "sum(rate(istio_requests_total[$window]" } },
    });
    await assert.rejects(
      cutoverRun({ stack: "dev", dryRun: true, json: true, set }, c.deps),
      (e: unknown) =>
        e instanceof ConfigError &&
        /meshlift:cutover\.progressive\.analysis\.queries\.badquery\.istioErrorRate/.test(
          e.message,
        ) &&
        /Prometheus refused the query: .*parse error/.test(e.message),
    );
    assert.deepEqual(c.out, []);
    assert.ok(!c.err.some((l) => l.includes("setting Istio weight")), "nothing was applied");
  });

  it("Prometheus unreachable before the first step: stops with exit 4 and changes nothing", async () => {
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", () => r()));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const c = capture();
    const code = await dryRunJson(cutoverSet("nowhere", { url: `http://127.0.0.1:${port}` }), c);
    assert.equal(code, 4, c.err.join("\n"));
    assert.match(
      c.err[c.err.length - 1],
      new RegExp(
        `^stopped before the first step, nothing was changed: Prometheus at http://127\\.0\\.0\\.1:${port} is unreachable: .*ECONNREFUSED`,
      ),
    );
    assert.ok(!c.err.some((l) => l.includes("setting Istio weight")), "nothing was applied");
    assert.deepEqual(c.out, []);
  });

  it("exporter stopped: holds, then stops without advancing (exit 4)", async function () {
    const { prometheus, doomed } = await lab(this);
    doomed.set("silent");
    await prometheus.waitUp("doomed", 1);
    await doomed.stop();
    await prometheus.waitUp("doomed", 0);
    const c = capture();
    const code = await dryRunJson(cutoverSet("silent", { url: prometheus.url, interval: 2 }), c);
    assert.equal(code, 4, c.err.join("\n"));
    const d = decisions(c.out);
    assert.deepEqual(
      d.map((x) => [x.step, x.decision]),
      [
        [1, "hold"],
        [1, "stop"],
      ],
    );
    assert.match(String(d[0].reason), /silent: no istioRequests data in the window \(empty result/);
    assert.ok(!c.err.some((l) => l.includes("setting Istio weight 50")), "never advanced");
    assert.match(c.err[c.err.length - 1], /^stopped at Istio weight 10 .*left where it is/);
  });

  // Last: it stops the shared Prometheus (a later user starts a new one).
  it("Prometheus stopped mid-run: a clear error, never advances (exit 4)", async function () {
    const { prometheus, exporter } = await lab(this);
    exporter.set("blackout");
    let killed: Promise<void> | undefined;
    const c = capture((line) => {
      if (line.startsWith("step 1/3: Istio weight 10 set")) killed = prometheus.stop();
    });
    const code = await dryRunJson(cutoverSet("blackout", { url: prometheus.url, interval: 2 }), c);
    await killed;
    assert.equal(code, 4, c.err.join("\n"));
    const d = decisions(c.out);
    assert.deepEqual(
      d.map((x) => x.decision),
      ["hold", "stop"],
    );
    const url = prometheus.url.replace(/[.]/g, "\\.");
    assert.match(
      String(d[1].reason),
      new RegExp(`query failed: Prometheus at ${url} is unreachable: .*ECONNREFUSED`),
    );
    assert.ok(!c.err.some((l) => l.includes("setting Istio weight 50")), "never advanced");
  });
});
