// The security baseline's manifests: mTLS per phase, default-deny, allow rules and JWT objects, each valid against the Istio schemas.
import * as assert from "node:assert/strict";
import {
  allowPolicy,
  defaultDeny,
  jwtPolicies,
  meshMtlsMode,
  securityManifests,
  securityPlan,
} from "../../builders/security-baseline";
import { NamespacedObject } from "../../builders/istio-common";
import { securitySchema, SecurityConfig } from "../../config/sections/security";
import { PHASE_SPECS, PHASES } from "../../phases/phases";
import { validateIstio } from "../support/istio-models";

const full: SecurityConfig = securitySchema.parse({
  defaultDenyNamespaces: ["shop", "payments"],
  allow: [
    {
      name: "allow-frontend",
      namespace: "shop",
      selector: { app: "cart" },
      principals: ["cluster.local/ns/shop/sa/frontend"],
      methods: ["GET", "POST"],
      paths: ["/api/*"],
      ports: [8080],
    },
    { name: "allow-vpc", namespace: "payments", ipBlocks: ["10.0.0.0/16"] },
  ],
  jwt: [
    {
      name: "auth0",
      issuer: "https://example.eu.auth0.com/",
      jwksUri: "https://example.eu.auth0.com/.well-known/jwks.json",
      audiences: ["api"],
      forwardOriginalToken: true,
      paths: ["/api/*"],
    },
  ],
});

describe("SecurityBaseline manifests", () => {
  it("keeps mTLS PERMISSIVE while App Mesh runs and STRICT from decommission", () => {
    const none = securitySchema.parse({});
    const modes = PHASES.map((p) => meshMtlsMode(PHASE_SPECS[p], none));
    assert.deepEqual(modes, ["PERMISSIVE", "PERMISSIVE", "PERMISSIVE", "PERMISSIVE", "STRICT"]);
    const strict = securitySchema.parse({ strictMtls: true });
    assert.equal(meshMtlsMode(PHASE_SPECS.parallel, strict), "STRICT");
  });

  it("creates the mesh-wide PeerAuthentication in istio-system as security.istio.io/v1", () => {
    const [pa] = securityManifests(
      securityPlan(PHASE_SPECS.parallel, securitySchema.parse({})),
      securitySchema.parse({}),
      "istio-ingress",
    );
    assert.deepEqual(pa, {
      apiVersion: "security.istio.io/v1",
      kind: "PeerAuthentication",
      metadata: { name: "default", namespace: "istio-system" },
      spec: { mtls: { mode: "PERMISSIVE" } },
    });
  });

  it("adds default-deny and allow rules only once workloads migrate; JWT from parallel on", () => {
    const kinds = (phase: (typeof PHASES)[number]) =>
      securityManifests(securityPlan(PHASE_SPECS[phase], full), full, "istio-ingress").map(
        (o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`,
      );
    assert.deepEqual(kinds("discovery"), []);
    assert.deepEqual(kinds("parallel"), [
      "PeerAuthentication/istio-system/default",
      "RequestAuthentication/istio-ingress/jwt-auth0",
      "AuthorizationPolicy/istio-ingress/require-jwt-auth0",
    ]);
    assert.deepEqual(kinds("workloads"), [
      "PeerAuthentication/istio-system/default",
      "AuthorizationPolicy/shop/default-deny",
      "AuthorizationPolicy/payments/default-deny",
      "AuthorizationPolicy/shop/allow-frontend",
      "AuthorizationPolicy/payments/allow-vpc",
      "RequestAuthentication/istio-ingress/jwt-auth0",
      "AuthorizationPolicy/istio-ingress/require-jwt-auth0",
    ]);
  });

  it("writes default-deny as an empty spec", () => {
    assert.deepEqual(defaultDeny("shop").spec, {});
  });

  it("turns an allow rule into sources and operations", () => {
    assert.deepEqual(allowPolicy(full.allow[0]).spec, {
      selector: { matchLabels: { app: "cart" } },
      action: "ALLOW",
      rules: [
        {
          from: [{ source: { principals: ["cluster.local/ns/shop/sa/frontend"] } }],
          to: [{ operation: { methods: ["GET", "POST"], paths: ["/api/*"], ports: ["8080"] } }],
        },
      ],
    });
    assert.deepEqual(allowPolicy(full.allow[1]).spec, {
      action: "ALLOW",
      rules: [{ from: [{ source: { ipBlocks: ["10.0.0.0/16"] } }] }],
    });
  });

  it("validates JWTs at the gateway and denies requests without a request principal", () => {
    const [ra, ap] = jwtPolicies(full.jwt[0], "istio-ingress");
    assert.deepEqual(ra.spec, {
      selector: { matchLabels: { istio: "ingressgateway" } },
      jwtRules: [
        {
          issuer: "https://example.eu.auth0.com/",
          jwksUri: "https://example.eu.auth0.com/.well-known/jwks.json",
          audiences: ["api"],
          forwardOriginalToken: true,
        },
      ],
    });
    assert.deepEqual(ap.spec, {
      selector: { matchLabels: { istio: "ingressgateway" } },
      action: "DENY",
      rules: [
        {
          from: [{ source: { notRequestPrincipals: ["*"] } }],
          to: [{ operation: { paths: ["/api/*"] } }],
        },
      ],
    });
  });

  it("generates only objects the Istio schemas accept, in every phase", async () => {
    const all: NamespacedObject[] = PHASES.flatMap((p) =>
      securityManifests(securityPlan(PHASE_SPECS[p], full), full, "istio-ingress"),
    );
    assert.ok(all.length > 10);
    for (const o of all) await validateIstio(o);
  });

  it("would catch an invalid object (the validator is live)", async () => {
    const bad = { ...defaultDeny("shop"), spec: { action: "MAYBE" } };
    await assert.rejects(validateIstio(bad), /action/);
  });
});
