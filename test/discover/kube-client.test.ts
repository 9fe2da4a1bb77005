// The Kubernetes client, an ES module, loaded once from CommonJS.
import * as assert from "node:assert/strict";
import { kubeClient } from "../../discover/kube-client";

describe("kubeClient", () => {
  it("loads @kubernetes/client-node once and hands every caller the same module", async () => {
    const first = kubeClient();
    assert.equal(kubeClient(), first, "one import, however many callers");
    const k8s = await first;
    assert.equal(typeof k8s.KubeConfig, "function");
    assert.equal(typeof k8s.CoreV1Api, "function");
  });
});
