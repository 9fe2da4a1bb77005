// The cutover config section: record weights, hosted zones, hostnames and the Route 53 health check, each bad value a config error naming the key.
import * as assert from "node:assert/strict";
import { parseConfig } from "../../../config/load";
import { configError } from "../../support/config";

const base = {
  "aws:region": "eu-west-1",
  "meshlift:environment": "dev",
  "meshlift:cluster": JSON.stringify({ mode: "create" }),
};

/** The problems of the one ConfigError parsing `flat` raises. */
const problems = (flat: Record<string, string>) => [...configError(flat, "t").problems];

describe("config: cutover", () => {
  const rec = {
    name: "shop.example.com",
    zoneName: "example.com",
    appmesh: { dnsName: "a.elb.eu-west-1.amazonaws.com", zoneId: "Z2IFOLAFXWLO4F" },
  };

  it("accepts 0 and 100 and rejects weights outside, naming the key", () => {
    for (const w of [0, 100]) {
      const cfg = parseConfig("t", {
        ...base,
        "meshlift:cutover": JSON.stringify({ istioWeight: w }),
      });
      assert.equal(cfg.cutover.istioWeight, w);
    }
    for (const w of [-5, 101, 2.5]) {
      const p = problems({ ...base, "meshlift:cutover": JSON.stringify({ istioWeight: w }) });
      assert.equal(p[0].key, "meshlift:cutover.istioWeight");
    }
  });

  it("needs exactly one of zoneId and zoneName, and the name inside the zone", () => {
    const both = problems({
      ...base,
      "meshlift:cutover": JSON.stringify({ records: [{ ...rec, zoneId: "Z123" }] }),
    });
    assert.equal(both[0].key, "meshlift:cutover.records.0.zoneId");
    const outside = problems({
      ...base,
      "meshlift:cutover": JSON.stringify({ records: [{ ...rec, name: "shop.other.org" }] }),
    });
    assert.equal(outside[0].key, "meshlift:cutover.records.0.name");
    assert.match(outside[0].message, /not inside zone "example.com"/);
  });

  it("normalises hostnames and rejects a duplicate record", () => {
    const cfg = parseConfig("t", {
      ...base,
      "meshlift:cutover": JSON.stringify({ records: [{ ...rec, name: "Shop.Example.com." }] }),
    });
    assert.equal(cfg.cutover.records[0].name, "shop.example.com");
    const p = problems({ ...base, "meshlift:cutover": JSON.stringify({ records: [rec, rec] }) });
    assert.equal(p[0].key, "meshlift:cutover.records.1.name");
  });
});

describe("config: cutover.healthCheck", () => {
  it("refuses a Route 53 health check on an internal gateway, which public checkers never reach", () => {
    const p = problems({
      ...base,
      "meshlift:cutover": JSON.stringify({ healthCheck: true }),
      "meshlift:istio.gateway.scheme": "internal",
    });
    assert.equal(p.length, 1);
    assert.equal(p[0].key, "meshlift:cutover.healthCheck");
    assert.match(p[0].message, /public internet.*istio\.gateway\.scheme "internal"/);
    const ok = parseConfig("t", { ...base, "meshlift:istio.gateway.scheme": "internal" });
    assert.equal(ok.cutover.healthCheck, false, "internal gateway without a health check is fine");
  });
});
