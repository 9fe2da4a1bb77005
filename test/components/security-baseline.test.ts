// SecurityBaseline on its own under mocks: the Istio security resources its plan and config call for, each on the cluster provider, under the component, after what it is told to wait for; a refusal of two rules of one name before anything exists.
import * as assert from "node:assert/strict";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
  allowPolicy,
  defaultDeny,
  jwtPolicies,
  meshPeerAuthentication,
  SecurityPlan,
} from "../../builders/security-baseline";
import { SecurityBaseline } from "../../components/security-baseline";
import { securitySchema } from "../../config/sections/security";
import {
  buildUnderMocks,
  ofType,
  recordedNamed,
  recordUnderMocks,
} from "../support/component-mocks";
import { validateIstio } from "../support/istio-models";

const PA = "kubernetes:security.istio.io/v1:PeerAuthentication";
const AP = "kubernetes:security.istio.io/v1:AuthorizationPolicy";
const RA = "kubernetes:security.istio.io/v1:RequestAuthentication";

const SECURITY = securitySchema.parse({
  defaultDenyNamespaces: ["shop"],
  allow: [{ name: "allow-front", namespace: "shop", sourceNamespaces: ["istio-ingress"] }],
  jwt: [
    { name: "idp", issuer: "https://idp.example.com", jwksUri: "https://idp.example.com/jwks" },
  ],
});

const plan = (p: Partial<SecurityPlan>): SecurityPlan => ({
  installed: true,
  mtlsMode: "PERMISSIVE",
  workloadPolicies: false,
  ...p,
});

/** The baseline on a Kubernetes provider, waiting for a stand-in of istiod. */
function record(p: Partial<SecurityPlan>, security = SECURITY) {
  return recordUnderMocks(
    () => {
      const provider = new k8s.Provider("k8s", { kubeconfig: "{}" });
      const istiod = new k8s.core.v1.ConfigMap("istiod", {}, { provider });
      return new SecurityBaseline(
        "security",
        { plan: plan(p), security, gatewayNamespace: "istio-ingress", dependsOn: [istiod] },
        { providers: [provider] },
      );
    },
    { settle: (c) => [c.urn, ...c.resources.map((r) => r.urn)] },
  );
}

describe("SecurityBaseline", () => {
  it("creates nothing before Istio is installed, and still reports the mTLS mode", async () => {
    const { component, registered } = await record({ installed: false, workloadPolicies: true });
    assert.deepEqual(component.resources, []);
    assert.deepEqual(
      registered.filter((r) => r.type.includes("istio.io")),
      [],
    );
    assert.equal(component.mtlsMode, "PERMISSIVE");
  });

  it("has the mesh-wide PeerAuthentication in the plan's mode and the JWT rules before workloads migrate", async () => {
    const { component, registered } = await record({ mtlsMode: "STRICT" });
    assert.equal(component.mtlsMode, "STRICT");
    const [pa] = ofType(registered, PA);
    assert.equal(pa.name, "security-peerauthentication-istio-system-default");
    assert.deepEqual(pa.inputs.metadata, meshPeerAuthentication("STRICT").metadata);
    assert.deepEqual(pa.inputs.spec, { mtls: { mode: "STRICT" } });
    // Default-deny and allow rules only matter for workloads with a proxy: none yet.
    assert.deepEqual(
      ofType(registered, AP).map((r) => r.name),
      ["security-authorizationpolicy-istio-ingress-require-jwt-idp"],
    );
    const [ra] = ofType(registered, RA);
    const [wantRa, wantAp] = jwtPolicies(SECURITY.jwt[0], "istio-ingress");
    assert.equal(ra.name, "security-requestauthentication-istio-ingress-jwt-idp");
    assert.deepEqual(ra.inputs.spec, wantRa.spec);
    assert.deepEqual(ofType(registered, AP)[0].inputs.spec, wantAp.spec);
  });

  it("adds default-deny and the allow rules once workloads migrate, each valid against the Istio schemas", async () => {
    const { registered } = await record({ workloadPolicies: true });
    const crs = registered.filter((r) => r.type.includes("security.istio.io"));
    // Registration order follows when each input resolves: compare as a set.
    assert.deepEqual(crs.map((r) => r.name).sort(), [
      "security-authorizationpolicy-istio-ingress-require-jwt-idp",
      "security-authorizationpolicy-shop-allow-front",
      "security-authorizationpolicy-shop-default-deny",
      "security-peerauthentication-istio-system-default",
      "security-requestauthentication-istio-ingress-jwt-idp",
    ]);
    const byName = (n: string) =>
      crs.find((r) => r.name === `security-authorizationpolicy-shop-${n}`);
    assert.deepEqual(byName("default-deny")?.inputs.spec, defaultDeny("shop").spec);
    assert.deepEqual(byName("allow-front")?.inputs.spec, allowPolicy(SECURITY.allow[0]).spec);
    assert.deepEqual(byName("allow-front")?.inputs.metadata, {
      name: "allow-front",
      namespace: "shop",
    });
    for (const r of crs) {
      await validateIstio(r.inputs as { apiVersion: string; kind: string });
    }
  });

  it("puts every resource under the component, on the provider it was handed, after dependsOn", async () => {
    const { recorded } = await record({ workloadPolicies: true });
    const component = recordedNamed(recorded, "security");
    assert.equal(component.type, "meshlift:istio:SecurityBaseline");
    const children = recorded.filter((r) => r.parent === component.urn);
    assert.equal(children.length, 5);
    for (const r of children) {
      assert.equal(r.provider, recordedNamed(recorded, "k8s").urn, r.name);
      assert.ok(r.dependsOn.includes(recordedNamed(recorded, "istiod").urn), r.name);
    }
  });

  it("refuses two rules that map to one object before creating any", async () => {
    const twice = securitySchema.parse({
      allow: [
        { name: "allow-front", namespace: "shop", sourceNamespaces: ["a"] },
        { name: "allow-front", namespace: "shop", sourceNamespaces: ["b"] },
      ],
    });
    // An allow rule named like the JWT rule's DENY policy in the gateway namespace collides too.
    const clash = securitySchema.parse({
      allow: [{ name: "require-jwt-idp", namespace: "istio-ingress", sourceNamespaces: ["a"] }],
      jwt: SECURITY.jwt,
    });
    for (const [security, id] of [
      [twice, "AuthorizationPolicy shop/allow-front"],
      [clash, "AuthorizationPolicy istio-ingress/require-jwt-idp"],
    ] as const) {
      const { registered } = await buildUnderMocks(
        () =>
          assert.throws(
            () =>
              new SecurityBaseline("security", {
                plan: plan({ workloadPolicies: true }),
                security,
                gatewayNamespace: "istio-ingress",
              }),
            (e: unknown) =>
              e instanceof pulumi.ResourceError &&
              e.message ===
                `SecurityBaseline security: meshlift:security defines ${id} twice (allow rules and JWT rules must have distinct names per namespace)`,
          ),
        { settle: () => [] },
      );
      assert.deepEqual(
        registered.filter((r) => r.type.includes("istio.io")),
        [],
      );
    }
  });
});
