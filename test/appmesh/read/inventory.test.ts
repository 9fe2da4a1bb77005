// The reader takes the same Kubernetes object given twice (several per-namespace exports read together) as one.
import * as assert from "node:assert/strict";
import { convert } from "../../../appmesh";

const MESH = `apiVersion: appmesh.k8s.aws/v1beta2
kind: Mesh
metadata:
  name: shared
spec:
  namespaceSelector:
    matchLabels:
      mesh: shared
  egressFilter:
    type: DROP_ALL
`;
const node = (ns: string) => `apiVersion: appmesh.k8s.aws/v1beta2
kind: VirtualNode
metadata:
  name: app
  namespace: ${ns}
spec:
  podSelector:
    matchLabels:
      app: app
  listeners:
    - portMapping:
        port: 8080
        protocol: http
  serviceDiscovery:
    dns:
      hostname: app.${ns}.svc.cluster.local
`;
const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: app
  namespace: shop
spec:
  selector:
    app: app
  ports:
    - port: 8080
      name: http
`;

function withoutOrigin(findings: ReturnType<typeof convert>["findings"]) {
  return findings.map(({ severity, source, field, reason }) => ({
    severity,
    source,
    field,
    reason,
  }));
}

describe("appmesh reader: identical documents", () => {
  it("reads a Mesh and a Service repeated across files once, so the result equals the files merged", () => {
    const split = convert([
      { path: "shop.yaml", content: [MESH, node("shop"), SERVICE].join("---\n") },
      { path: "pay.yaml", content: [MESH, node("pay"), SERVICE].join("---\n") },
    ]);
    const merged = convert([
      { path: "all.yaml", content: [MESH, node("shop"), SERVICE, node("pay")].join("---\n") },
    ]);
    assert.deepEqual(split.objects, merged.objects);
    assert.deepEqual(withoutOrigin(split.findings), withoutOrigin(merged.findings));
    assert.equal(split.findings.filter((f) => f.source === "Mesh shared").length, 2);
  });

  it("reports two different documents of the same name instead of merging them (the first is converted)", () => {
    const other = MESH.replace("DROP_ALL", "ALLOW_ALL");
    const r = convert([{ path: "a.yaml", content: [MESH, other].join("---\n") }]);
    assert.ok(
      r.findings.some(
        (f) =>
          f.severity === "blocker" &&
          f.source === "Mesh shared" &&
          /defined twice with different content/.test(f.reason),
      ),
    );
    assert.ok(r.findings.some((f) => f.source === "Mesh shared" && /DROP_ALL/.test(f.reason)));
  });
});
