// The observability config section: per-environment defaults, the Prometheus Kiali needs, and the sampling rate.
import * as assert from "node:assert/strict";
import { ConfigError } from "../../../config/errors";
import {
  observabilityProblems,
  observabilitySchema,
  resolveObservability,
} from "../../../config/sections/observability";
import { parseConfig } from "../../../config/load";
import { EXISTING_CLUSTER_STACK, stackProblems as problems } from "../../support/config";

describe("config: observability", () => {
  it("turns everything on in dev and off elsewhere unless set", () => {
    const dev = resolveObservability("dev", observabilitySchema.parse({}));
    assert.deepEqual(
      [dev.prometheus, dev.kiali, dev.tracing, dev.containerInsights],
      [true, true, true, true],
    );
    const prod = resolveObservability("prod", observabilitySchema.parse({}));
    assert.deepEqual(
      [prod.prometheus, prod.kiali, prod.tracing, prod.containerInsights],
      [false, false, false, false],
    );
    const some = resolveObservability(
      "prod",
      observabilitySchema.parse({ containerInsights: { enabled: true } }),
    );
    assert.equal(some.containerInsights, true);
    assert.equal(some.samplingPercentage, 1);
  });

  it("refuses Kiali without any Prometheus", () => {
    const problems = observabilityProblems(
      resolveObservability("dev", observabilitySchema.parse({ prometheus: { enabled: false } })),
    );
    assert.deepEqual(
      problems.map((p) => p.key),
      ["meshlift:observability.kiali.enabled"],
    );
    assert.match(problems[0].message, /Kiali needs Prometheus/);
    assert.throws(
      () =>
        parseConfig("s", {
          ...EXISTING_CLUSTER_STACK,
          "meshlift:observability": JSON.stringify({ prometheus: { enabled: false } }),
        }),
      (e: unknown) =>
        e instanceof ConfigError &&
        /meshlift:observability\.kiali\.enabled.*Kiali needs Prometheus/.test(e.message),
    );
  });

  it("rejects a sampling rate above 100", () => {
    assert.match(
      problems({
        "meshlift:observability": JSON.stringify({ tracing: { samplingPercentage: 150 } }),
      }),
      /observability\.tracing\.samplingPercentage \(given: 150\): must be <= 100/,
    );
  });
});
