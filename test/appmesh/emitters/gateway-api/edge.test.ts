// The gateway-api target's edge: a VirtualGateway as a Gateway behind an NLB, its GatewayRoutes bound with their rewrites.
import * as assert from "node:assert/strict";
import { convert } from "../../../../appmesh";
import { findingsFor, fixture, obj, rule } from "../../helpers";

describe("gateway-api edge", () => {
  const g = convert([fixture("gateway.yaml")], { target: "gateway-api" });

  it("turns a VirtualGateway into a Gateway with NLB annotations and HTTPS from a Secret", () => {
    const gw = obj(g, "Gateway", "store", "edge");
    assert.equal(gw.spec.gatewayClassName, "istio");
    assert.equal(
      (gw.spec.infrastructure as { annotations: Record<string, string> }).annotations[
        "service.beta.kubernetes.io/aws-load-balancer-type"
      ],
      "external",
    );
    assert.deepEqual(gw.spec.listeners, [
      {
        name: "https-8443",
        port: 8443,
        protocol: "HTTPS",
        tls: {
          mode: "Terminate",
          certificateRefs: [{ group: "", kind: "Secret", name: "edge-8443-tls" }],
        },
        allowedRoutes: { namespaces: { from: "Same" } },
      },
    ]);
    assert.equal(
      findingsFor(g, "VirtualGateway store/edge", "spec.listeners[0].tls.certificate.acm")[0]
        ?.severity,
      "blocker",
    );
  });

  it("binds GatewayRoutes to the Gateway with App Mesh's default and explicit rewrites", () => {
    const routes = obj(g, "HTTPRoute", "store", "edge-routes");
    assert.deepEqual(routes.spec.parentRefs, [
      { group: "gateway.networking.k8s.io", kind: "Gateway", name: "edge" },
    ]);
    assert.deepEqual(rule(routes, "api-default").filters, [
      {
        type: "URLRewrite",
        urlRewrite: {
          hostname: "catalog.store.svc.cluster.local",
          path: { type: "ReplacePrefixMatch", replacePrefixMatch: "/" },
        },
      },
    ]);
    assert.equal(rule(routes, "api-v2-keep-path").filters, undefined);
    assert.deepEqual(rule(routes, "legacy").filters?.[0].urlRewrite.path, {
      type: "ReplaceFullPath",
      replaceFullPath: "/items",
    });
    assert.deepEqual(rule(routes, "legacy").backendRefs, [{ name: "catalog", port: 7000 }]);
    assert.deepEqual(obj(g, "HTTPRoute", "store", "edge-admin.example.com").spec.hostnames, [
      "admin.example.com",
    ]);
  });

  it("puts the internal scheme on the NLB when asked", () => {
    const internal = convert([fixture("gateway.yaml")], {
      target: "gateway-api",
      loadBalancerScheme: "internal",
    });
    const gw = obj(internal, "Gateway", "store", "edge");
    assert.equal(
      (gw.spec.infrastructure as { annotations: Record<string, string> }).annotations[
        "service.beta.kubernetes.io/aws-load-balancer-scheme"
      ],
      "internal",
    );
  });
});
