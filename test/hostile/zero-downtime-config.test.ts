// Hostile values for the zero-downtime keys: istio.proxy start/drain, migration.namespaces[].proxy and migration.maxParallelRestarts.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ConfigError } from "../../config/errors";
import { parseConfig } from "../../config/load";

const base = {
  "aws:region": "eu-west-1",
  "meshlift:environment": "dev",
  "meshlift:cluster": JSON.stringify({ mode: "create" }),
};

function problems(extra: Record<string, string>): { key: string; message: string }[] {
  const before = new Set(Object.getOwnPropertyNames(Object.prototype));
  try {
    parseConfig("t", { ...base, ...extra });
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected a ConfigError, got ${String(e)}`);
    return e.problems.map((p) => ({ key: p.key, message: p.message }));
  } finally {
    assert.deepEqual(
      Object.getOwnPropertyNames(Object.prototype).filter((k) => !before.has(k)),
      [],
    );
  }
  assert.fail(`expected a ConfigError for ${JSON.stringify(extra)}`);
}

const ns = (proxy: unknown) =>
  JSON.stringify({ namespaces: [{ name: "shop", state: "istio", proxy }] });

describe("hostile zero-downtime config", () => {
  const drains: unknown[] = [
    "20",
    "0s",
    "-5s",
    "1h",
    "20s\n",
    "２０s",
    "601s",
    "11m",
    "9".repeat(5000) + "s",
    20,
    null,
    { s: 20 },
  ];
  for (const d of drains) {
    it(`refuses istio.proxy.terminationDrainDuration ${JSON.stringify(d).slice(0, 40)}`, () => {
      const p = problems({
        "meshlift:istio": JSON.stringify({ proxy: { terminationDrainDuration: d } }),
      });
      assert.equal(p.length, 1);
      assert.equal(p[0].key, "meshlift:istio.proxy.terminationDrainDuration");
    });
    it(`refuses migration.namespaces[].proxy.terminationDrainDuration ${JSON.stringify(d).slice(0, 40)}`, () => {
      const p = problems({ "meshlift:migration": ns({ terminationDrainDuration: d }) });
      assert.equal(p[0].key, "meshlift:migration.namespaces.0.proxy.terminationDrainDuration");
    });
  }

  for (const key of ["holdApplicationUntilProxyStarts", "exitOnZeroActiveConnections"]) {
    for (const v of ["true", 1, null, [], {}]) {
      it(`refuses istio.proxy.${key} ${JSON.stringify(v)}`, () => {
        const p = problems({ "meshlift:istio": JSON.stringify({ proxy: { [key]: v } }) });
        assert.equal(p[0].key, `meshlift:istio.proxy.${key}`);
        assert.match(p[0].message, /boolean/);
      });
    }
  }

  it("refuses an unknown profile, naming the allowed ones", () => {
    const p = problems({ "meshlift:migration": ns({ profile: "extreme" }) });
    assert.equal(p[0].key, "meshlift:migration.namespaces.0.proxy.profile");
    assert.match(p[0].message, /low.*medium.*high/);
  });

  for (const [k, v] of [
    ["cpu", "a lot"],
    ["cpu", 2],
    ["memory", "1 GB"],
    ["cpuLimit", "-1"],
    ["memoryLimit", "x".repeat(10000)],
    ["memoryLimit", "1Gi; rm -rf /"],
  ] as const) {
    it(`refuses proxy.${k} ${JSON.stringify(v).slice(0, 30)}`, () => {
      const p = problems({ "meshlift:migration": ns({ [k]: v }) });
      assert.equal(p[0].key, `meshlift:migration.namespaces.0.proxy.${k}`);
    });
  }

  it("refuses unknown and polluting keys inside proxy", () => {
    for (const body of [
      '{"__proto__":{"polluted":1}}',
      '{"constructor":{"prototype":{"x":1}}}',
      '{"cpus":"1"}',
    ]) {
      const flat = {
        "meshlift:migration": `{"namespaces":[{"name":"shop","state":"istio","proxy":${body}}]}`,
      };
      const p = problems(flat);
      assert.ok(p.length >= 1);
      assert.ok(
        p.every((x) => x.key.startsWith("meshlift:migration.namespaces")),
        JSON.stringify(p),
      );
    }
  });

  it("refuses a proxy that is not an object, and a deeply nested one", () => {
    for (const v of ["medium", 3, ["low"]]) {
      const p = problems({ "meshlift:migration": ns(v) });
      assert.equal(p[0].key, "meshlift:migration.namespaces.0.proxy");
    }
    let deep: unknown = "x";
    for (let i = 0; i < 200; i++) deep = { profile: deep };
    assert.ok(problems({ "meshlift:migration": ns(deep) }).length >= 1);
  });

  for (const v of [0, -1, 1.5, 51, 1e12, "2x", null, {}, [], true]) {
    it(`refuses migration.maxParallelRestarts ${JSON.stringify(v)}`, () => {
      const p = problems({
        "meshlift:migration": JSON.stringify({ namespaces: [], maxParallelRestarts: v }),
      });
      assert.equal(p[0].key, "meshlift:migration.maxParallelRestarts");
    });
  }

  it("reads hostile Deployment and PodDisruptionBudget fields in an export as unknown, never as facts", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "meshlift-zd-"));
    try {
      const deep = JSON.stringify(
        Array.from({ length: 50 }).reduce<unknown>((x) => ({ x }), "deep"),
      );
      fs.writeFileSync(
        path.join(dir, "hostile.yaml"),
        [
          "apiVersion: apps/v1",
          "kind: Deployment",
          "metadata: { name: odd, namespace: shop }",
          "spec:",
          '  replicas: "two"',
          `  strategy: { type: "${"R".repeat(5000)}" }`,
          "  template:",
          `    metadata: { labels: { app: odd, __proto__: { polluted: 1 }, deep: ${deep} } }`,
          "    spec: { terminationGracePeriodSeconds: -5 }",
          "---",
          "apiVersion: policy/v1",
          "kind: PodDisruptionBudget",
          "metadata: { name: 7 }",
          "spec: { selector: [] }",
        ].join("\n"),
      );
      const c = parseConfig(
        "t",
        {
          ...base,
          "meshlift:migration": JSON.stringify({
            namespaces: [{ name: "shop", state: "istio", appmeshExport: "hostile.yaml" }],
          }),
        },
        { projectDir: dir },
      );
      const [facts] = c.namespaces[0].deploymentFacts;
      assert.equal(facts.replicas, undefined);
      assert.equal(facts.terminationGracePeriodSeconds, undefined);
      assert.equal(facts.strategy?.length, 63);
      assert.deepEqual(Object.keys(facts.podLabels), ["app"]);
      assert.deepEqual(c.namespaces[0].disruptionBudgets, []);
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("accepts every documented form", () => {
    const c = parseConfig("t", {
      ...base,
      "meshlift:istio": JSON.stringify({
        proxy: { holdApplicationUntilProxyStarts: false, terminationDrainDuration: "10m" },
      }),
      "meshlift:migration": ns({ profile: "low", cpu: "75m", terminationDrainDuration: "1s" }),
    });
    assert.equal(c.istio.proxy.terminationDrainDuration, "10m");
    assert.equal(c.migration.namespaces[0].proxy?.cpu, "75m");
  });
});
