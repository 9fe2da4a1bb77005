// The pod checks of verify: which problem a pod has for a namespace's data-plane mode (the command is tested in test/cli/commands/verify.test.ts).
import * as assert from "node:assert/strict";
import { podProblem, verifyPods } from "../../discover/verify";
import { pod } from "../support/verify-pods";

describe("verifyPods", () => {
  it("checks only for the App Mesh Envoy in ambient mode", () => {
    const pods = new Map([["shop", [pod("shop", "a"), pod("shop", "b", { envoy: true })]]]);
    const r = verifyPods([{ name: "shop", mode: "ambient" }], pods);
    assert.deepEqual(
      r.findings.map((f) => `${f.pod} ${f.problem}`),
      ["b appmesh-envoy"],
    );
    assert.equal(podProblem(pod("shop", "c"), "sidecar")?.problem, "no-istio-proxy");
  });
});
