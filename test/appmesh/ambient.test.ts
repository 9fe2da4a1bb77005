// The ambient target on meshlift's own fixtures: waypoints where L7 is needed, L4 policy elsewhere, no Sidecars.
import * as assert from "node:assert/strict";
import { convert, validateObjects } from "../../appmesh";
import { findingsFor, fixture, obj, rule } from "./helpers";

describe("ambient target", () => {
  const shop = convert([fixture("shop.yaml")], { target: "ambient" });
  const gw = convert([fixture("gateway.yaml")], { target: "ambient" });
  const l4 = convert([fixture("l4-only.yaml")], { target: "ambient" });

  it("emits only valid objects and never a Sidecar", async () => {
    for (const r of [shop, gw, l4]) {
      assert.deepEqual(await validateObjects(r.objects), []);
      assert.deepEqual(
        r.objects.filter((o) => o.kind === "Sidecar" || o.kind === "VirtualService"),
        [],
      );
    }
  });

  it("puts a waypoint in each namespace whose converted routes need L7, and asks for the label", () => {
    const wp = obj(shop, "Gateway", "shop", "waypoint");
    assert.equal(wp.spec.gatewayClassName, "istio-waypoint");
    assert.deepEqual(wp.spec.listeners, [
      {
        name: "mesh",
        port: 15008,
        protocol: "HBONE",
        allowedRoutes: { namespaces: { from: "Same" } },
      },
    ]);
    assert.deepEqual(shop.namespaceLabels, { shop: { "istio.io/use-waypoint": "waypoint" } });
    assert.deepEqual(rule(obj(shop, "HTTPRoute", "shop", "cart"), "catch-all").timeouts, {
      request: "15s",
    });
  });

  it("binds L7 AuthorizationPolicies to the waypoint through targetRefs, never both ways", () => {
    const ap = obj(shop, "AuthorizationPolicy", "shop", "cart-v1");
    assert.equal(ap.spec.selector, undefined);
    assert.deepEqual(ap.spec.targetRefs, [
      { group: "", kind: "Service", name: "cart" },
      { group: "", kind: "Service", name: "cart-v1" },
    ]);
    assert.equal(
      findingsFor(
        shop,
        "VirtualNode shop/cart-v1",
        "spec.listeners[].tls.validation.subjectAlternativeNames",
      ).some((f) => f.severity === "warning"),
      true,
    );
  });

  it("keeps L4 policy at ztunnel where no waypoint is needed", () => {
    assert.deepEqual(l4.namespaceLabels, {});
    assert.equal(
      l4.objects.some((o) => o.kind === "Gateway"),
      false,
    );
    const ap = obj(l4, "AuthorizationPolicy", "vault", "api");
    assert.deepEqual(ap.spec.selector, { matchLabels: { app: "api" } });
    assert.deepEqual(ap.spec.rules, [
      {
        from: [{ source: { principals: ["cluster.local/ns/vault/sa/vault-client"] } }],
        to: [{ operation: { ports: ["8200"] } }],
      },
    ]);
    assert.deepEqual(obj(l4, "PeerAuthentication", "vault", "api").spec.mtls, { mode: "STRICT" });
    assert.ok(
      findingsFor(l4, "VirtualNode vault/client", "spec.backends").some((f) =>
        /no per-workload egress/.test(f.reason),
      ),
    );
  });

  it("applies listener connection pools at the waypoint (server side) instead of a Sidecar", () => {
    const dr = obj(shop, "DestinationRule", "shop", "cart-v1");
    assert.deepEqual((dr.spec.trafficPolicy as { connectionPool: unknown }).connectionPool, {
      tcp: { maxConnections: 50 },
      http: { http1MaxPendingRequests: 25 },
    });
  });

  it("sends gateway traffic through the waypoint of a router-backed service (ingress-use-waypoint)", () => {
    const doc = (kind: string, name: string, spec: unknown) =>
      JSON.stringify({
        apiVersion: "appmesh.k8s.aws/v1beta2",
        kind,
        metadata: { name, namespace: "web" },
        spec,
      });
    const content = [
      doc("VirtualNode", "ui-v1", {
        podSelector: { matchLabels: { app: "ui", v: "1" } },
        listeners: [{ portMapping: { port: 80, protocol: "http" } }],
        serviceDiscovery: { dns: { hostname: "ui-v1.web.svc.cluster.local" } },
      }),
      doc("VirtualRouter", "ui", {
        listeners: [{ portMapping: { port: 80, protocol: "http" } }],
        routes: [
          {
            name: "all",
            httpRoute: {
              match: { prefix: "/" },
              action: { weightedTargets: [{ virtualNodeRef: { name: "ui-v1" }, weight: 1 }] },
            },
          },
        ],
      }),
      doc("VirtualService", "ui", {
        awsName: "ui.web.svc.cluster.local",
        provider: { virtualRouter: { virtualRouterRef: { name: "ui" } } },
      }),
      doc("VirtualGateway", "edge", {
        podSelector: { matchLabels: { app: "edge" } },
        listeners: [{ portMapping: { port: 8080, protocol: "http" } }],
      }),
      doc("GatewayRoute", "to-ui", {
        httpRoute: {
          match: { prefix: "/" },
          action: { target: { virtualService: { virtualServiceRef: { name: "ui" } } } },
        },
      }),
    ].join("\n---\n");
    const amb = convert([{ path: "ui.yaml", content }], { target: "ambient" });
    assert.deepEqual(amb.namespaceLabels, {
      web: { "istio.io/use-waypoint": "waypoint", "istio.io/ingress-use-waypoint": "true" },
    });
    assert.ok(
      findingsFor(amb, "GatewayRoute web/to-ui").some(
        (f) => f.severity === "info" && /run in waypoint web\/waypoint/.test(f.reason),
      ),
    );
    // In sidecar mode the same route skips the router's routes: a warning says so.
    const side = convert([{ path: "ui.yaml", content }], { target: "gateway-api" });
    assert.ok(
      findingsFor(side, "GatewayRoute web/to-ui").some(
        (f) => f.severity === "warning" && /sidecar traffic only/.test(f.reason),
      ),
    );
    assert.ok(gw.objects.some((o) => o.kind === "GRPCRoute" && o.metadata.name === "prices"));
    assert.ok(obj(gw, "Gateway", "store", "waypoint"));
  });

  describe("prerequisites on the nodes (what discover exports beside the App Mesh objects)", () => {
    const pod = (name: string, extra: Record<string, unknown>) =>
      JSON.stringify({
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name, namespace: "shop" },
        ...extra,
      });
    const sgp = JSON.stringify({
      apiVersion: "vpcresources.k8s.aws/v1beta1",
      kind: "SecurityGroupPolicy",
      metadata: { name: "db-access", namespace: "shop" },
      spec: {
        podSelector: { matchLabels: { app: "cart" } },
        securityGroups: { groupIds: ["sg-1"] },
      },
    });
    const awsNode = (mode?: string) =>
      JSON.stringify({
        apiVersion: "apps/v1",
        kind: "DaemonSet",
        metadata: { name: "aws-node", namespace: "kube-system" },
        spec: {
          template: {
            spec: {
              containers: [
                {
                  name: "aws-node",
                  env: [
                    { name: "ENABLE_POD_ENI", value: "true" },
                    ...(mode ? [{ name: "POD_SECURITY_GROUP_ENFORCING_MODE", value: mode }] : []),
                  ],
                },
              ],
            },
          },
        },
      });
    const run = (extra: string[], target: "ambient" | "istio" = "ambient") => {
      const base = fixture("shop.yaml");
      return convert([base, ...extra.map((content, i) => ({ path: `facts-${i}.yaml`, content }))], {
        target,
      });
    };
    const blockers = (r: ReturnType<typeof run>) =>
      r.findings.filter((f) => f.severity === "blocker").map((f) => `${f.source} ${f.field}`);

    it("makes each pod on Fargate a blocker, naming the pod", () => {
      const r = run([
        pod("cart-6f9", { spec: { schedulerName: "fargate-scheduler" } }),
        pod("web-1", {
          metadata: {
            name: "web-1",
            namespace: "shop",
            labels: { "eks.amazonaws.com/fargate-profile": "fp" },
          },
        }),
        pod("ec2-1", { spec: { schedulerName: "default-scheduler" } }),
      ]);
      assert.deepEqual(blockers(r), [
        "Pod shop/cart-6f9 spec.schedulerName",
        "Pod shop/web-1 spec.schedulerName",
      ]);
      assert.match(r.findings[0].reason, /EKS Fargate.*neither ztunnel nor the Istio CNI/);
      // Sidecar mode is not concerned: no blocker there.
      assert.deepEqual(
        blockers(run([pod("cart-6f9", { spec: { schedulerName: "fargate-scheduler" } })], "istio")),
        [],
      );
    });

    it("blocks security groups for pods unless aws-node runs them in standard mode", () => {
      for (const [mode, expected] of [
        [undefined, /default strict mode/],
        ["strict", /POD_SECURITY_GROUP_ENFORCING_MODE="strict"/],
      ] as const) {
        const r = run([sgp, awsNode(mode)]);
        assert.deepEqual(blockers(r), ["SecurityGroupPolicy shop/db-access spec"]);
        assert.match(r.findings[0].reason, expected);
        assert.match(r.findings[0].reason, /set POD_SECURITY_GROUP_ENFORCING_MODE=standard/);
      }
      assert.deepEqual(blockers(run([sgp, awsNode("standard")])), []);
      // Without aws-node in the input the mode is unknown: a warning that says what to check.
      const unknown = run([sgp]);
      assert.deepEqual(blockers(unknown), []);
      assert.ok(
        unknown.findings.some(
          (f) => f.severity === "warning" && f.source === "SecurityGroupPolicy shop/db-access",
        ),
      );
      // No SecurityGroupPolicy: the mode does not matter.
      assert.deepEqual(blockers(run([awsNode()])), []);
    });
  });
});
