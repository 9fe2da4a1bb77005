// Hostile input into the converter (issue 17 item 8): names and hosts Istio would refuse, duplicates, bad
// namespaces, prototype keys, deep nesting. Each gives a finding or one clear error, never an invalid object.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { convert, ConversionResult, InputError, TARGETS, validateObjects } from "../../appmesh";
import { cli } from "../support/cli";

const doc = (kind: string, name: string, spec: unknown, namespace: unknown = "shop") =>
  JSON.stringify({
    apiVersion: "appmesh.k8s.aws/v1beta2",
    kind,
    metadata: { name, namespace },
    spec,
  });

const node = (name: string, hostname: string, port = 8080) =>
  doc("VirtualNode", name, {
    podSelector: { matchLabels: { app: name } },
    listeners: [{ portMapping: { port, protocol: "http" } }],
    serviceDiscovery: { dns: { hostname } },
  });

const router = (name: string, target: string, match: Record<string, unknown> = { prefix: "/" }) =>
  doc("VirtualRouter", name, {
    listeners: [{ portMapping: { port: 8080, protocol: "http" } }],
    routes: [
      {
        name: "r",
        httpRoute: {
          match,
          action: { weightedTargets: [{ virtualNodeRef: { name: target }, weight: 1 }] },
        },
      },
    ],
  });

const service = (name: string, awsName: string, routerName: string) =>
  doc("VirtualService", name, {
    awsName,
    provider: { virtualRouter: { virtualRouterRef: { name: routerName } } },
  });

function all(content: string): Record<string, ConversionResult> {
  return Object.fromEntries(
    TARGETS.map((t) => [t, convert([{ path: "hostile.yaml", content }], { target: t })]),
  );
}

async function assertValidEverywhere(results: Record<string, ConversionResult>) {
  for (const [target, r] of Object.entries(results))
    assert.deepEqual(await validateObjects(r.objects), [], target);
}

/** No emitted object anywhere mentions the hostile text. */
function carries(results: Record<string, ConversionResult>, text: string): boolean {
  return Object.values(results).some((r) => JSON.stringify(r.objects).includes(text));
}

describe("hostile input: hosts and names the converter must not emit", () => {
  const hostile = [
    ["a shell command", "a b; rm -rf /"],
    ["unicode", "café.example.com"],
    ["underscores", "my_service.example.com"],
    ["an over-long host", `${"a".repeat(250)}.example.com`],
    ["an over-long label", `${"a".repeat(64)}.example.com`],
    ["an all-numeric top-level label", "10.0.0.300"],
  ] as const;

  for (const [what, host] of hostile) {
    it(`a VirtualNode hostname with ${what} is a blocker and reaches no object`, async () => {
      const results = all(
        [
          node("bad", host),
          node("good", "good.shop.svc.cluster.local"),
          router("rt", "bad"),
          service("svc", "svc.shop.svc.cluster.local", "rt"),
        ].join("\n---\n"),
      );
      await assertValidEverywhere(results);
      assert.equal(carries(results, host.toLowerCase()), false);
      for (const r of Object.values(results)) {
        assert.ok(
          r.findings.some(
            (f) =>
              f.severity === "blocker" &&
              f.source === "VirtualNode shop/bad" &&
              f.field === "spec.serviceDiscovery.dns.hostname",
          ),
        );
        assert.ok(
          r.findings.some(
            (f) =>
              f.severity === "blocker" &&
              f.source === "VirtualRouter shop/rt" &&
              /host Istio rejects/.test(f.reason),
          ),
        );
      }
    });
  }

  it('awsName "Bad Host!" is a blocker; no route object carries it, the router stays reported', async () => {
    const results = all(
      [
        node("a", "a.shop.svc.cluster.local"),
        router("rt", "a"),
        service("svc", "Bad Host!", "rt"),
      ].join("\n---\n"),
    );
    await assertValidEverywhere(results);
    assert.equal(carries(results, "bad host!"), false);
    for (const r of Object.values(results))
      assert.ok(
        r.findings.some(
          (f) =>
            f.severity === "blocker" &&
            f.source === "VirtualService shop/svc" &&
            f.field === "spec.awsName" &&
            /"Bad Host!"/.test(f.reason),
        ),
      );
  });

  it("a GatewayRoute hostname with spaces or unicode is a blocker and no route binds it", async () => {
    for (const hostname of ["bad host.example.com", "ünï.example.com", "a_b.example.com"]) {
      const results = all(
        [
          node("a", "a.shop.svc.cluster.local"),
          doc("VirtualService", "svc", {
            provider: { virtualNode: { virtualNodeRef: { name: "a" } } },
          }),
          doc("VirtualGateway", "gw", {
            podSelector: { matchLabels: { app: "gw" } },
            listeners: [{ portMapping: { port: 80, protocol: "http" } }],
          }),
          doc("GatewayRoute", "gr", {
            httpRoute: {
              match: { prefix: "/", hostname: { exact: hostname } },
              action: { target: { virtualService: { virtualServiceRef: { name: "svc" } } } },
            },
          }),
        ].join("\n---\n"),
      );
      await assertValidEverywhere(results);
      assert.equal(carries(results, hostname.toLowerCase()), false);
      for (const r of Object.values(results))
        assert.ok(
          r.findings.some((f) => f.severity === "blocker" && f.source === "GatewayRoute shop/gr"),
        );
    }
  });

  it("header and query names outside the HTTP token alphabet: the route is a blocker, not a wider match", async () => {
    for (const match of [
      { prefix: "/", headers: [{ name: "x y", match: { exact: "1" } }] },
      { prefix: "/", queryParameters: [{ name: "q=1&x", match: { exact: "1" } }] },
      { path: { regex: "(?=lookahead)" } },
    ]) {
      const results = all(
        [
          node("a", "a.shop.svc.cluster.local"),
          router("rt", "a", match),
          service("svc", "svc.shop.svc.cluster.local", "rt"),
        ].join("\n---\n"),
      );
      await assertValidEverywhere(results);
      for (const r of Object.values(results)) {
        assert.ok(
          r.findings.some(
            (f) =>
              f.severity === "blocker" &&
              f.source === "VirtualRouter shop/rt" &&
              /not converted/.test(f.reason),
          ),
        );
        assert.ok(
          !r.objects.some(
            (o) =>
              /Route$|VirtualService/.test(o.kind) && JSON.stringify(o.spec).includes('"name":"r"'),
          ),
        );
      }
    }
  });

  it("a metadata.name no cluster could hold is a warning, and the objects get a DNS-1123 name", async () => {
    const results = all(
      [
        node("Cölor_Node", "a.shop.svc.cluster.local"),
        router("rt", "Cölor_Node"),
        service("svc", "svc.shop.svc.cluster.local", "rt"),
      ].join("\n---\n"),
    );
    await assertValidEverywhere(results);
    for (const r of Object.values(results))
      assert.ok(
        r.findings.some(
          (f) =>
            f.severity === "warning" &&
            f.field === "metadata.name" &&
            /"c-lor-node"/.test(f.reason),
        ),
      );
  });

  it("__proto__ and constructor keys stay data: no pollution, valid output", async () => {
    const content = [
      JSON.stringify({
        apiVersion: "appmesh.k8s.aws/v1beta2",
        kind: "VirtualNode",
        metadata: {
          name: "a",
          namespace: "shop",
          labels: { ["__proto__"]: "x", constructor: "y" },
        },
        spec: {
          podSelector: { matchLabels: { app: "a" } },
          serviceDiscovery: { dns: { hostname: "a.shop.svc.cluster.local" } },
          ["__proto__"]: { polluted: true },
        },
      }),
      router("rt", "a", {
        prefix: "/",
        headers: [{ name: "__proto__", match: { exact: "1" } }, { name: "constructor" }],
      }),
      service("svc", "svc.shop.svc.cluster.local", "rt"),
    ].join("\n---\n");
    const results = all(content);
    await assertValidEverywhere(results);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    // A header named __proto__ cannot survive JSON tooling as a key: that route is a blocker, not half-carried.
    for (const r of Object.values(results))
      assert.ok(
        r.findings.some(
          (f) =>
            f.severity === "blocker" &&
            f.field === "spec.routes[0].httpRoute.match.headers[0].name",
        ),
      );
    assert.ok(
      results.istio.findings.some((f) => f.field === "spec.__proto__" && f.severity === "warning"),
    );
  });
});

describe("hostile input: duplicates are reported, never silently merged", () => {
  it("a second, different VirtualNode of the same name is a blocker; the first one is converted", () => {
    for (const r of Object.values(
      all(
        [
          node("a", "a.shop.svc.cluster.local", 8080),
          router("rt", "a"),
          service("svc", "svc.shop.svc.cluster.local", "rt"),
          node("a", "a.shop.svc.cluster.local", 9090),
        ].join("\n---\n"),
      ),
    )) {
      const dup = r.findings.filter(
        (f) => f.source === "VirtualNode shop/a" && f.field === "metadata.name",
      );
      assert.equal(dup.length, 1);
      assert.equal(dup[0].severity, "blocker");
      assert.equal(dup[0].document, 3);
      assert.match(dup[0].reason, /hostile\.yaml#0 and hostile\.yaml#3/);
      assert.ok(!JSON.stringify(r.objects).includes("9090"), "the second definition is not used");
    }
  });

  it("an identical copy (the same export twice) is read once and changes nothing", () => {
    const content = [
      node("a", "a.shop.svc.cluster.local"),
      router("rt", "a"),
      service("svc", "svc.shop.svc.cluster.local", "rt"),
    ].join("\n---\n");
    const once = convert([{ path: "x.yaml", content }]);
    const twice = convert([
      { path: "x.yaml", content },
      { path: "y.yaml", content },
    ]);
    assert.deepEqual(twice.objects, once.objects);
    assert.deepEqual(
      twice.findings.map((f) => [f.severity, f.source, f.field, f.reason]),
      once.findings.map((f) => [f.severity, f.source, f.field, f.reason]),
    );
  });

  it("a route name used twice in a router is a blocker; Services and Deployments are deduplicated too", () => {
    const r = convert([
      {
        path: "r.yaml",
        content: [
          node("a", "a.shop.svc.cluster.local"),
          doc("VirtualRouter", "rt", {
            routes: [1, 2].map((w) => ({
              name: "same",
              httpRoute: {
                match: { prefix: `/${w}` },
                action: { weightedTargets: [{ virtualNodeRef: { name: "a" }, weight: w }] },
              },
            })),
          }),
          JSON.stringify({
            apiVersion: "v1",
            kind: "Service",
            metadata: { name: "a", namespace: "shop" },
            spec: { selector: { app: "a" } },
          }),
          JSON.stringify({
            apiVersion: "v1",
            kind: "Service",
            metadata: { name: "a", namespace: "shop" },
            spec: { selector: { app: "other" } },
          }),
        ].join("\n---\n"),
      },
    ]);
    assert.ok(
      r.findings.some(
        (f) =>
          f.severity === "blocker" && f.field === "spec.routes[1]" && /used twice/.test(f.reason),
      ),
    );
    assert.ok(r.findings.some((f) => f.severity === "blocker" && f.source === "Service shop/a"));
  });
});

describe("hostile input: a bad metadata.namespace is invalid input (exit 2) in convert and precheck alike", () => {
  let tmp: string;
  beforeEach(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), "meshlift-hostile-"))));
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  for (const ns of ["Bad NS!", "a_b", "x".repeat(64), "-lead", 42, ["a"]]) {
    it(`namespace ${JSON.stringify(ns).slice(0, 20)}`, async () => {
      const content = [node("a", "a.shop.svc.cluster.local"), doc("VirtualNode", "b", {}, ns)].join(
        "\n---\n",
      );
      assert.throws(
        () => convert([{ path: "n.yaml", content }]),
        (e: unknown) =>
          e instanceof InputError &&
          e.document === 1 &&
          /metadata\.namespace .* is not a Kubernetes namespace/.test(e.reason),
      );
      const file = path.join(tmp, "n.yaml");
      fs.writeFileSync(file, content);
      for (const cmd of ["convert", "precheck"]) {
        for (const target of TARGETS) {
          const r = await cli(cmd, "-f", file, "-t", target);
          assert.equal(r.code, 2, `${cmd} ${target}: ${r.err}`);
          assert.match(r.err, /n\.yaml, document 1: VirtualNode "b": metadata\.namespace/);
          assert.doesNotMatch(r.err, /\n\s+at /);
        }
      }
    });
  }

  it("-n with a bad namespace is exit 2 too", async () => {
    const file = path.join(tmp, "ok.yaml");
    fs.writeFileSync(file, node("a", "a.shop.svc.cluster.local"));
    for (const cmd of ["convert", "precheck"]) {
      const r = await cli(cmd, "-f", file, "-n", "Not A Namespace");
      assert.equal(r.code, 2);
      assert.match(r.err, /-n "Not A Namespace": not a Kubernetes namespace/);
    }
  });

  it("an undefined field nested 200 levels deep (as a cluster may hold it) is a warning, not a rejection", () => {
    let deep: unknown = { leaf: 1 };
    for (let i = 0; i < 200; i++) deep = { nested: deep };
    const content = doc("VirtualRouter", "deep", { listeners: [], extra: deep });
    for (const r of Object.values(all(content))) {
      const f = r.findings.find((x) => x.field === "spec.extra");
      assert.equal(f?.severity, "warning");
      assert.match(f.reason, /not defined by the appmesh.k8s.aws\/v1beta2 CRD/);
    }
    assert.throws(
      () => convert([{ path: "d.yaml", content: `a: ${"[".repeat(501)}${"]".repeat(501)}\n` }]),
      (e: unknown) => e instanceof InputError && /nested deeper than 500 levels/.test(e.message),
    );
  });

  it("a document nested 10,000 levels deep is exit 2, not a stack overflow", async () => {
    const file = path.join(tmp, "deep.yaml");
    fs.writeFileSync(
      file,
      `apiVersion: appmesh.k8s.aws/v1beta2\nkind: VirtualNode\nmetadata: {name: a, namespace: shop}\nspec: {x: ${"[".repeat(10000)}${"]".repeat(10000)}}\n`,
    );
    for (const cmd of ["convert", "precheck"]) {
      const r = await cli(cmd, "-f", file);
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, /nested deeper than 500 levels/);
    }
  });

  it("hostile hosts make precheck exit 3 (blockers) and convert write only valid objects", async () => {
    const file = path.join(tmp, "h.yaml");
    fs.writeFileSync(
      file,
      [node("bad", "a b; rm -rf /"), router("rt", "bad"), service("svc", "Bad Host!", "rt")].join(
        "\n---\n",
      ),
    );
    for (const target of TARGETS) {
      assert.equal((await cli("precheck", "-f", file, "-t", target)).code, 3);
      const c = await cli("convert", "-f", file, "-t", target);
      assert.equal(c.code, 0, c.err);
      assert.doesNotMatch(c.out, /rm -rf|Bad Host/i);
    }
  });
});
