// Route values as App Mesh applies them: retry events, durations, header matches and the order of routes without priority.
import * as assert from "node:assert/strict";
import {
  compareKeys,
  durationString,
  millisString,
  rangeRegex,
  retryOn,
  specificity,
  stringMatch,
} from "../../appmesh/route-values";

const per = { value: 1, unit: "s" as const };

describe("retryOn", () => {
  it("renders each App Mesh event as App Mesh configures Envoy", () => {
    assert.equal(
      retryOn({ maxRetries: 1, perRetryTimeout: per, httpRetryEvents: ["server-error"] }),
      "500,501,502,503,504,505,506,507,508,510,511,reset",
    );
    assert.equal(
      retryOn({ maxRetries: 1, perRetryTimeout: per, httpRetryEvents: ["gateway-error"] }),
      "502,503,504,reset",
    );
    assert.equal(
      retryOn({ maxRetries: 1, perRetryTimeout: per, httpRetryEvents: ["client-error"] }),
      "409",
    );
    assert.equal(
      retryOn({ maxRetries: 1, perRetryTimeout: per, httpRetryEvents: ["stream-error"] }),
      "refused-stream",
    );
    assert.equal(
      retryOn({ maxRetries: 1, perRetryTimeout: per, tcpRetryEvents: ["connection-error"] }),
      "connect-failure",
    );
    assert.equal(
      retryOn({
        maxRetries: 1,
        perRetryTimeout: per,
        grpcRetryEvents: ["unavailable", "cancelled"],
      }),
      "cancelled,unavailable",
    );
  });

  it("merges overlapping events without duplicates", () => {
    assert.equal(
      retryOn({
        maxRetries: 1,
        perRetryTimeout: per,
        httpRetryEvents: ["gateway-error", "server-error"],
      }),
      "500,501,502,503,504,505,506,507,508,510,511,reset",
    );
  });
});

describe("durations", () => {
  it("keeps the App Mesh unit and treats 0 as unset", () => {
    assert.equal(durationString({ value: 250, unit: "ms" }), "250ms");
    assert.equal(durationString({ value: 15, unit: "s" }), "15s");
    assert.equal(durationString({ value: 0, unit: "s" }), undefined);
    assert.equal(millisString(15000), "15s");
    assert.equal(millisString(1500), "1500ms");
  });
});

describe("header matches", () => {
  it("maps suffix to an escaped regex and range to an enumerated regex, flagged as lossy", () => {
    assert.deepEqual(stringMatch({ name: "h", match: { suffix: ".com" } }), {
      match: { regex: ".*\\.com" },
    });
    const r = stringMatch({ name: "h", match: { range: { start: 5, end: 8 } } });
    assert.deepEqual(r.match, { regex: "^(5|6|7)$" });
    assert.ok(r.lossy);
    assert.equal(new RegExp(rangeRegex(5, 8)).test("8"), false, "the end is exclusive");
    assert.deepEqual(stringMatch({ name: "h" }), { match: {} });
  });
});

describe("route order for routes without priority", () => {
  it("puts exact paths first, then longer prefixes, then more conditions", () => {
    const keys = [
      { id: "root", k: specificity({ prefix: "/", conditions: 0 }) },
      { id: "root-get", k: specificity({ prefix: "/", conditions: 1 }) },
      { id: "api", k: specificity({ prefix: "/api", conditions: 0 }) },
      { id: "exact", k: specificity({ path: { exact: "/a" }, conditions: 0 }) },
      { id: "regex", k: specificity({ path: { regex: "/v[0-9]" }, conditions: 0 }) },
    ];
    keys.sort((a, b) => compareKeys(a.k, b.k));
    assert.deepEqual(
      keys.map((x) => x.id),
      ["exact", "regex", "api", "root-get", "root"],
    );
  });
});
