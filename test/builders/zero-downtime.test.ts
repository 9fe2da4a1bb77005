// The zero-downtime sidecar settings: mesh-wide start/drain in istiod's values, per-namespace size and overrides, grace-period findings.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { Values } from "../../builders/helm";
import { istiodValues, sidecarLifecycle } from "../../builders/istio-mesh";
import {
  availabilityFindings,
  gracePeriodFindings,
  restartOrder,
  namespaceProxy,
  PROXY_CONFIG_ANNOTATION,
  PROXY_SIZE_ANNOTATIONS,
} from "../../builders/namespace-migration";
import { istioSchema, IstioConfig } from "../../config/sections/istio";
import { migrationSchema, PROXY_PROFILES } from "../../config/sections/migration";
import { loadKeys, unknownKeys } from "../support/chart-keys";

const FACTS = JSON.parse(
  fs.readFileSync(path.join(__dirname, "../fixtures/istio/sidecar-facts.json"), "utf8"),
) as { proxyConfigFields: string[]; podAnnotations: string[]; agentEnv: string[] };

const sidecar: IstioConfig = istioSchema.parse({});
const ambient: IstioConfig = istioSchema.parse({ mode: "ambient" });

function entry(proxy: unknown) {
  return migrationSchema.parse({ namespaces: [{ name: "shop", state: "istio", proxy }] })
    .namespaces[0].proxy;
}

describe("mesh-wide sidecar start and drain", () => {
  it("holds applications until the proxy starts and drains 20s, exiting on zero connections", () => {
    const d = (istiodValues(sidecar).meshConfig as Values).defaultConfig as Values;
    assert.equal(d.holdApplicationUntilProxyStarts, true);
    assert.equal(d.terminationDrainDuration, "20s");
    assert.deepEqual(d.proxyMetadata, { EXIT_ON_ZERO_ACTIVE_CONNECTIONS: "true" });
    assert.equal(d.concurrency, 2);
  });

  it("sets only ProxyConfig fields and agent variables Istio 1.30.3 reads, and keys the istiod chart takes", () => {
    const d = (istiodValues(sidecar).meshConfig as Values).defaultConfig as Values;
    for (const k of Object.keys(d)) assert.ok(FACTS.proxyConfigFields.includes(k), k);
    for (const k of Object.keys(d.proxyMetadata as Values))
      assert.ok(FACTS.agentEnv.includes(k), k);
    assert.deepEqual(unknownKeys(istiodValues(sidecar), loadKeys("istiod")), []);
  });

  it("follows the config and leaves EXIT_ON_ZERO_ACTIVE_CONNECTIONS out where the version predates it", () => {
    const c = istioSchema.parse({
      proxy: {
        holdApplicationUntilProxyStarts: false,
        terminationDrainDuration: "1m",
        exitOnZeroActiveConnections: false,
      },
    });
    assert.deepEqual(sidecarLifecycle(c.proxy), {
      holdApplicationUntilProxyStarts: false,
      terminationDrainDuration: "1m",
    });
    assert.equal(sidecarLifecycle(sidecar.proxy, "1.11.8").proxyMetadata, undefined);
    assert.ok(sidecarLifecycle(sidecar.proxy, "1.12.0").proxyMetadata);
  });

  it("sets no sidecar settings in ambient mode", () => {
    const d = (istiodValues(ambient).meshConfig as Values).defaultConfig as Values;
    assert.deepEqual(Object.keys(d), ["concurrency"]);
  });
});

describe("namespaceProxy", () => {
  it("sizes by profile with the guide's table, as the injector's annotations", () => {
    const want = {
      low: ["50m", "64Mi", "500m", "256Mi"],
      medium: ["100m", "128Mi", "1", "512Mi"],
      high: ["200m", "256Mi", "2", "1Gi"],
    } as const;
    for (const [profile, [cpu, memory, cpuLimit, memoryLimit]] of Object.entries(want)) {
      const p = namespaceProxy("sidecar", sidecar.proxy, entry({ profile }));
      assert.deepEqual(p?.annotations, {
        "sidecar.istio.io/proxyCPU": cpu,
        "sidecar.istio.io/proxyMemory": memory,
        "sidecar.istio.io/proxyCPULimit": cpuLimit,
        "sidecar.istio.io/proxyMemoryLimit": memoryLimit,
      });
      assert.deepEqual(p?.size, PROXY_PROFILES[profile as keyof typeof PROXY_PROFILES]);
    }
    for (const a of [...Object.values(PROXY_SIZE_ANNOTATIONS), PROXY_CONFIG_ANNOTATION]) {
      assert.ok(FACTS.podAnnotations.includes(a), a);
    }
  });

  it("lets explicit values override the profile, or stand alone", () => {
    const p = namespaceProxy(
      "sidecar",
      sidecar.proxy,
      entry({ profile: "low", memoryLimit: "384Mi" }),
    );
    assert.equal(p?.annotations["sidecar.istio.io/proxyMemoryLimit"], "384Mi");
    assert.equal(p?.annotations["sidecar.istio.io/proxyCPU"], "50m");
    const alone = namespaceProxy("sidecar", sidecar.proxy, entry({ cpu: "300m" }));
    assert.deepEqual(alone?.annotations, { "sidecar.istio.io/proxyCPU": "300m" });
    assert.equal(alone?.size, undefined);
  });

  it("puts only what differs from the mesh into proxy.istio.io/config", () => {
    assert.deepEqual(namespaceProxy("sidecar", sidecar.proxy, undefined)?.annotations, {});
    const same = namespaceProxy(
      "sidecar",
      sidecar.proxy,
      entry({ terminationDrainDuration: "20s" }),
    );
    assert.deepEqual(same?.annotations, {});
    const p = namespaceProxy(
      "sidecar",
      sidecar.proxy,
      entry({ terminationDrainDuration: "45s", holdApplicationUntilProxyStarts: false }),
    );
    assert.deepEqual(JSON.parse(p?.annotations[PROXY_CONFIG_ANNOTATION] ?? "{}"), {
      holdApplicationUntilProxyStarts: false,
      terminationDrainDuration: "45s",
    });
    assert.equal(p?.drainSeconds, 45);
  });

  it("is undefined in ambient mode: no sidecar to size, hold or drain", () => {
    assert.equal(namespaceProxy("ambient", ambient.proxy, entry({ profile: "high" })), undefined);
  });
});

describe("gracePeriodFindings", () => {
  it("warns for each Deployment whose grace period is shorter than the drain, defaults included", () => {
    const f = gracePeriodFindings(
      "shop",
      [
        { name: "short", terminationGracePeriodSeconds: 10, podLabels: {} },
        { name: "equal", terminationGracePeriodSeconds: 45, podLabels: {} },
        { name: "default", podLabels: {} },
      ],
      45,
    );
    assert.deepEqual(
      f.map((x) => x.source),
      ["Deployment shop/short", "Deployment shop/default"],
    );
    assert.equal(f[0].field, "spec.template.spec.terminationGracePeriodSeconds");
    assert.match(f[0].reason, /10s\) is shorter than the proxy's drain \(45s\)/);
    assert.match(f[1].reason, /30s, the default/);
    assert.deepEqual(gracePeriodFindings("shop", [{ name: "d", podLabels: {} }], 20), []);
  });
});

describe("restartOrder", () => {
  const nss = [
    { name: "shop", deployments: ["cart", "storefront"] },
    { name: "payments", deployments: ["ledger"] },
  ];
  it("restarts one Deployment at a time by default, in the order listed, across namespaces", () => {
    assert.deepEqual(restartOrder(nss, 1), [
      { namespace: "shop", deployment: "cart" },
      {
        namespace: "shop",
        deployment: "storefront",
        after: { namespace: "shop", deployment: "cart" },
      },
      {
        namespace: "payments",
        deployment: "ledger",
        after: { namespace: "shop", deployment: "storefront" },
      },
    ]);
  });
  it("keeps at most maxParallelRestarts rollouts in flight", () => {
    const steps = restartOrder(nss, 2);
    assert.deepEqual(
      steps.map((s) => s.after?.deployment),
      [undefined, undefined, "cart"],
    );
    assert.ok(restartOrder(nss, 5).every((s) => !s.after));
    for (const bad of [0, -1, 1.5, Number.NaN])
      assert.throws(() => restartOrder(nss, bad), /maxParallelRestarts/);
  });
});

describe("availabilityFindings", () => {
  it("warns for one replica without a PodDisruptionBudget, and for Recreate", () => {
    const f = availabilityFindings(
      "shop",
      [
        { name: "single", replicas: 1, podLabels: { app: "single" } },
        { name: "unset", podLabels: { app: "unset" } },
        { name: "guarded", replicas: 1, podLabels: { app: "guarded", tier: "web" } },
        { name: "pair", replicas: 2, podLabels: { app: "pair" } },
        { name: "recreate", replicas: 3, strategy: "Recreate", podLabels: { app: "r" } },
      ],
      [{ name: "guarded", matchLabels: { app: "guarded" } }],
    );
    assert.deepEqual(
      f.map((x) => `${x.source} ${x.field}`),
      [
        "Deployment shop/single spec.replicas",
        "Deployment shop/unset spec.replicas",
        "Deployment shop/recreate spec.strategy.type",
      ],
    );
    assert.match(f[0].reason, /this restart is an outage for that service/);
  });
});
