// The Prometheus client against a real Prometheus: numbers, empty, NaN, strings, many series, refused queries, and dead or silent endpoints.
import { strict as assert } from "node:assert";
import * as http from "node:http";
import * as net from "node:net";
import { QUERY_METRICS } from "../../config/sections/cutover";
import { PrometheusClient } from "../../cutover/prometheus";
import { QueryError } from "../../cutover/provider";
import { PROMETHEUS_DEFAULTS, renderQuery } from "../../cutover/queries";
import { lab } from "./support";

const now = () => new Date();

async function rejectsKind(p: Promise<unknown>, kind: string, message: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof QueryError, String(e));
    assert.equal(e.kind, kind, e.message);
    assert.match(e.message, message);
    return true;
  });
}

/** A local server that accepts and never answers, or answers what a proxy in front of Prometheus might. */
async function localServer(
  handler?: http.RequestListener,
): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(handler ?? (() => undefined));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

describe("Prometheus client", function () {
  this.timeout(60_000);

  it("reads scalars and one-series vectors; empty and NaN are no data, not zero", async function () {
    const { prometheus } = await lab(this);
    const c = new PrometheusClient({ url: prometheus.url });
    assert.deepEqual(await c.query("scalar(vector(0.25))", now()), { kind: "value", value: 0.25 });
    assert.deepEqual(await c.query('sum(up{job="mesh"})', now()), { kind: "value", value: 1 });
    assert.deepEqual(await c.query('up{job="no-such-job"}', now()), { kind: "empty" });
    assert.deepEqual(await c.query("vector(0) / vector(0)", now()), { kind: "nan" });
    assert.deepEqual(await c.query("vector(1) / vector(0)", now()), {
      kind: "value",
      value: Infinity,
    });
  });

  it("names a refused query, a string, and a query that returns many series", async function () {
    const { prometheus } = await lab(this);
    const c = new PrometheusClient({ url: `${prometheus.url}/` });
    await rejectsKind(
      c.query("sum(rate(x[5m]", now()),
      "bad_query",
      /Prometheus refused the query: .*parse error/,
    );
    await rejectsKind(c.query('"hello"', now()), "non_numeric", /returns a string, not a number/);
    // Two series whatever the scrapes have reached yet (`up` has one per target once each is scraped).
    await rejectsKind(
      c.query('vector(1) or label_replace(vector(2), "side", "b", "", "")', now()),
      "multiple_series",
      /returns 2 series; it must return one number/,
    );
    await rejectsKind(c.query("up[10s]", now()), "non_numeric", /returns a matrix/);
  });

  it("every default query is PromQL this Prometheus accepts, and reads the exporter's series", async function () {
    const { prometheus, exporter } = await lab(this);
    exporter.set("defaults");
    await prometheus.waitUp("mesh", 1);
    const c = new PrometheusClient({ url: prometheus.url });
    const vars = {
      namespace: "defaults",
      gatewayNamespace: "istio-ingress",
      gatewayWorkload: "istio-ingressgateway",
      window: "30s",
    };
    for (const m of QUERY_METRICS) {
      const q = renderQuery(PROMETHEUS_DEFAULTS[m], vars);
      const s = await c.query(q, now());
      // A series that started less than two scrapes ago may still be empty; never an error.
      assert.ok(["value", "empty", "nan"].includes(s.kind), `${m}: ${JSON.stringify(s)}`);
    }
  });

  it("says a stopped Prometheus is unreachable, a silent one timed out, and a proxy page is not an answer", async () => {
    const closed = await localServer();
    await closed.close();
    await rejectsKind(
      new PrometheusClient({ url: closed.url }).query("up", now()),
      "unreachable",
      new RegExp(
        `Prometheus at ${closed.url.replace(/\./g, "\\.")} is unreachable: .*ECONNREFUSED`,
      ),
    );
    const silent = await localServer();
    try {
      await rejectsKind(
        new PrometheusClient({ url: silent.url, timeoutMs: 300 }).query("up", now()),
        "timeout",
        /did not answer within 300 ms/,
      );
    } finally {
      await silent.close();
    }
    const proxy = await localServer((_req, res) =>
      res.writeHead(502, { "content-type": "text/html" }).end("<html>\u0007bad gateway</html>"),
    );
    try {
      await rejectsKind(
        new PrometheusClient({ url: proxy.url }).query("up", now()),
        "http",
        /answered HTTP 502 that is not a Prometheus API answer: <html> bad gateway<\/html>/,
      );
    } finally {
      await proxy.close();
    }
    const huge = await localServer((_req, res) => res.writeHead(200).end("x".repeat(4096)));
    try {
      await rejectsKind(
        new PrometheusClient({ url: huge.url, maxResponseBytes: 1024 }).query("up", now()),
        "multiple_series",
        /answered more than 1024 bytes/,
      );
    } finally {
      await huge.close();
    }
  });

  it("keeps a path prefix and passes the evaluation time", async () => {
    let seen = "";
    let body = "";
    const s = await localServer((req, res) => {
      seen = req.url ?? "";
      req.on("data", (d: Buffer) => (body += d.toString()));
      req.on("end", () =>
        res
          .writeHead(200, { "content-type": "application/json" })
          .end('{"status":"success","data":{"resultType":"scalar","result":[1,"2"]}}'),
      );
    });
    try {
      const at = new Date(1_796_000_000_500);
      const r = await new PrometheusClient({ url: `${s.url}/prometheus` }).query("x", at);
      assert.deepEqual(r, { kind: "value", value: 2 });
      assert.equal(seen, "/prometheus/api/v1/query");
      assert.match(body, /time=1796000000\.500/);
    } finally {
      await s.close();
    }
  });
});
