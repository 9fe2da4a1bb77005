// Tests the shared Kubernetes-name and quantity pieces every config section builds on.
import * as assert from "node:assert/strict";
import { isDnsLabel } from "../../../appmesh/names";
import { cpuQuantity, dnsLabel, memoryQuantity } from "../../../config/sections/k8s-common";

describe("isDnsLabel", () => {
  it("accepts lower-case names of 1 to 63 characters that start and end with a letter or digit", () => {
    for (const ok of ["a", "0", "istio-system", "a-b-c", "x".repeat(63)]) {
      assert.ok(isDnsLabel(ok), ok);
    }
  });

  it("refuses upper case, edges of -, dots, unicode, empty and 64 characters", () => {
    for (const bad of ["", "A", "-a", "a-", "a.b", "a_b", "ünï", "x".repeat(64), "__proto__"]) {
      assert.ok(!isDnsLabel(bad), bad);
    }
  });

  it("is the rule the zod piece applies, with one message naming what is allowed", () => {
    assert.equal(dnsLabel.parse("team-a"), "team-a");
    const r = dnsLabel.safeParse("Team_A");
    assert.ok(!r.success);
    assert.match(r.error.issues[0].message, /lower-case letters, digits and -, at most 63/);
  });
});

describe("quantities", () => {
  it("takes CPU and memory as the chart schemas want them: strings with units", () => {
    assert.equal(cpuQuantity.parse("500m"), "500m");
    assert.equal(memoryQuantity.parse("2Gi"), "2Gi");
    assert.ok(!cpuQuantity.safeParse(2).success);
    assert.ok(!memoryQuantity.safeParse("2GB").success);
  });
});
