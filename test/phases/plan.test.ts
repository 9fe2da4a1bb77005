// planPhase, the phase table of the README row by row for the dev stack: what each phase does to namespace shop and record shop.dev.example.com, and how refused moves and bad configs come back.
import * as assert from "node:assert/strict";
import { ConfigError } from "../../config/errors";
import { TransitionError } from "../../phases/deployed";
import { PHASES } from "../../phases/phases";
import { planPhase } from "../../phases/plan";
import { devConfig, devPlan } from "../support/phase-plan";

const ISTIO = "istio-injection";
const APPMESH = "appmesh.k8s.aws/sidecarInjectorWebhook";

describe("planPhase", () => {
  const plans = Object.fromEntries(PHASES.map((p) => [p, devPlan(p)]));
  const shop = (p: string) => plans[p].namespaces.find((n) => n.name === "shop");
  const record = (p: string) => plans[p].dns.records[0];

  it("installs Istio from parallel on and turns mTLS STRICT only at decommission", () => {
    assert.deepEqual(
      PHASES.map((p) => [p, plans[p].istio.installed, plans[p].security.mtlsMode]),
      [
        ["discovery", false, "PERMISSIVE"],
        ["parallel", true, "PERMISSIVE"],
        ["workloads", true, "PERMISSIVE"],
        ["cutover", true, "PERMISSIVE"],
        ["decommission", true, "STRICT"],
      ],
    );
  });

  it("keeps namespace shop on App Mesh until workloads, then injects Istio and restarts it", () => {
    for (const p of ["discovery", "parallel"]) {
      assert.deepEqual(shop(p)?.labels, { [APPMESH]: "enabled", [ISTIO]: "disabled" }, p);
      assert.equal(shop(p)?.dataplane, "appmesh");
      assert.equal(shop(p)?.restart, undefined);
      assert.equal(shop(p)?.convertedResources, false);
      assert.equal(shop(p)?.onIstio, false);
    }
    for (const p of ["workloads", "cutover"]) {
      assert.deepEqual(shop(p)?.labels, { [ISTIO]: "enabled", [APPMESH]: "disabled" }, p);
      assert.equal(shop(p)?.dataplane, "sidecar");
      assert.deepEqual(shop(p)?.restart, { "meshlift.io/sidecar-restart": "istio-1" });
      assert.equal(shop(p)?.convertedResources, true);
      assert.equal(shop(p)?.onIstio, true);
    }
    // Decommission drops the App Mesh label altogether.
    assert.deepEqual(shop("decommission")?.labels, { [ISTIO]: "enabled" });
  });

  it("weights record shop.dev.example.com per phase: App Mesh alone, Istio at 0, the configured share, Istio alone", () => {
    assert.deepEqual(
      PHASES.map((p) => [p, record(p).appmesh?.weight, record(p).istio?.weight]),
      [
        ["discovery", 100, undefined],
        ["parallel", 100, 0],
        ["workloads", 100, 0],
        ["cutover", 90, 10],
        ["decommission", undefined, 100],
      ],
    );
    // The adopted App Mesh record is kept on delete while it carries weight.
    assert.equal(record("cutover").appmesh?.retainOnDelete, true);
    assert.equal(plans.cutover.dns.shiftable, true);
    assert.equal(plans.workloads.dns.shiftable, false);
  });

  it("pre-pulls the proxy image only in the phase before the restarts, and lists App Mesh's cleanup at decommission", () => {
    assert.deepEqual(
      PHASES.filter((p) => plans[p].prePull),
      ["parallel"],
    );
    assert.equal(plans.parallel.prePull?.image.startsWith("docker.io/istio/proxyv2:"), true);
    assert.equal(plans.cutover.appmesh.manualCleanup, undefined);
    assert.equal(plans.decommission.appmesh.removed, true);
    assert.ok(plans.decommission.appmesh.manualCleanup?.some((l) => /kubectl delete/.test(l)));
  });

  it("says what going back and going forward change, with no rollback first and no advance last", () => {
    assert.equal(plans.discovery.rollback, undefined);
    assert.equal(plans.decommission.advance, undefined);
    assert.equal(plans.workloads.rollback?.to, "parallel");
    assert.deepEqual(plans.workloads.rollback?.restartedNamespaces, ["shop", "payments"]);
    assert.equal(plans.cutover.rollback?.trafficFirst, true);
    assert.deepEqual(plans.workloads.advance?.changes, [
      { kind: "update", what: "shop.dev.example.com: appmesh record weight 100 -> 90" },
      { kind: "update", what: "shop.dev.example.com: istio record weight 0 -> 10" },
    ]);
    assert.equal(plans.workloads.advance?.shiftsTraffic, true);
    assert.equal(plans.cutover.advance?.removesAppMesh, true);
    assert.deepEqual(plans.decommission.removes, [
      { kind: "remove", what: "namespace shop: label appmesh.k8s.aws/sidecarInjectorWebhook" },
      { kind: "remove", what: "namespace payments: label appmesh.k8s.aws/sidecarInjectorWebhook" },
      { kind: "remove", what: "shop.dev.example.com: appmesh record" },
    ]);
  });

  it("reports a refused move in the plan instead of throwing it", () => {
    const p = devPlan("workloads", {}, { known: true, outputs: { phase: "discovery" } });
    assert.ok(p.refused instanceof TransitionError);
    assert.match(p.refused.message, /the next step is "parallel"/);
    assert.equal(p.guard.summary, p.refused.message);
    // The rest of the plan is still there for the CLI and the service to show.
    assert.equal(p.namespaces.length, 2);
    const ok = devPlan("workloads", {}, { known: true, outputs: { phase: "parallel" } });
    assert.equal(ok.refused, undefined);
    assert.equal(ok.guard.summary, "advance: parallel -> workloads");
    assert.equal(ok.position.deployed, "parallel");
  });

  it("refuses, as a ConfigError naming the key, a namespace still on App Mesh where App Mesh is removed", () => {
    const c = devConfig("cutover", {
      migration: JSON.stringify({ namespaces: [{ name: "shop", state: "appmesh" }] }),
    });
    assert.deepEqual(planPhase(c, { known: false, reason: "t" }).advance?.blockedBy.length, 1);
    assert.throws(
      () => planPhase({ ...c, phase: "decommission" }, { known: false, reason: "t" }),
      (e: unknown) => e instanceof ConfigError && /meshlift:migration\.namespaces/.test(e.message),
    );
  });
});
