// Facts discover derives from what it read: selectors, App Mesh Envoy pods, meshed and referenced namespaces, webhook owners.
import * as assert from "node:assert/strict";
import {
  appmeshEnvoy,
  isNamespaceName,
  meshedNamespaces,
  meshesOf,
  onFargate,
  referencedNamespaces,
  selectorMatches,
  webhookOwner,
  Wire,
} from "../../discover/model";
import { pod } from "../support/discover-cluster";

const mesh = (name: string, matchLabels: Record<string, string>): Wire => ({
  apiVersion: "appmesh.k8s.aws/v1beta2",
  kind: "Mesh",
  metadata: { name },
  spec: { namespaceSelector: { matchLabels } },
});
const ns = (name: string, labels: Record<string, string> = {}): Wire => ({
  kind: "Namespace",
  metadata: { name, labels },
});

describe("discover model", () => {
  it("label selectors: matchLabels and every matchExpressions operator", () => {
    const sel = {
      matchLabels: { mesh: "m" },
      matchExpressions: [
        { key: "tier", operator: "In", values: ["web", "api"] },
        { key: "legacy", operator: "DoesNotExist" },
      ],
    };
    assert.equal(selectorMatches(sel, { mesh: "m", tier: "web" }), true);
    assert.equal(selectorMatches(sel, { mesh: "m", tier: "db" }), false);
    assert.equal(selectorMatches(sel, { mesh: "m", tier: "web", legacy: "" }), false);
    assert.equal(
      selectorMatches({ matchExpressions: [{ key: "a", operator: "NotIn", values: ["x"] }] }, {}),
      true,
    );
    assert.equal(
      selectorMatches({ matchExpressions: [{ key: "a", operator: "Exists" }] }, {}),
      false,
    );
    assert.equal(
      selectorMatches({ matchExpressions: [{ key: "a", operator: "Bogus" }] }, { a: "1" }),
      false,
    );
    assert.equal(
      selectorMatches({ matchLabels: { constructor: "x" } }, {}),
      false,
      "inherited properties are no labels",
    );
    assert.equal(selectorMatches(undefined, {}), false, "no selector selects nothing");
  });

  it("finds the App Mesh Envoy by image (ECR public or regional) or by its App Mesh env", () => {
    assert.ok(appmeshEnvoy(pod("a", "p", { envoy: true })));
    assert.equal(appmeshEnvoy(pod("a", "p")), undefined);
    const image = (img: string): Wire => ({
      spec: { containers: [{ name: "envoy", image: img }] },
    });
    assert.ok(appmeshEnvoy(image("public.ecr.aws/appmesh/aws-appmesh-envoy:v1.29.6.0-prod")));
    assert.ok(appmeshEnvoy(image("aws-appmesh-envoy@sha256:abc")));
    assert.equal(
      appmeshEnvoy(image("docker.io/istio/proxyv2:1.30.3")),
      undefined,
      "Istio's proxy is not App Mesh's",
    );
    assert.equal(appmeshEnvoy(image("envoyproxy/envoy:v1.31")), undefined);
    assert.ok(
      appmeshEnvoy({
        spec: {
          initContainers: [
            { name: "x", image: "custom/envoy", env: [{ name: "APPMESH_VIRTUAL_NODE_NAME" }] },
          ],
        },
      }),
    );
  });

  it("meshed namespaces: App Mesh objects, the injection label, a Mesh selector, or live Envoy pods", () => {
    const got = meshedNamespaces({
      appmesh: [
        mesh("m", { mesh: "m" }),
        { kind: "VirtualNode", metadata: { name: "n", namespace: "objects" } },
      ],
      legacy: [],
      namespaces: [
        ns("labelled", { "appmesh.k8s.aws/sidecarInjectorWebhook": "enabled" }),
        ns("selected", { mesh: "m" }),
        ns("disabled", { "appmesh.k8s.aws/sidecarInjectorWebhook": "disabled" }),
        ns("plain"),
      ],
      pods: [
        pod("envoy", "p", { envoy: true }),
        pod("done", "p", { envoy: true, phase: "Succeeded" }),
        pod("plain", "p"),
      ],
    });
    assert.deepEqual(got, ["envoy", "labelled", "objects", "selected"]);
  });

  it("a namespace's meshes: selected by namespaceSelector or named in its objects' meshRef", () => {
    const objs = [
      mesh("a", { mesh: "a" }),
      mesh("b", { mesh: "b" }),
      {
        kind: "VirtualNode",
        metadata: { name: "n", namespace: "x" },
        spec: { meshRef: { name: "b", uid: "1" } },
      },
    ];
    assert.deepEqual(
      meshesOf(ns("x", { mesh: "a" }), objs).map((m) => m.metadata?.name),
      ["a", "b"],
    );
    assert.deepEqual(meshesOf(ns("y"), objs), []);
  });

  it("referenced namespaces: hostnames svc.ns[.svc.cluster.local], awsName, explicit refs; only known ones unless asked", () => {
    const objs: Wire[] = [
      {
        kind: "VirtualNode",
        metadata: { namespace: "a" },
        spec: {
          serviceDiscovery: { dns: { hostname: "blue.ext.svc.cluster.local" } },
          backends: [{ virtualService: { virtualServiceRef: { name: "x", namespace: "other" } } }],
        },
      },
      { kind: "VirtualService", metadata: { namespace: "a" }, spec: { awsName: "red.short" } },
      {
        kind: "VirtualNode",
        metadata: { namespace: "a" },
        spec: { serviceDiscovery: { dns: { hostname: "api.example.com" } } },
      },
    ];
    assert.deepEqual(referencedNamespaces(objs, new Set(["ext", "other", "short", "example"])), [
      "ext",
      "other",
      "short",
    ]);
    assert.deepEqual(referencedNamespaces(objs, new Set()), []);
    assert.deepEqual(
      referencedNamespaces(objs, new Set(), true),
      ["ext", "other"],
      "-n: full names and explicit refs only",
    );
  });

  it("Fargate pods by profile label or scheduler; namespace names as Kubernetes allows them", () => {
    assert.equal(onFargate(pod("a", "p", { fargate: "fp" })), true);
    assert.equal(onFargate(pod("a", "p")), false);
    assert.equal(isNamespaceName("shop-1"), true);
    for (const bad of ["", "Shop", "-a", "a-", "a.b", "x".repeat(64), "__proto__"])
      assert.equal(isNamespaceName(bad), false, bad);
  });

  it("webhook owners by name or service namespace", () => {
    assert.equal(
      webhookOwner({ metadata: { name: "appmesh-controller-mutating-webhook-configuration" } }),
      "appmesh",
    );
    assert.equal(
      webhookOwner({
        metadata: { name: "x" },
        webhooks: [{ name: "w", clientConfig: { service: { namespace: "appmesh-system" } } }],
      }),
      "appmesh",
    );
    assert.equal(webhookOwner({ metadata: { name: "istio-sidecar-injector" } }), "istio");
    assert.equal(webhookOwner({ metadata: { name: "cert-manager-webhook" } }), undefined);
  });
});
