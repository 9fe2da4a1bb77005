// Counts over converter input: App Mesh objects per kind (Lists opened), findings per severity.
import * as assert from "node:assert/strict";
import { countAppMeshObjects, summarize } from "../../appmesh";

describe("appmesh report counts", () => {
  it("counts App Mesh documents per kind, inside kubectl Lists too, and nothing else", () => {
    const vn = { apiVersion: "appmesh.k8s.aws/v1beta2", kind: "VirtualNode" };
    const counts = countAppMeshObjects([
      { apiVersion: "appmesh.k8s.aws/v1beta2", kind: "Mesh" },
      vn,
      { apiVersion: "v1", kind: "List", items: [vn, { apiVersion: "v1", kind: "Service" }] },
      { apiVersion: "appmesh.k8s.aws/v1beta2", kind: "NotAKind" },
      { apiVersion: "v1", kind: "VirtualNode" },
      null,
      "text",
      JSON.parse('{"apiVersion":"appmesh.k8s.aws/v1beta2","kind":"__proto__"}'),
    ]);
    assert.deepEqual(counts, {
      Mesh: 1,
      VirtualNode: 2,
      VirtualService: 0,
      VirtualRouter: 0,
      VirtualGateway: 0,
      GatewayRoute: 0,
      BackendGroup: 0,
    });
    assert.deepEqual(summarize([{ severity: "blocker", source: "s", field: "f", reason: "r" }]), {
      blocker: 1,
      warning: 0,
      info: 0,
    });
  });
});
