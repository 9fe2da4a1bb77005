// Measurements over a plan document: the longest chain of Helm installs through other resources, counts by type.
import * as assert from "node:assert/strict";
import { countByType, HELM_RELEASE, longestHelmChain } from "../../plan/metrics";
import { planDocument, planResource } from "../support/plan-document";

const NS = "kubernetes:core/v1:Namespace";

describe("longestHelmChain", () => {
  it("follows dependsOn through resources that are not releases, counting only releases", () => {
    const base = planResource(HELM_RELEASE, "base-release", { name: "istio-base" });
    const ns = planResource(NS, "gw-ns", {}, { dependsOn: [base.urn] });
    const istiod = planResource(
      HELM_RELEASE,
      "istiod-release",
      { name: "istiod" },
      {
        dependsOn: [ns.urn],
      },
    );
    const gateway = planResource(
      HELM_RELEASE,
      "gateway-release",
      {},
      {
        dependsOn: [istiod.urn, "urn:pulumi:t::meshlift::not:in:Plan::gone"],
      },
    );
    const side = planResource(HELM_RELEASE, "side", { name: "metrics" }, { dependsOn: [base.urn] });
    const chain = longestHelmChain(planDocument("parallel", [gateway, side, istiod, ns, base]));
    // A release without an inputs.name is named after its resource.
    assert.deepEqual(chain, ["istio-base", "istiod", "gateway-release"]);
  });

  it("is empty for a plan without releases", () => {
    assert.deepEqual(longestHelmChain(planDocument("discovery", [planResource(NS, "a")])), []);
  });

  it("refuses a dependency cycle, naming a URN on it", () => {
    const a = planResource(NS, "a", {}, { dependsOn: ["urn:pulumi:t::meshlift::" + NS + "::b"] });
    const b = planResource(NS, "b", {}, { dependsOn: [a.urn] });
    assert.throws(
      () => longestHelmChain(planDocument("parallel", [a, b])),
      /dependency cycle through urn:pulumi:t::meshlift::kubernetes:core\/v1:Namespace::a/,
    );
  });
});

describe("countByType", () => {
  it("counts resources per type", () => {
    const counts = countByType(
      planDocument("parallel", [
        planResource(NS, "a"),
        planResource(NS, "b"),
        planResource(HELM_RELEASE, "r"),
      ]),
    );
    assert.deepEqual(
      [...counts],
      [
        [NS, 2],
        [HELM_RELEASE, 1],
      ],
    );
  });
});
