// The analysis queries: defaults per provider, `$placeholder` rendering, and the window and period they are sent with.
import { strict as assert } from "node:assert";
import { QUERY_METRICS } from "../../config/sections/cutover";
import {
  CLOUDWATCH_DEFAULTS,
  cloudWatchPeriod,
  defaultQueries,
  PROMETHEUS_DEFAULTS,
  promWindow,
  renderQuery,
} from "../../cutover/queries";

describe("cutover queries", () => {
  it("has a Prometheus default for every metric and CloudWatch defaults for the App Mesh side only", () => {
    assert.equal(defaultQueries("prometheus"), PROMETHEUS_DEFAULTS);
    assert.equal(defaultQueries("cloudwatch"), CLOUDWATCH_DEFAULTS);
    assert.deepEqual(Object.keys(PROMETHEUS_DEFAULTS).sort(), [...QUERY_METRICS].sort());
    assert.deepEqual(Object.keys(CLOUDWATCH_DEFAULTS).sort(), [
      "appmeshErrorRate",
      "appmeshRequests",
    ]);
  });

  it("fills each placeholder, and names one without a value instead of sending it half-filled", () => {
    assert.equal(
      renderQuery('sum(x{ns="$namespace"}[$window]) / $namespace', {
        namespace: "shop",
        window: "60s",
      }),
      'sum(x{ns="shop"}[60s]) / shop',
    );
    assert.throws(
      () => renderQuery("rate(x[$window])", { namespace: "shop" }),
      /^Error: query "rate\(x\[\$window\]\)": \$window has no value here$/,
    );
    // Inherited names are no values.
    assert.throws(() => renderQuery("$constructor", {}), /\$constructor has no value here/);
    assert.throws(() => renderQuery("$toString", {}), /\$toString has no value here/);
  });

  it("renders every default with the variables a namespace target has", () => {
    const vars = {
      namespace: "shop",
      gatewayNamespace: "istio-ingress",
      gatewayWorkload: "istio-ingressgateway",
      cluster: "dev",
      window: "300s",
      period: "300",
    };
    for (const q of [...Object.values(PROMETHEUS_DEFAULTS), ...Object.values(CLOUDWATCH_DEFAULTS)])
      assert.doesNotMatch(renderQuery(q ?? "", vars), /\$/);
  });

  it("sends windows as whole seconds, at least 1, and CloudWatch periods as whole minutes, at least 60", () => {
    assert.equal(promWindow(300), "300s");
    assert.equal(promWindow(2.6), "3s");
    assert.equal(promWindow(0), "1s");
    assert.equal(cloudWatchPeriod(1), 60);
    assert.equal(cloudWatchPeriod(60), 60);
    assert.equal(cloudWatchPeriod(61), 120);
    assert.equal(cloudWatchPeriod(300), 300);
  });
});
