// Whole-stack test of SecurityBaseline's part of the plan: the dev stack's PeerAuthentication on the cluster provider after istiod, STRICT at decommission, the configured policies (the component alone: test/components/security-baseline.test.ts).
import * as assert from "node:assert/strict";
import { PlanDocument } from "../../plan/offline";
import { validateIstio } from "../support/istio-models";
import { named, ofType, plan, transitiveDeps } from "../support/plan";

describe("SecurityBaseline in the plan", () => {
  let parallel: PlanDocument;
  let decommission: PlanDocument;
  before(async () => {
    parallel = await plan({ stack: "dev", phase: "parallel" });
    decommission = await plan({ stack: "dev", phase: "decommission" });
  });

  it("creates the PeerAuthentication through the cluster provider, after istiod", () => {
    const pa = named(parallel, "security-peerauthentication-istio-system-default");
    assert.equal(pa.type, "kubernetes:security.istio.io/v1:PeerAuthentication");
    assert.equal(pa.provider, named(parallel, "cluster-k8s").urn);
    assert.ok(transitiveDeps(parallel, pa).has(named(parallel, "istio-istiod").urn));
    assert.equal((pa.inputs.spec as { mtls: { mode: string } }).mtls.mode, "PERMISSIVE");
    assert.equal(parallel.outputs.mtlsMode, "PERMISSIVE");
  });

  it("turns mTLS STRICT at decommission", () => {
    const pa = named(decommission, "security-peerauthentication-istio-system-default");
    assert.equal((pa.inputs.spec as { mtls: { mode: string } }).mtls.mode, "STRICT");
    assert.equal(decommission.outputs.mtlsMode, "STRICT");
  });

  it("makes every Istio custom resource wait for istiod", () => {
    const istiod = named(parallel, "istio-istiod").urn;
    const crs = parallel.resources.filter((r) => /istio\.io\//.test(r.type));
    assert.ok(crs.length >= 2);
    for (const r of crs) assert.ok(transitiveDeps(parallel, r).has(istiod), r.name);
    assert.equal(ofType(parallel, "kubernetes:security.istio.io/v1:AuthorizationPolicy").length, 0);
  });

  it("creates the configured policies from workloads on, each valid against the Istio schemas", async () => {
    const security = JSON.stringify({
      defaultDenyNamespaces: ["shop"],
      allow: [{ name: "allow-front", namespace: "shop", sourceNamespaces: ["istio-ingress"] }],
      jwt: [
        { name: "idp", issuer: "https://idp.example.com", jwksUri: "https://idp.example.com/jwks" },
      ],
    });
    const doc = await plan({ stack: "dev", phase: "workloads", set: { security } });
    const crs = doc.resources.filter((r) => /^kubernetes:[a-z]+\.istio\.io\//.test(r.type));
    const names = crs.map((r) => r.name).sort();
    // The dev stack's shop namespace also brings the resources converted from its App Mesh export.
    assert.deepEqual(names, [
      "ns-shop-destinationrule-cart",
      "ns-shop-sidecar-storefront",
      "ns-shop-virtualservice-cart",
      "observability-telemetry-mesh-default",
      "security-authorizationpolicy-istio-ingress-require-jwt-idp",
      "security-authorizationpolicy-shop-allow-front",
      "security-authorizationpolicy-shop-default-deny",
      "security-peerauthentication-istio-system-default",
      "security-requestauthentication-istio-ingress-jwt-idp",
    ]);
    for (const r of crs) {
      const [group, version, kind] = r.type.replace(/^kubernetes:/, "").split(/[/:]/);
      await validateIstio({ ...r.inputs, apiVersion: `${group}/${version}`, kind });
    }
  });
});
