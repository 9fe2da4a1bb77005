// The per-request timeout App Mesh applied to a route: the route's own or 15 s, capped by the targets' listeners.
import * as assert from "node:assert/strict";
import {
  effectiveTimeout,
  servicePort,
  weightedNodes,
} from "../../../../appmesh/emitters/shared/timeouts";
import type { MeshNode, RouteTarget } from "../../../../appmesh/model/types";

const node = (source: string, perRequest?: { value: number; unit: "s" | "ms" }): MeshNode =>
  ({
    source,
    spec: {
      listeners: [
        {
          portMapping: { port: 8080, protocol: "http" },
          ...(perRequest ? { timeout: { http: { perRequest } } } : {}),
        },
      ],
    },
  }) as unknown as MeshNode;

describe("appmesh route timeouts", () => {
  it("counts only defined targets with weight", () => {
    const a = node("VirtualNode a");
    const targets = [
      { weight: 1, node: a },
      { weight: 0, node: node("VirtualNode zero") },
      { weight: 5 },
    ] as unknown as RouteTarget[];
    assert.deepEqual(weightedNodes(targets), [a]);
  });

  it("is App Mesh's 15 s by default, the route's own when set, and none when 0", () => {
    assert.deepEqual(effectiveTimeout(undefined, [], "http"), { ms: 15000, notes: [] });
    assert.equal(effectiveTimeout({ value: 5, unit: "s" }, [], "http").ms, 5000);
    const off = effectiveTimeout({ value: 0, unit: "s" }, [], "http");
    assert.equal(off.ms, undefined);
    assert.deepEqual(off.notes, [
      "perRequest timeout 0 disables it; Istio route left without timeout",
    ]);
  });

  it("folds a smaller listener timeout into the route and says so", () => {
    const r = effectiveTimeout(
      { value: 30, unit: "s" },
      [node("VirtualNode a", { value: 10, unit: "s" })],
      "http",
    );
    assert.equal(r.ms, 10000);
    assert.match(
      r.notes[0],
      /^listener timeout 10s of VirtualNode a has no Istio field; folded into this route/,
    );
  });

  it("says App Mesh cut a longer route at the 15 s listener default where no listener sets one", () => {
    const r = effectiveTimeout({ value: 60, unit: "s" }, [node("VirtualNode a")], "http");
    assert.equal(r.ms, 60000);
    assert.match(
      r.notes[0],
      /^VirtualNode a set no listener timeout, so App Mesh cut requests at its 15s listener default; Istio applies the route's 60s$/,
    );
  });

  it("finds the Service port whose targetPort is the container port, else the container port", () => {
    const t = { service: { ports: [{ port: 80, targetPort: 8080 }] } };
    assert.equal(servicePort(t, 8080), 80);
    assert.equal(servicePort(t, 9090), 9090);
    assert.equal(servicePort({}, 9090), 9090);
  });
});
