// Route53Cutover in the real program: alias targets, set identifiers, health check, zone lookup, and the hostname wiring.
import * as assert from "node:assert/strict";
import { GATEWAY_HEALTH } from "../../builders/route53-cutover";
import { GATEWAY_HOSTNAME, planAt } from "../support/phases";
import { named, transitiveDeps } from "../support/plan";
import { DeployGuardError, guardDecommissionTraffic } from "../../phases/guards";
import { PHASE_SPECS } from "../../phases/phases";

describe("Route53Cutover", () => {
  it("aliases the App Mesh ingress and the gateway NLB with the region's NLB zone, evaluating target health", async () => {
    const doc = await planAt("cutover");
    const am = named(doc, "dns-shop-dev-example-com-appmesh");
    const is = named(doc, "dns-shop-dev-example-com-istio");
    assert.equal(am.inputs.setIdentifier, "appmesh");
    assert.equal(is.inputs.setIdentifier, "istio");
    assert.equal(am.inputs.type, "A");
    assert.deepEqual(am.inputs.aliases, [
      {
        name: "appmesh-ingress-0123456789abcdef.elb.eu-west-1.amazonaws.com",
        zoneId: "Z2IFOLAFXWLO4F",
        evaluateTargetHealth: true,
      },
    ]);
    assert.deepEqual(is.inputs.aliases, [
      { name: GATEWAY_HOSTNAME, zoneId: "Z2IFOLAFXWLO4F", evaluateTargetHealth: true },
    ]);
    assert.deepEqual(
      is.inputs.weightedRoutingPolicies,
      [{ weight: 10 }],
      "dev stack: istioWeight 10",
    );
    assert.deepEqual(am.inputs.weightedRoutingPolicies, [{ weight: 90 }]);
  });

  it("checks the gateway's 15021 /healthz/ready and attaches the check to the Istio record only", async () => {
    const doc = await planAt("parallel");
    const hc = named(doc, "dns-gateway-ready");
    assert.equal(hc.inputs.fqdn, GATEWAY_HOSTNAME);
    assert.equal(hc.inputs.port, GATEWAY_HEALTH.port);
    assert.equal(hc.inputs.resourcePath, "/healthz/ready");
    assert.ok(transitiveDeps(doc, named(doc, "dns-shop-dev-example-com-istio")).has(hc.urn));
    assert.equal(named(doc, "dns-shop-dev-example-com-appmesh").inputs.healthCheckId, undefined);
  });

  it("aliases the IstioMesh gateway Service's hostname by default, after the Service exists", async () => {
    const doc = await planAt("cutover", { program: { gatewayHostname: undefined } });
    const is = named(doc, "dns-shop-dev-example-com-istio");
    // The Service is read (not registered), so it shows as a dependency only.
    assert.ok(
      is.dependsOn.some((u) => /IstioMesh\$kubernetes:core\/v1:Service::/.test(u)),
      is.dependsOn.join(", "),
    );
    assert.deepEqual(doc.outputs.dnsWeights, { appmesh: 90, istio: 10 });
  });

  it("retains the adopted App Mesh record on delete while it carries weight, and only then", async () => {
    const am = "dns-shop-dev-example-com-appmesh";
    const discovery = await planAt("discovery");
    assert.equal(named(discovery, am).options.retainOnDelete, true, "discovery: weight 100");
    const cutover = await planAt("cutover");
    assert.equal(named(cutover, am).options.retainOnDelete, true, "cutover at istioWeight 10");
    assert.equal(
      named(cutover, "dns-shop-dev-example-com-istio").options.retainOnDelete,
      undefined,
    );
    const all = await planAt("cutover", { set: { "cutover.istioWeight": "100" } });
    assert.deepEqual(all.outputs.dnsWeights, { appmesh: 0, istio: 100 });
    assert.equal(named(all, am).options.retainOnDelete, false, "weight 0: decommission removes it");
  });

  it("refuses to enter decommission while the deployed App Mesh records still carry weight", async () => {
    await assert.rejects(
      planAt("decommission", {
        deployedOutputs: { phase: "cutover", dnsWeights: { appmesh: 90, istio: 10 } },
      }),
      /still carry weight 90.*istioWeight 100/s,
    );
    const spec = PHASE_SPECS.decommission;
    const at = (appmesh: unknown) =>
      guardDecommissionTraffic(
        { known: true, outputs: { phase: "cutover", dnsWeights: { appmesh, istio: 100 } } },
        spec,
      );
    assert.match(at(0), /carry no weight/);
    assert.match(at(null), /carry no weight/, "no App Mesh record deployed");
    assert.match(
      guardDecommissionTraffic({ known: false, reason: "offline" }, spec),
      /not checked/,
    );
    assert.throws(() => at(1), DeployGuardError);
  });

  it("fails on a region without a known NLB zone, naming it", async () => {
    await assert.rejects(
      planAt("parallel", { set: { "aws:region": "xx-nowhere-1" } }),
      /xx-nowhere-1/,
    );
  });
});
