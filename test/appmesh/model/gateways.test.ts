// VirtualGateways and their GatewayRoutes resolved: selectors, listener findings, routes grouped by gateway and hostnames.
import * as assert from "node:assert/strict";
import { readModel } from "../../../appmesh/convert";
import { fixture } from "../helpers";

const NO_LISTENERS = `apiVersion: appmesh.k8s.aws/v1beta2
kind: VirtualGateway
metadata: {name: bare, namespace: store}
spec:
  podSelector: {matchLabels: {app: bare}}
`;

describe("appmesh model gateways", () => {
  it("resolves the gateway with its pod selector, and groups its routes in App Mesh's order", () => {
    const m = readModel([fixture("gateway.yaml")]);
    assert.deepEqual(
      m.gateways.map((g) => [g.namespace, g.name, g.selector]),
      [["store", "edge", { app: "edge-gw" }]],
    );
    // Routes without a hostname match bind to every host; priority 1 goes before the routes without priority.
    assert.deepEqual(
      m.gatewayGroups.map((g) => [g.hosts, g.routes.map((r) => r.name)]),
      [
        [["*"], ["api-v2-keep-path", "legacy", "api-default"]],
        [["admin.example.com"], ["admin-host"]],
      ],
    );
    for (const g of m.gatewayGroups) assert.equal(g.gateway.name, "edge");
    const api = m.gatewayGroups.flatMap((g) => g.routes).find((r) => r.name === "api-default");
    assert.equal(api?.host, "catalog.store.svc.cluster.local");
    assert.equal(api?.type, "httpRoute");
  });

  it("says a gateway without listeners gets no Gateway", () => {
    const m = readModel([{ path: "g.yaml", content: NO_LISTENERS }]);
    assert.ok(
      m.findings.some(
        (f) =>
          f.source === "VirtualGateway store/bare" &&
          f.field === "spec.listeners" &&
          f.reason === "no listeners; no Gateway emitted",
      ),
    );
  });
});
