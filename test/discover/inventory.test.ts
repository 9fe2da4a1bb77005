// inventory.json from a snapshot: counts per namespace and kind, labels, webhooks, ambient facts, and the precheck per export.
import * as assert from "node:assert/strict";
import { exportFile } from "../../discover/export";
import { buildInventory, exportPath } from "../../discover/inventory";
import { ClusterSnapshot, Wire } from "../../discover/model";
import { awsNodeDaemonSet, pod, snapshot } from "../support/discover-cluster";

const mesh: Wire = {
  apiVersion: "appmesh.k8s.aws/v1beta2",
  kind: "Mesh",
  metadata: { name: "shop-mesh" },
  spec: {
    namespaceSelector: { matchLabels: { mesh: "shop-mesh" } },
    egressFilter: { type: "DROP_ALL" },
  },
};
const node: Wire = {
  apiVersion: "appmesh.k8s.aws/v1beta2",
  kind: "VirtualNode",
  metadata: { name: "cart", namespace: "shop" },
  spec: {
    meshRef: { name: "shop-mesh" },
    podSelector: { matchLabels: { app: "cart" } },
    listeners: [{ portMapping: { port: 8080, protocol: "http" } }],
    serviceDiscovery: { dns: { hostname: "cart.shop.svc.cluster.local" } },
  },
};

function shop(extra: Partial<ClusterSnapshot> = {}): ClusterSnapshot {
  return snapshot({
    appmesh: [mesh, node],
    namespaces: [
      {
        metadata: {
          name: "shop",
          labels: { mesh: "shop-mesh", "appmesh.k8s.aws/sidecarInjectorWebhook": "enabled" },
        },
      },
    ],
    pods: [
      pod("shop", "cart-1", { envoy: true }),
      pod("shop", "cart-2", { envoy: true, phase: "Succeeded" }),
      pod("shop", "web-1", { fargate: "fp" }),
    ],
    meshed: ["shop"],
    reads: { shop: { services: [{ metadata: { name: "cart", namespace: "shop" } }] } },
    ...extra,
  });
}

function inventoryOf(s: ClusterSnapshot) {
  const exports = new Map(s.meshed.map((ns) => [ns, exportFile(s, ns, { generatedAt: "t" })]));
  return buildInventory(s, exports, "2026-12-02T00:00:00.000Z");
}

describe("discover inventory", () => {
  it("names each namespace's export file under exports/", () => {
    assert.equal(exportPath("shop"), "exports/shop.yaml");
  });

  it("counts objects per kind, live Envoy and Fargate pods, and reads the namespace's labels and meshes", () => {
    const inv = inventoryOf(shop());
    assert.deepEqual(inv.meshlift, { command: "discover", format: 1 });
    assert.equal(inv.generatedAt, "2026-12-02T00:00:00.000Z");
    assert.equal(inv.objects.Mesh, 1);
    assert.equal(inv.objects.VirtualNode, 1);
    assert.equal(inv.objects.GatewayRoute, 0);
    assert.deepEqual(inv.meshes, [
      { name: "shop-mesh", namespaces: ["shop"], egressFilter: "DROP_ALL" },
    ]);
    const [ns] = inv.namespaces;
    assert.equal(ns.name, "shop");
    assert.equal(ns.export, "exports/shop.yaml");
    assert.equal(ns.reserved, false);
    assert.deepEqual(ns.labels, { appmesh: "enabled", mesh: "shop-mesh" });
    assert.deepEqual(ns.meshes, ["shop-mesh"]);
    assert.equal(ns.services, 1);
    assert.equal(ns.envoyPods, 1, "a Succeeded pod restarts nothing");
    assert.equal(ns.fargatePods, 1);
    assert.equal(inv.envoyPods, 1);
    assert.equal(inv.ambient.fargatePods, 1);
    assert.deepEqual(inv.ambient.awsNode, { present: false });
    assert.equal(inv.appmesh.apiVersion, "appmesh.k8s.aws/v1beta2");
    assert.equal(inv.blockers.total, ns.precheck.blocker);
    assert.deepEqual(inv.blockers.byNamespace, { shop: ns.precheck.blocker });
  });

  it("keeps App Mesh and Istio webhooks, with their services and failure policies, and drops others", () => {
    const hook = (name: string, svcNs: string): Wire => ({
      kind: "MutatingWebhookConfiguration",
      metadata: { name },
      webhooks: [
        {
          name: `${name}.hook`,
          failurePolicy: "Fail",
          clientConfig: { service: { namespace: svcNs, name: "svc" } },
        },
      ],
    });
    const inv = inventoryOf(
      shop({
        webhooks: [
          hook("appmesh-inject", "appmesh-system"),
          hook("istio-sidecar-injector", "istio-system"),
          hook("cert-manager", "cm"),
        ],
      }),
    );
    assert.deepEqual(
      inv.webhooks.map((w) => [
        w.name,
        w.owner,
        w.webhooks[0].service,
        w.webhooks[0].failurePolicy,
      ]),
      [
        ["appmesh-inject", "appmesh", "appmesh-system/svc", "Fail"],
        ["istio-sidecar-injector", "istio", "istio-system/svc", "Fail"],
      ],
    );
  });

  it("reads aws-node's pod security group settings, and lists legacy objects", () => {
    const inv = inventoryOf(
      shop({
        awsNode: awsNodeDaemonSet([
          { name: "ENABLE_POD_ENI", value: "true" },
          { name: "OTHER", value: "x" },
        ]),
        legacy: [{ kind: "VirtualNode", metadata: { name: "old", namespace: "shop" } }],
        appmeshVersions: ["v1beta1"],
      }),
    );
    assert.deepEqual(inv.ambient.awsNode, { present: true, enablePodEni: "true" });
    assert.deepEqual(inv.appmesh.legacyObjects, ["VirtualNode shop/old"]);
    assert.equal(inv.appmesh.apiVersion, undefined);
    assert.equal(inv.namespaces[0].legacyObjects, 1);
  });

  it("makes an export the converter rejects one blocker of its namespace, naming the document", () => {
    const s = shop();
    const bad = new Map([["shop", { content: "kind: VirtualNode\n---\n: : :\n", docs: [] }]]);
    const inv = buildInventory(s, bad, "t");
    const [ns] = inv.namespaces;
    assert.equal(ns.precheck.blocker, 1);
    assert.match(ns.precheck.error ?? "", /^the converter rejects this export: /);
    assert.equal(ns.blockers[0].source, "export exports/shop.yaml");
    assert.equal(inv.blockers.total, 1);
  });
});
