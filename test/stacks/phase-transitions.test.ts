// The migration's safety guarantees, table-driven over every adjacent pair of phases in both directions.
import * as assert from "node:assert/strict";
import { PlanDocument } from "../../plan/offline";
import { countChanges, diffPlans, protectedChanges, PROTECTED_RESOURCES } from "../../plan/diff";
import { SET_IDENTIFIERS } from "../../builders/route53-cutover";
import { Phase, PHASES, PHASE_SPECS } from "../../phases/phases";
import { planAt } from "../support/phases";
import { ofType } from "../support/plan";

/** The dev stack with everything the phases touch: two records (zone by id and by name), a health check, the adopted controller. */
const SET: Record<string, string> = {
  cutover: JSON.stringify({
    istioWeight: 30,
    healthCheck: true,
    records: [
      {
        name: "shop.dev.example.com",
        zoneName: "dev.example.com",
        appmesh: { dnsName: "appmesh-in.elb.eu-west-1.amazonaws.com", zoneId: "Z2IFOLAFXWLO4F" },
      },
      {
        name: "api.dev.example.com",
        zoneId: "Z0123456789ABCDEFGHIJ",
        appmesh: { dnsName: "appmesh-in.elb.eu-west-1.amazonaws.com", zoneId: "Z2IFOLAFXWLO4F" },
      },
    ],
  }),
  appmesh: JSON.stringify({ controller: { version: "1.13.1" } }),
  // The prod example keeps the controller its cluster runs; installed here, its guarantees are checked too.
  "istio.lbController.install": "true",
};

/** Plans per stack and phase, computed once for the whole file (each plan runs the real program). */
const cache = new Map<string, Promise<Map<Phase, PlanDocument>>>();
function plansFor(stack: "dev" | "prod"): Promise<Map<Phase, PlanDocument>> {
  let p = cache.get(stack);
  if (!p) {
    p = (async () => {
      const m = new Map<Phase, PlanDocument>();
      for (const ph of PHASES) m.set(ph, await planAt(ph, { stack, set: SET }));
      return m;
    })();
    cache.set(stack, p);
  }
  return p;
}

const PAIRS: [Phase, Phase][] = PHASES.slice(1).flatMap((p, i): [Phase, Phase][] => [
  [PHASES[i], p],
  [p, PHASES[i]],
]);

const RECORD = "aws:route53/record:Record";
const weightOf = (doc: PlanDocument, setId: string) =>
  ofType(doc, RECORD)
    .filter((r) => r.inputs.setIdentifier === setId)
    .map((r) => (r.inputs.weightedRoutingPolicies as { weight: number }[])[0].weight);

for (const stack of ["dev", "prod"] as const) {
  describe(`phase transitions (${stack} stack)`, () => {
    let plans = new Map<Phase, PlanDocument>();
    before(async () => {
      plans = await plansFor(stack);
    });

    for (const [from, to] of PAIRS) {
      it(`${from} -> ${to}: no replacement, no deletion of the cluster, node groups, LB controller or istiod`, () => {
        const a = plans.get(from)!;
        const b = plans.get(to)!;
        const d = diffPlans(a, b);
        const bad = protectedChanges(d, a, b, { targetHasIstio: PHASE_SPECS[to].istioInstalled });
        assert.deepEqual(
          bad.map((v) => `${v.change.kind} ${v.what} ${v.change.name}`),
          [],
        );
        assert.equal(
          countChanges(d).replace,
          0,
          JSON.stringify(d.changes.filter((c) => c.kind === "replace")),
        );
      });
    }

    it("checks real resources: the guarded kinds are all in the plan once Istio is installed", () => {
      const doc = plans.get("workloads")!;
      for (const p of PROTECTED_RESOURCES) {
        // An adopted cluster registers no cluster or node group: meshlift never touches them.
        if (stack === "prod" && !p.istioPart) continue;
        assert.ok(doc.resources.some(p.matches), `${stack}: ${p.what} is in the plan`);
      }
    });

    it("keeps the cluster and node groups in every phase", () => {
      const clusters = PHASES.map((p) => ofType(plans.get(p)!, "eks:index:Cluster").length);
      assert.deepEqual(new Set(clusters).size, 1);
    });
  });
}

describe("DNS across the phases (dev stack)", () => {
  let plans = new Map<Phase, PlanDocument>();
  before(async () => {
    plans = await plansFor("dev");
  });

  it("weights sum to 100 per hostname in every phase", () => {
    for (const p of PHASES) {
      const doc = plans.get(p)!;
      const byName = new Map<string, number>();
      for (const r of ofType(doc, RECORD)) {
        const w = (r.inputs.weightedRoutingPolicies as { weight: number }[])[0].weight;
        byName.set(String(r.inputs.name), (byName.get(String(r.inputs.name)) ?? 0) + w);
      }
      assert.equal(byName.size, 2, `${p}: both hostnames have records`);
      for (const [name, sum] of byName) assert.equal(sum, 100, `${p} ${name}`);
    }
  });

  it("creates the Istio record at weight 0 in parallel and only updates it up to cutover", () => {
    assert.deepEqual(weightOf(plans.get("parallel")!, SET_IDENTIFIERS.istio), [0, 0]);
    assert.deepEqual(weightOf(plans.get("cutover")!, SET_IDENTIFIERS.istio), [30, 30]);
    assert.deepEqual(weightOf(plans.get("cutover")!, SET_IDENTIFIERS.appmesh), [70, 70]);
    for (const [from, to] of [
      ["parallel", "workloads"],
      ["workloads", "cutover"],
      ["cutover", "workloads"],
      ["workloads", "parallel"],
    ] as [Phase, Phase][]) {
      const d = diffPlans(plans.get(from)!, plans.get(to)!);
      const records = d.changes.filter((c) => c.type === RECORD || c.type.includes("healthCheck"));
      assert.ok(
        records.every((c) => c.kind === "update"),
        `${from} -> ${to}: ${records.map((c) => `${c.kind} ${c.name}`).join(", ")}`,
      );
    }
  });

  it("never deletes a namespace's label patch, so every rollback sets the labels back", () => {
    for (const [from, to] of PAIRS) {
      const d = diffPlans(plans.get(from)!, plans.get(to)!);
      const gone = d.changes.filter(
        (c) => c.type === "kubernetes:core/v1:NamespacePatch" && c.kind !== "update",
      );
      assert.deepEqual(gone, [], `${from} -> ${to}`);
    }
  });

  it("never deletes the App Mesh record except at decommission, so no rollback drops today's traffic", () => {
    for (const [from, to] of PAIRS) {
      if (to === "decommission") continue;
      const d = diffPlans(plans.get(from)!, plans.get(to)!);
      const gone = d.changes.filter(
        (c) => c.type === RECORD && c.kind === "delete" && c.name.endsWith("-appmesh"),
      );
      assert.deepEqual(gone, [], `${from} -> ${to}`);
    }
    assert.deepEqual(weightOf(plans.get("discovery")!, SET_IDENTIFIERS.appmesh), [100, 100]);
    assert.deepEqual(weightOf(plans.get("discovery")!, SET_IDENTIFIERS.istio), []);
  });

  it("leaves the Istio record alone at 100 at decommission and removes the App Mesh record", () => {
    const doc = plans.get("decommission")!;
    assert.deepEqual(weightOf(doc, SET_IDENTIFIERS.istio), [100, 100]);
    assert.deepEqual(weightOf(doc, SET_IDENTIFIERS.appmesh), []);
    const d = diffPlans(plans.get("cutover")!, doc);
    assert.deepEqual(
      d.changes
        .filter((c) => c.type === RECORD && c.kind === "delete")
        .map((c) => c.name)
        .sort(),
      ["dns-api-dev-example-com-appmesh", "dns-shop-dev-example-com-appmesh"],
    );
  });

  it("works at istioWeight 0 and 100 in cutover", async () => {
    for (const w of [0, 100]) {
      const cutover = JSON.parse(SET.cutover) as Record<string, unknown>;
      const doc = await planAt("cutover", {
        set: { ...SET, cutover: JSON.stringify({ ...cutover, istioWeight: w }) },
      });
      assert.deepEqual(weightOf(doc, SET_IDENTIFIERS.istio), [w, w]);
      assert.deepEqual(weightOf(doc, SET_IDENTIFIERS.appmesh), [100 - w, 100 - w]);
    }
  });

  it("uninstalls the adopted App Mesh controller only at decommission, and rollback brings it back", () => {
    const release = (p: Phase) =>
      ofType(plans.get(p)!, "kubernetes:helm.sh/v3:Release").filter(
        (r) => r.inputs.chart === "appmesh-controller",
      );
    for (const p of ["discovery", "parallel", "workloads", "cutover"] as const)
      assert.equal(release(p).length, 1, p);
    assert.equal(release("decommission").length, 0);
    const back = diffPlans(plans.get("decommission")!, plans.get("cutover")!);
    assert.ok(
      back.changes.some((c) => c.kind === "create" && c.name === "appmesh-controller-release"),
    );
  });
});
