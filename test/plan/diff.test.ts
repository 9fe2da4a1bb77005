// Diffing two offline plans by URN: create, update, replace (documented inputs), delete, and the protected-resource check.
import * as assert from "node:assert/strict";
import {
  countChanges,
  diffPlans,
  protectedChanges,
  renderDiff,
  replaceKeysFor,
} from "../../plan/diff";
import { planDocument, planResource } from "../support/plan-document";

const res = planResource;
const doc = planDocument;
const REL = "kubernetes:helm.sh/v3:Release";
const REC = "aws:route53/record:Record";

describe("diffPlans", () => {
  it("classifies create, update, replace and delete by URN", () => {
    const a = doc("parallel", [
      res(REC, "istio", { setIdentifier: "istio", weightedRoutingPolicies: [{ weight: 0 }] }),
      res(REC, "old", { setIdentifier: "appmesh" }),
      res(REL, "istiod", {
        chart: "istiod",
        name: "istiod",
        namespace: "istio-system",
        values: { a: 1 },
      }),
      res("meshlift:x:Group", "group", {}),
      res("eks:index:Cluster", "c", { name: "c1" }),
    ]);
    const b = doc("cutover", [
      res(REC, "istio", { setIdentifier: "istio", weightedRoutingPolicies: [{ weight: 30 }] }),
      res(REL, "istiod", { chart: "istiod", name: "istiod", namespace: "istio", values: { a: 1 } }),
      res("meshlift:x:Group", "group", {}),
      res("eks:index:Cluster", "c", { name: "c1" }),
      res("kubernetes:core/v1:NamespacePatch", "ns", { metadata: { name: "shop" } }),
    ]);
    const d = diffPlans(a, b);
    const by = new Map(d.changes.map((c) => [c.name, c]));
    assert.equal(by.get("istio")?.kind, "update");
    assert.deepEqual(by.get("istio")?.changedInputs, ["weightedRoutingPolicies"]);
    assert.equal(by.get("istiod")?.kind, "replace");
    assert.deepEqual(by.get("istiod")?.replaceBecause, ["namespace"]);
    assert.equal(by.get("old")?.kind, "delete");
    assert.equal(by.get("ns")?.kind, "create");
    assert.equal(by.has("c"), false);
    assert.deepEqual(countChanges(d), { create: 1, update: 1, replace: 1, delete: 1 });
    assert.equal(d.unchanged, 1, "the cluster; the component grouping is not counted");
    const text = renderDiff(d);
    assert.match(text, /replace .*istiod {2}\(replace: namespace changed\)/);
    assert.match(text, /1 to create, 1 to update, 1 to replace, 1 to delete, 1 unchanged/);
  });

  it("replaces a record whose set identifier changes and a Kubernetes object renamed", () => {
    assert.ok(replaceKeysFor(REC).includes("setIdentifier"));
    assert.ok(replaceKeysFor("eks:index:ManagedNodeGroup").includes("nodeGroupName"));
    assert.ok(replaceKeysFor("kubernetes:apps/v1:DeploymentPatch").includes("metadata.name"));
    const d = diffPlans(
      doc("parallel", [
        res("kubernetes:apps/v1:DeploymentPatch", "p", { metadata: { name: "a" } }),
      ]),
      doc("parallel", [
        res("kubernetes:apps/v1:DeploymentPatch", "p", { metadata: { name: "b" } }),
      ]),
    );
    assert.deepEqual(
      d.changes.map((c) => [c.kind, c.replaceBecause]),
      [["replace", ["metadata.name"]]],
    );
  });
});

describe("protectedChanges", () => {
  const core = [
    res("eks:index:Cluster", "c", { name: "c1" }),
    res("eks:index:ManagedNodeGroup", "core", { nodeGroupName: "c1-core" }),
  ];
  const istio = [
    res(REL, "mesh-istiod", { chart: "istiod", name: "istiod", namespace: "istio-system" }),
    res(REL, "lbc", {
      chart: "aws-load-balancer-controller",
      name: "lbc",
      namespace: "kube-system",
    }),
  ];

  it("flags a replaced node group, a deleted cluster, a deleted istiod between Istio phases", () => {
    const a = doc("workloads", [...core, ...istio]);
    const b = doc("parallel", [
      res("eks:index:ManagedNodeGroup", "core", { nodeGroupName: "renamed" }),
      istio[1],
    ]);
    const d = diffPlans(a, b);
    const v = protectedChanges(d, a, b, { targetHasIstio: true });
    assert.deepEqual(v.map((x) => `${x.change.kind} ${x.what}`).sort(), [
      "delete EKS cluster",
      "delete istiod",
      "replace node group",
    ]);
  });

  it("allows removing istiod and the LB controller only when rolling back to a phase without Istio", () => {
    const a = doc("parallel", [...core, ...istio]);
    const b = doc("discovery", core);
    const d = diffPlans(a, b);
    assert.deepEqual(protectedChanges(d, a, b, { targetHasIstio: false }), []);
    assert.equal(protectedChanges(d, a, b, { targetHasIstio: true }).length, 2);
  });
});
