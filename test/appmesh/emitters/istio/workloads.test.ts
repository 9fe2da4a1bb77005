// A VirtualNode's server side in sidecar mode: its Sidecar (backends, inbound pool, REGISTRY_ONLY), or a finding without pod labels.
import * as assert from "node:assert/strict";
import { readModel } from "../../../../appmesh/convert";
import { nodeServerSide } from "../../../../appmesh/emitters/istio/workloads";
import { EmitContext } from "../../../../appmesh/emitters/shared/context";
import { DestinationRules } from "../../../../appmesh/emitters/shared/destination-rules";

const MESH = `apiVersion: appmesh.k8s.aws/v1beta2
kind: Mesh
metadata: {name: m}
spec: {egressFilter: {type: DROP_ALL}}
---
`;
const node = (name: string, selector: string) => `apiVersion: appmesh.k8s.aws/v1beta2
kind: VirtualNode
metadata: {name: ${name}, namespace: shop}
spec:
  meshRef: {name: m, uid: "1"}
  ${selector}
  listeners:
    - portMapping: {port: 8080, protocol: http}
      connectionPool: {http: {maxConnections: 10}}
  serviceDiscovery: {dns: {hostname: ${name}.shop.svc.cluster.local}}
`;

describe("istio workloads: a node's server side", () => {
  it("gives a labelled node a Sidecar with its inbound pool and REGISTRY_ONLY under DROP_ALL", () => {
    const m = readModel([
      { path: "a.yaml", content: MESH + node("cart", "podSelector: {matchLabels: {app: cart}}") },
    ]);
    const ctx = new EmitContext(m, ["Sidecar"]);
    const cart = m.lookup.node("shop", "cart");
    assert.ok(cart);
    nodeServerSide(ctx, new DestinationRules(), cart);
    const sidecar = ctx.objects.get("Sidecar", "shop", "cart");
    assert.deepEqual(sidecar?.spec, {
      workloadSelector: { labels: { app: "cart" } },
      inboundConnectionPool: { tcp: { maxConnections: 10 } },
      outboundTrafficPolicy: { mode: "REGISTRY_ONLY" },
    });
    assert.ok(
      ctx.findings.some((f) => /-> Sidecar inboundConnectionPool \(server side/.test(f.reason)),
    );
  });

  it("writes nothing for a node without pod labels, and says what it could not convert", () => {
    const m = readModel([{ path: "a.yaml", content: MESH + node("web", "") }]);
    const ctx = new EmitContext(m, ["Sidecar"]);
    const web = m.lookup.node("shop", "web");
    assert.ok(web);
    nodeServerSide(ctx, new DestinationRules(), web);
    assert.equal(ctx.objects.sorted().length, 0);
    assert.ok(
      ctx.findings.some(
        (f) =>
          f.source === "VirtualNode shop/web" &&
          f.field === "spec.podSelector" &&
          f.reason ===
            "no podSelector labels: connectionPool (Sidecar) not converted; they need a workload selector",
      ),
    );
  });
});
