// Policies shared by the Istio and ambient emitters: connection pools, external hosts as ServiceEntries, outlier detection.
import * as assert from "node:assert/strict";
import { readModel } from "../../../../appmesh/convert";
import { EmitContext } from "../../../../appmesh/emitters/shared/context";
import { DestinationRules } from "../../../../appmesh/emitters/shared/destination-rules";
import {
  connectionPool,
  outlierDetection,
  serviceEntry,
} from "../../../../appmesh/emitters/shared/policies";
import type { MeshNode } from "../../../../appmesh/model/types";

const EXTERNAL = `apiVersion: appmesh.k8s.aws/v1beta2
kind: VirtualNode
metadata: {name: payments-api, namespace: shop}
spec:
  serviceDiscovery: {dns: {hostname: api.payments.example.com}}
---
apiVersion: appmesh.k8s.aws/v1beta2
kind: VirtualNode
metadata: {name: cart, namespace: shop}
spec:
  podSelector: {matchLabels: {app: cart}}
  listeners:
    - portMapping: {port: 8080, protocol: http}
      outlierDetection:
        maxServerErrors: 5
        maxEjectionPercent: 50
        interval: {value: 10, unit: s}
        baseEjectionDuration: {value: 0, unit: s}
  serviceDiscovery: {dns: {hostname: cart.shop.svc.cluster.local}}
`;

describe("appmesh shared policies", () => {
  it("maps listener connection pools to Istio's, and nothing when nothing maps", () => {
    assert.deepEqual(connectionPool({ http: { maxConnections: 100, maxPendingRequests: 10 } }), {
      tcp: { maxConnections: 100 },
      http: { http1MaxPendingRequests: 10 },
    });
    assert.deepEqual(connectionPool({ grpc: { maxRequests: 50 } }), {
      http: { http2MaxRequests: 50 },
    });
    assert.deepEqual(connectionPool({ tcp: { maxConnections: 7 } }), {
      tcp: { maxConnections: 7 },
    });
    assert.equal(connectionPool({}), undefined);
  });

  const model = () => readModel([{ path: "ext.yaml", content: EXTERNAL }]);
  const node = (m: ReturnType<typeof model>, name: string): MeshNode => {
    const n = m.lookup.node("shop", name);
    assert.ok(n, name);
    return n;
  };

  it("turns an external DNS node into a MESH_EXTERNAL ServiceEntry, assuming 443/TLS without listeners", () => {
    const m = model();
    const ctx = new EmitContext(m, ["ServiceEntry"]);
    serviceEntry(ctx, node(m, "payments-api"));
    const [se] = ctx.objects.sorted();
    assert.deepEqual(se.spec, {
      hosts: ["api.payments.example.com"],
      ports: [{ number: 443, name: "tls-443", protocol: "TLS" }],
      location: "MESH_EXTERNAL",
      resolution: "DNS",
    });
    assert.ok(
      ctx.findings.some((f) => f.severity === "warning" && /port 443\/TLS assumed/.test(f.reason)),
    );
  });

  it("puts listener outlier detection on the host's DestinationRule, raising a 0 duration to 1ms", () => {
    const m = model();
    const ctx = new EmitContext(m, ["DestinationRule"]);
    const drs = new DestinationRules();
    const cart = node(m, "cart");
    outlierDetection(ctx, drs, cart, cart.target, "enforced by callers");
    assert.deepEqual(drs.of(cart.target).trafficPolicy, {
      outlierDetection: {
        consecutive5xxErrors: 5,
        interval: "10s",
        baseEjectionTime: "1ms",
        maxEjectionPercent: 50,
      },
    });
    assert.ok(ctx.findings.some((f) => /below Istio's 1ms minimum; 1ms used/.test(f.reason)));
    assert.ok(
      ctx.findings.some(
        (f) => f.reason === "-> DestinationRule shop/cart outlierDetection (enforced by callers)",
      ),
    );
  });
});
