// The CloudWatch provider through the real SDK (signing, serializer, deserializer, pagination), on a transport that replays recorded GetMetricData answers.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { Readable } from "node:stream";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { QUERY_METRICS } from "../../config/sections/cutover";
import { CloudWatchProvider } from "../../cutover/cloudwatch";
import { MeasureQuery, Sample } from "../../cutover/provider";
import { CLOUDWATCH_DEFAULTS, renderQuery } from "../../cutover/queries";

interface Recorded {
  statusCode: number;
  headers: Record<string, string>;
  body: unknown;
}

const FIXTURES = path.join(__dirname, "fixtures", "cloudwatch");
const fixture = (name: string) =>
  JSON.parse(fs.readFileSync(path.join(FIXTURES, name), "utf8")) as Record<string, unknown>;

/** The SDK's requestHandler slot: answers each request with the next recorded HTTP response; no network. */
class Replay {
  readonly requests: { headers: Record<string, string>; body: Record<string, unknown> }[] = [];
  constructor(private readonly answers: Recorded[]) {}

  handle(request: { headers: Record<string, string>; body?: unknown }) {
    this.requests.push({
      headers: request.headers,
      body: JSON.parse(
        request.body instanceof Uint8Array
          ? new TextDecoder().decode(request.body)
          : String(request.body),
      ) as Record<string, unknown>,
    });
    const a = this.answers.shift();
    if (!a) throw new Error("no recorded answer left");
    return Promise.resolve({
      response: {
        statusCode: a.statusCode,
        headers: a.headers,
        body: Readable.from([Buffer.from(JSON.stringify(a.body))]),
      },
    });
  }
  updateHttpClientConfig(): void {}
  httpHandlerConfigs(): Record<string, never> {
    return {};
  }
}

function provider(answers: Recorded[]): { p: CloudWatchProvider; replay: Replay } {
  const replay = new Replay(answers);
  const client = new CloudWatchClient({
    region: "eu-west-1",
    credentials: {
      accessKeyId: "AKIDEXAMPLE",
      secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    },
    requestHandler: replay,
    maxAttempts: 1,
  });
  return { p: new CloudWatchProvider({ region: "eu-west-1", client }), replay };
}

const METRICS = QUERY_METRICS;
const queries = (n: number = METRICS.length): MeasureQuery[] =>
  METRICS.slice(0, n).map((metric, i) => ({
    id: `q${i}`,
    metric,
    query: `SUM(SEARCH('x${i}', 'Sum', 120))`,
  }));
const at = new Date(1_796_161_200_000);

describe("CloudWatch provider (recorded GetMetricData answers)", () => {
  it("sends every query as metric math in one call and reads two pages of results", async () => {
    const { p, replay } = provider((fixture("complete.json").answers as Recorded[]).slice());
    const samples = await p.measure(queries(), at, 90);
    assert.equal(replay.requests.length, 2, "two pages");
    const req = replay.requests[0];
    assert.equal(req.headers["x-amz-target"], "GraniteServiceVersion20100801.GetMetricData");
    assert.match(
      req.headers.authorization,
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d+\/eu-west-1\/monitoring\/aws4_request/,
    );
    assert.deepEqual(
      req.body.MetricDataQueries,
      queries().map((q) => ({
        Id: q.id,
        Expression: q.query,
        Label: q.metric,
        Period: 120,
        ReturnData: true,
      })),
    );
    // A 90 s window is asked as one 120 s period ending now.
    assert.equal(req.body.EndTime, at.getTime() / 1000);
    assert.equal(req.body.StartTime, at.getTime() / 1000 - 120);
    assert.equal(replay.requests[1].body.NextToken, "page-2");
    const expect: Sample[] = [
      { kind: "value", value: 612 }, // counts add up over datapoints
      { kind: "value", value: 0.004 }, // ratios take the worst datapoint
      { kind: "value", value: 87.5 },
      { kind: "value", value: 2400 }, // both pages
      { kind: "empty" },
    ];
    assert.deepEqual(samples.slice(0, 5), expect);
    assert.equal(samples[5].kind, "failed");
    if (samples[5].kind === "failed") {
      assert.equal(samples[5].error.kind, "auth");
      assert.match(samples[5].error.message, /Forbidden.*not authorized/);
    }
  });

  it("names the one expression CloudWatch refuses by asking again query by query", async () => {
    const e = fixture("errors.json") as Record<string, Recorded>;
    const { p, replay } = provider([e.invalidExpression, e.ok, e.invalidExpression]);
    const samples = await p.measure(queries(2), at, 60);
    assert.equal(replay.requests.length, 3);
    assert.deepEqual(samples[0], { kind: "value", value: 300 });
    assert.equal(samples[1].kind, "failed");
    if (samples[1].kind === "failed") {
      assert.equal(samples[1].error.kind, "bad_query");
      assert.match(
        samples[1].error.message,
        /CloudWatch refused the query: Error in expression q1/,
      );
    }
  });

  it("reports throttling and a refused time range as failures of the backend, not of the query", async () => {
    const e = fixture("errors.json") as Record<string, Recorded>;
    const throttled = await provider([e.throttled]).p.measure(queries(1), at, 60);
    assert.equal(throttled[0].kind === "failed" && throttled[0].error.kind, "throttled");
    const range = await provider([e.timeRange]).p.measure(queries(1), at, 60);
    assert.ok(range[0].kind === "failed" && /MaxQueryTimeRangeExceed/.test(range[0].error.message));
  });

  it("has App Mesh defaults that select Container Insights' documented dimensions", () => {
    const q = renderQuery(CLOUDWATCH_DEFAULTS.appmeshErrorRate ?? "", {
      cluster: "meshlift-dev",
      namespace: "shop",
      period: "120",
    });
    assert.match(
      q,
      /\{ContainerInsights\/Prometheus,ClusterName,Namespace,envoy_http_conn_manager_prefix,envoy_response_code_class\}/,
    );
    assert.match(
      q,
      /MetricName="envoy_http_downstream_rq_xx" ClusterName="meshlift-dev" Namespace="shop" envoy_http_conn_manager_prefix="ingress" envoy_response_code_class="5"', 'Sum', 120\)\) \//,
    );
  });
});
