// What a move between two phases changes (the PhasePlan's removes, rollback and advance), compared part by part over the dev stack's plans.
import * as assert from "node:assert/strict";
import { changesBetween } from "../../phases/plan-changes";
import { devPlan } from "../support/phase-plan";

describe("changesBetween", () => {
  const discovery = devPlan("discovery");
  const parallel = devPlan("parallel");
  const cutover = devPlan("cutover");
  const decommission = devPlan("decommission");

  it("finds nothing between a phase and itself", () => {
    assert.deepEqual(changesBetween(cutover, cutover), []);
  });

  it("lists Istio, the Istio record and the pre-pull when Istio comes in, and the same removed going back", () => {
    const image = parallel.prePull?.image ?? "";
    assert.deepEqual(changesBetween(discovery, parallel), [
      { kind: "create", what: "Istio (LB controller, control plane, gateway)" },
      { kind: "create", what: "shop.dev.example.com: istio record (weight 0)" },
      { kind: "create", what: `proxy image pre-pull DaemonSet (${image})` },
    ]);
    assert.deepEqual(changesBetween(parallel, discovery), [
      { kind: "remove", what: "Istio (LB controller, control plane, gateway)" },
      { kind: "remove", what: "shop.dev.example.com: istio record" },
      { kind: "remove", what: `proxy image pre-pull DaemonSet (${image})` },
    ]);
  });

  it("lists mTLS, removed labels and records, and weight changes, in that order", () => {
    assert.deepEqual(changesBetween(cutover, decommission), [
      { kind: "update", what: "mesh mTLS PERMISSIVE -> STRICT" },
      { kind: "remove", what: "namespace shop: label appmesh.k8s.aws/sidecarInjectorWebhook" },
      { kind: "remove", what: "namespace payments: label appmesh.k8s.aws/sidecarInjectorWebhook" },
      { kind: "remove", what: "shop.dev.example.com: appmesh record" },
      { kind: "update", what: "shop.dev.example.com: istio record weight 10 -> 100" },
    ]);
    assert.deepEqual(changesBetween(decommission, cutover).slice(0, 2), [
      { kind: "update", what: "mesh mTLS STRICT -> PERMISSIVE" },
      {
        kind: "create",
        what: "namespace shop: label appmesh.k8s.aws/sidecarInjectorWebhook=disabled",
      },
    ]);
  });

  it("says what an ambient restart does, and names the App Mesh controller release", () => {
    const set = { "istio.mode": "ambient" };
    const restarts = changesBetween(devPlan("parallel", set), devPlan("workloads", set)).filter(
      (c) => c.what.includes("restart"),
    );
    assert.deepEqual(restarts[0], {
      kind: "create",
      what: "namespace shop: restart of its Deployments only to remove the App Mesh Envoy: ambient pods get no sidecar, ztunnel carries their traffic",
    });
    const withController = {
      ...cutover,
      appmesh: { ...cutover.appmesh, controllerRelease: true },
    };
    assert.deepEqual(changesBetween(withController, cutover), [
      { kind: "remove", what: "App Mesh controller release" },
    ]);
  });
});
