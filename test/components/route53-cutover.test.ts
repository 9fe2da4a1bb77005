// Route53Cutover in the real program: alias targets, set identifiers, health check, zone lookup, and the hostname wiring.
import * as assert from "node:assert/strict";
import { GATEWAY_HEALTH } from "../../components/route53-cutover";
import { GATEWAY_HOSTNAME, planAt } from "../support/phases";
import { named, ofType, transitiveDeps } from "../support/plan";

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

  it("keeps only the App Mesh record, at full weight, while the gateway hostname is unknown", async () => {
    const doc = await planAt("cutover", { program: { gatewayHostname: undefined } });
    const records = ofType(doc, "aws:route53/record:Record");
    assert.deepEqual(
      records.map((r) => [r.inputs.setIdentifier, r.inputs.weightedRoutingPolicies]),
      [["appmesh", [{ weight: 100 }]]],
    );
    assert.equal(records[0].inputs.allowOverwrite, true, "adopts today's record");
    assert.deepEqual(doc.outputs.dnsWeights, { appmesh: 100, istio: null });
  });

  it("fails on a region without a known NLB zone, naming it", async () => {
    await assert.rejects(
      planAt("parallel", { set: { "aws:region": "xx-nowhere-1" } }),
      /xx-nowhere-1/,
    );
  });
});
