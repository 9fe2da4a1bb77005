// The rules admission webhooks and CEL enforce that the JSON schemas do not: names, durations, hosts, weights, matches, Gateway API.
import * as assert from "node:assert/strict";
import type { K8sObject } from "../../appmesh/types";
import { structuralProblems } from "../../appmesh/validate-rules";

const obj = (
  apiVersion: string,
  kind: string,
  spec: Record<string, unknown>,
  name = "ok",
  namespace = "shop",
): K8sObject => ({
  apiVersion,
  kind,
  metadata: { name, namespace },
  spec,
});
const vs = (spec: Record<string, unknown>) => obj("networking.istio.io/v1", "VirtualService", spec);

describe("appmesh structural rules", () => {
  it("finds nothing wrong in a plain VirtualService", () => {
    assert.deepEqual(
      structuralProblems(
        vs({
          hosts: ["cart"],
          http: [{ route: [{ destination: { host: "cart" } }], timeout: "15s" }],
        }),
      ),
      [],
    );
  });

  it("names bad names, namespaces and Service names", () => {
    assert.deepEqual(structuralProblems(obj("v1", "Service", {}, "Bad_Name", "Shop")), [
      'metadata.name "Bad_Name" is not a DNS-1123 subdomain',
      'metadata.name "Bad_Name" is not a DNS-1035 label (Service names)',
      'metadata.namespace "Shop" is not a DNS-1123 label',
    ]);
    assert.deepEqual(structuralProblems(obj("v1", "Service", {}, "1cart")), [
      'metadata.name "1cart" is not a DNS-1035 label (Service names)',
    ]);
  });

  it("checks durations: their syntax and Istio's 1ms minimum", () => {
    assert.deepEqual(
      structuralProblems(
        vs({
          http: [
            {
              route: [{ destination: { host: "a" } }],
              timeout: "15 seconds",
              retries: { perTryTimeout: "0.5ms" },
            },
          ],
        }),
      ),
      [
        'spec.http[0].timeout "15 seconds" is not a duration (e.g. 15s, 250ms)',
        'spec.http[0].retries.perTryTimeout "0.5ms" is below Istio\'s 1ms minimum',
      ],
    );
  });

  it("checks VirtualService hosts, destinations, weights and matches", () => {
    const problems = structuralProblems(
      vs({
        hosts: ["*", "bad host"],
        http: [
          {
            route: [
              { destination: { host: "a" }, weight: 60 },
              { destination: { host: "b" }, weight: 30 },
              { destination: {} },
            ],
            match: [{ uri: { prefix: "" }, headers: { "bad header": { exact: "x" } } }],
          },
        ],
        tcp: [{ route: [] }],
      }),
    );
    assert.ok(
      problems.some((p) => p.startsWith('spec.hosts[1] "bad host" ')),
      problems.join("\n"),
    );
    assert.ok(!problems.some((p) => p.startsWith("spec.hosts[0]")), "* is allowed in hosts");
    assert.ok(problems.includes("spec.http[0].route[2].destination.host is empty"));
    assert.ok(problems.includes("spec.http[0].route weights sum to 90, not 100"));
    assert.ok(
      problems.includes(
        "spec.http[0].match[0].uri.prefix is empty (Istio refuses an empty prefix)",
      ),
    );
    assert.ok(
      problems.includes('spec.http[0].match[0].headers name "bad header" is not an HTTP token'),
    );
    assert.ok(problems.includes("spec.tcp[0].route is empty"));
  });

  it("checks Sidecar egress hosts and AuthorizationPolicy's one way to bind", () => {
    assert.deepEqual(
      structuralProblems(
        obj("networking.istio.io/v1", "Sidecar", { egress: [{ hosts: ["./*", "nohost"] }] }),
      ),
      ['spec.egress[0].hosts[1] "nohost" is not namespace/host'],
    );
    assert.deepEqual(
      structuralProblems(
        obj("security.istio.io/v1", "AuthorizationPolicy", { selector: {}, targetRefs: [] }),
      ),
      ["spec has both selector and targetRefs (Istio allows one)"],
    );
  });

  it("checks Gateway API hostnames, experimental fields, rewrites, backends and listener names", () => {
    const route = obj("gateway.networking.k8s.io/v1", "HTTPRoute", {
      hostnames: ["shop.example.com", "Bad.Example"],
      rules: [
        {
          retry: {},
          matches: [{ path: { type: "Exact", value: "/a" } }],
          filters: [{ urlRewrite: { path: { type: "ReplacePrefixMatch" } } }],
          backendRefs: [{ name: "Cart", port: 80 }, { name: "cart" }],
        },
      ],
    });
    assert.deepEqual(structuralProblems(route), [
      'spec.hostnames[1] "Bad.Example" is not a Gateway API hostname',
      "spec.rules[0].retry is experimental-channel only (Gateway API v1.5)",
      "spec.rules[0]: ReplacePrefixMatch needs PathPrefix matches",
      'spec.rules[0].backendRefs[0].name "Cart" is not a Service name',
      "spec.rules[0].backendRefs[1] has no port",
    ]);
    const gw = obj("gateway.networking.k8s.io/v1", "Gateway", {
      listeners: [{ name: "http" }, { name: "http" }],
    });
    assert.deepEqual(structuralProblems(gw), ["spec.listeners names are not unique"]);
  });
});
