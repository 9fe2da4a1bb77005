// What an export keeps and drops: server state, cluster IPs, env values; documents in a stable order.
import * as assert from "node:assert/strict";
import { redactEnv, REDACTED, strip } from "../../discover/export";

describe("discover export", () => {
  it("strips status and server metadata, keeps labels, user annotations and a headless Service's clusterIP", () => {
    const out = strip({
      apiVersion: "v1",
      kind: "Service",
      metadata: {
        name: "s",
        namespace: "a",
        uid: "u",
        resourceVersion: "9",
        generation: 2,
        creationTimestamp: "2026-01-01T00:00:00Z",
        managedFields: [{}],
        ownerReferences: [{}],
        finalizers: ["x"],
        labels: { app: "s" },
        annotations: { "kubectl.kubernetes.io/last-applied-configuration": "{}", team: "pay" },
      },
      spec: { clusterIP: "None", clusterIPs: ["None"], ports: [{ port: 80 }] },
      status: { loadBalancer: {} },
    });
    assert.deepEqual(out, {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "s", namespace: "a", labels: { app: "s" }, annotations: { team: "pay" } },
      spec: { clusterIP: "None", clusterIPs: ["None"], ports: [{ port: 80 }] },
    });
    const assigned = strip({
      kind: "Service",
      metadata: { name: "t" },
      spec: { clusterIP: "10.0.0.1", clusterIPs: ["10.0.0.1"] },
    });
    assert.deepEqual(assigned.spec, {});
  });

  it("redacts container env values and keeps valueFrom references", () => {
    const d = redactEnv({
      kind: "Deployment",
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: "a",
                env: [
                  { name: "P", value: "secret" },
                  { name: "R", valueFrom: { secretKeyRef: { name: "s", key: "k" } } },
                ],
              },
            ],
            initContainers: [{ name: "i", env: [{ name: "Q", value: "x" }] }],
          },
        },
      },
    });
    assert.deepEqual(JSON.parse(JSON.stringify(d)).spec.template.spec, {
      containers: [
        {
          name: "a",
          env: [
            { name: "P", value: REDACTED },
            { name: "R", valueFrom: { secretKeyRef: { name: "s", key: "k" } } },
          ],
        },
      ],
      initContainers: [{ name: "i", env: [{ name: "Q", value: REDACTED }] }],
    });
  });
});
