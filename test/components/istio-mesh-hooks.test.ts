// Tests the IstioMesh hooks another component plugs into: things istiod waits for, and extra istiod values.
import * as assert from "node:assert/strict";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { offlineMocks } from "../../plan/mocks";
import { RecordedResource, RecordingMonitor } from "../../plan/recorder";
import { IstioMesh } from "../../components/istio-mesh";
import { istioSchema } from "../../config/sections/istio";
import { loadKeys, unknownKeys } from "../support/chart-keys";

/** Runs a small program under the recording monitor and returns what it registered. */
async function record(program: () => void): Promise<RecordedResource[]> {
  const monitor = new RecordingMonitor(offlineMocks);
  pulumi.runtime.setMockOptions(monitor, "meshlift", "hooks", true);
  pulumi.runtime.setAllConfig({}, []);
  await pulumi.runtime.runInPulumiStack(async () => {
    program();
    return {};
  });
  await pulumi.runtime.disconnect();
  return monitor.recorded;
}

describe("IstioMesh hooks", () => {
  let recorded: RecordedResource[];
  const multiCluster = {
    global: { meshID: "mesh1", multiCluster: { clusterName: "east" }, network: "net1" },
  };

  before(async () => {
    recorded = await record(() => {
      const provider = new k8s.Provider("k8s", { kubeconfig: "{}" });
      const systemNamespace = new k8s.core.v1.Namespace(
        "istio-system",
        { metadata: { name: "istio-system" } },
        { provider },
      );
      const cacerts = new k8s.core.v1.Secret(
        "cacerts",
        { metadata: { name: "cacerts", namespace: "istio-system" } },
        { provider },
      );
      new IstioMesh(
        "istio",
        {
          istio: istioSchema.parse({}),
          dedicatedGatewayNodes: true,
          systemNamespace,
          dependsOn: { istiod: [cacerts] },
          istiodValues: multiCluster,
        },
        { providers: [provider] },
      );
    });
  });

  const find = (name: string) => {
    const r = recorded.find((x) => x.name === name);
    assert.ok(r, `no ${name}; have ${recorded.map((x) => x.name).join(", ")}`);
    return r;
  };

  it("installs istiod only after what dependsOn.istiod names (a cacerts Secret)", () => {
    assert.ok(find("istio-istiod").dependsOn.includes(find("cacerts").urn));
    assert.ok(!find("istio-base").dependsOn.includes(find("cacerts").urn));
  });

  it("deep-merges istiodValues into istiod's own values, keeping both", () => {
    const v = find("istio-istiod").inputs.values as {
      global: Record<string, unknown>;
      autoscaleMin: number;
    };
    assert.equal(v.global.meshID, "mesh1");
    assert.deepEqual(v.global.multiCluster, { clusterName: "east" });
    assert.equal(v.global.network, "net1");
    assert.ok(v.global.proxy, "istiod's own global.proxy survives the merge");
    assert.equal(v.autoscaleMin, 2);
    assert.deepEqual(unknownKeys(v, loadKeys("istiod")), []);
  });

  it("gives every child the provider it was handed and the mesh as parent", () => {
    const provider = find("k8s").urn;
    const mesh = find("istio").urn;
    for (const r of recorded.filter((x) => x.parent === mesh)) {
      assert.equal(r.provider, provider, r.name);
    }
    assert.ok(recorded.filter((x) => x.parent === mesh).length >= 5);
  });

  it("installs base and cni into the istio-system namespace it is handed", () => {
    const ns = find("istio-system").urn;
    assert.ok(find("istio-base").dependsOn.includes(ns));
    assert.ok(find("istio-cni").dependsOn.includes(ns));
  });
});
