// The proxy pre-pull DaemonSet: the pinned proxy image from the configured hub, restricted containers, valid against the Kubernetes schema.
import * as assert from "node:assert/strict";
import { prePullDaemonSet, proxyImage } from "../../builders/proxy-prepull";

async function validateDaemonSet(o: unknown): Promise<void> {
  const { DaemonSet } = await import("kubernetes-models/apps/v1/DaemonSet");
  new DaemonSet(o as ConstructorParameters<typeof DaemonSet>[0]).validate();
}

describe("proxy pre-pull DaemonSet", () => {
  it("builds a restricted, valid DaemonSet for any hub", async () => {
    const ds = prePullDaemonSet("docker.io/istio", "1.30.3");
    assert.equal(proxyImage("docker.io/istio", "1.30.3"), "docker.io/istio/proxyv2:1.30.3");
    for (const c of [
      ...ds.spec.template.spec.initContainers,
      ...ds.spec.template.spec.containers,
    ]) {
      assert.equal(c.securityContext.runAsNonRoot, true);
      assert.equal(c.securityContext.allowPrivilegeEscalation, false);
      assert.deepEqual(c.securityContext.capabilities.drop, ["ALL"]);
    }
    await validateDaemonSet(ds);
  });
});
