// Tests what discover keeps of a pod and a node: the fields its reports read, never an env value.
import * as assert from "node:assert/strict";
import { Wire } from "../../discover/model";
import { slimNode, slimPod, wire } from "../../discover/slim";

describe("discover slim objects", () => {
  it("keeps a pod's names, owners, images and env names, and drops env values and everything else", () => {
    const pod = slimPod({
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        name: "p",
        namespace: "shop",
        labels: { app: "a" },
        uid: "u",
        ownerReferences: [],
      },
      spec: {
        nodeName: "n1",
        containers: [
          { name: "envoy", image: "envoy:1", env: [{ name: "TOKEN", value: "s3cr3t" }] },
        ],
        volumes: [{ name: "v" }],
      },
      status: { phase: "Running", podIP: "10.0.0.1" },
    });
    assert.deepEqual(pod, {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "p", namespace: "shop", labels: { app: "a" }, ownerReferences: [] },
      spec: {
        nodeName: "n1",
        containers: [{ name: "envoy", image: "envoy:1", env: [{ name: "TOKEN" }] }],
        initContainers: [],
      },
      status: { phase: "Running" },
    });
    assert.ok(!JSON.stringify(pod).includes("s3cr3t"));
  });

  it("survives a pod or node of the wrong shape", () => {
    const pod = slimPod(
      JSON.parse('{"apiVersion":"v1","kind":"Pod","spec":"nope","metadata":7}') as Wire,
    );
    assert.deepEqual(pod.spec, { containers: [], initContainers: [] });
    const node = slimNode({ apiVersion: "v1", kind: "Node", metadata: { name: "n" } });
    assert.deepEqual(node.spec, { unschedulable: undefined, taints: undefined });
  });

  it("turns a typed client object back into the JSON the API server sent", () => {
    const w = wire(
      { metadata: { creationTimestamp: new Date("2026-01-01T00:00:00Z") } },
      "v1",
      "Node",
    );
    assert.deepEqual(w, {
      apiVersion: "v1",
      kind: "Node",
      metadata: { creationTimestamp: "2026-01-01T00:00:00.000Z" },
    });
  });
});
