// NamespaceMigration in the real program: labels, converted resources, restarts, per phase and state.
import * as assert from "node:assert/strict";
import { PlanDocument } from "../../plan/offline";
import { bothInjectors, RESTART_ANNOTATION } from "../../builders/namespace-migration";
import { Phase, PHASES } from "../../phases/phases";
import { planAt } from "../support/phases";
import { named, ofType } from "../support/plan";

const NAMESPACES = JSON.stringify({
  namespaces: [
    {
      name: "shop",
      state: "istio",
      appmeshExport: "stacks/appmesh-exports/dev/shop.yaml",
      restartToken: "7",
    },
    { name: "payments", state: "appmesh", deployments: ["ledger"] },
  ],
});
const PATCH = "kubernetes:core/v1:NamespacePatch";
const RESTART = "kubernetes:apps/v1:DeploymentPatch";
/** Converted resources register as CustomResources typed by their apiVersion and kind. */
const CR = "kubernetes:networking.istio.io/v1:VirtualService";

describe("NamespaceMigration", () => {
  const plans = new Map<Phase, PlanDocument>();
  before(async () => {
    for (const p of ["discovery", "parallel", "workloads", "cutover"] as const) {
      plans.set(p, await planAt(p, { set: { migration: NAMESPACES } }));
    }
  });
  const labelsOf = (doc: PlanDocument, name: string) =>
    (named(doc, `ns-${name}-labels`).inputs.metadata as { labels: Record<string, string> }).labels;

  it("keeps the injection labels when a namespace patch is deleted (retainOnDelete), in every phase", () => {
    for (const [p, doc] of plans) {
      for (const r of ofType(doc, PATCH)) {
        assert.equal(r.options.retainOnDelete, true, `${p}: ${r.name}`);
      }
    }
  });

  it("asserts today's App Mesh labels from discovery on, and restarts or converts nothing before workloads", () => {
    for (const p of ["discovery", "parallel"] as const) {
      const doc = plans.get(p)!;
      assert.equal(ofType(doc, PATCH).length, 2, p);
      assert.equal(labelsOf(doc, "shop")["appmesh.k8s.aws/sidecarInjectorWebhook"], "enabled");
      assert.equal(labelsOf(doc, "shop")["istio-injection"], "disabled");
      assert.equal(ofType(doc, RESTART).length + ofType(doc, CR).length, 0, p);
    }
  });

  it("never labels a namespace for both injectors", () => {
    for (const [p, doc] of plans) {
      for (const r of ofType(doc, PATCH)) {
        const labels = (r.inputs.metadata as { labels: Record<string, string> }).labels;
        assert.ok(!bothInjectors(labels), `${p} ${r.name}: ${JSON.stringify(labels)}`);
      }
    }
  });

  it("moves the istio namespace at workloads and leaves the appmesh one on App Mesh", () => {
    const w = plans.get("workloads")!;
    assert.equal(labelsOf(w, "shop")["istio-injection"], "enabled");
    assert.equal(labelsOf(w, "shop")["appmesh.k8s.aws/sidecarInjectorWebhook"], "disabled");
    assert.equal(labelsOf(w, "payments")["appmesh.k8s.aws/sidecarInjectorWebhook"], "enabled");
    assert.equal(labelsOf(w, "payments")["istio-injection"], "disabled");
    assert.deepEqual(labelsOf(plans.get("parallel")!, "shop"), labelsOf(w, "payments"));
  });

  it("creates the converted resources in the namespace, then restarts its Deployments after labels and routes", () => {
    const w = plans.get("workloads")!;
    const vs = named(w, "ns-shop-virtualservice-cart");
    assert.equal(vs.type, CR);
    assert.equal(vs.inputs.apiVersion, "networking.istio.io/v1");
    assert.equal((vs.inputs.metadata as { namespace: string }).namespace, "shop");
    assert.equal(ofType(plans.get("parallel")!, CR).length, 0);
    const restarts = ofType(w, RESTART);
    assert.deepEqual(restarts.map((r) => r.name).sort(), [
      "ns-shop-restart-cart",
      "ns-shop-restart-storefront",
    ]);
    for (const r of restarts) {
      const tpl = (
        r.inputs.spec as { template: { metadata: { annotations: Record<string, string> } } }
      ).template;
      assert.equal(tpl.metadata.annotations[RESTART_ANNOTATION], "istio-7");
      assert.ok(r.dependsOn.includes(named(w, "ns-shop-labels").urn), "labels first");
      assert.ok(r.dependsOn.includes(vs.urn), "routes first");
      assert.equal(r.provider, named(w, "cluster-k8s").urn);
    }
  });

  it("does not restart again when the phase moves on with the same token", () => {
    const a = ofType(plans.get("workloads")!, RESTART);
    const b = ofType(plans.get("cutover")!, RESTART);
    assert.deepEqual(
      a.map((r) => [r.urn, r.inputs]),
      b.map((r) => [r.urn, r.inputs]),
    );
  });

  it("rolls back by removing converted resources and restarts, and restoring the labels", () => {
    assert.ok(PHASES.includes("parallel"));
    const back = plans.get("parallel")!;
    assert.equal(ofType(back, RESTART).length, 0);
    assert.equal(ofType(back, CR).length, 0);
    assert.equal(labelsOf(back, "shop")["appmesh.k8s.aws/sidecarInjectorWebhook"], "enabled");
  });
});
