// The offline plan of dev at workloads carries every zero-downtime setting: istiod's start/drain defaults and the restart patch's sidecar annotations.
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { ISTIO_NAMESPACE } from "../../builders/istio-common";
import { PROXY_CONFIG_ANNOTATION, RESTART_ANNOTATION } from "../../builders/namespace-migration";
import { PlanDocument } from "../../plan/offline";
import { loadKeys, unknownKeys } from "../support/chart-keys";
import { named, ofType, plan } from "../support/plan";

type Obj = Record<string, unknown>;
const at = (v: unknown, dotted: string): unknown =>
  dotted.split(".").reduce<unknown>((n, k) => (n as Obj | undefined)?.[k], v);

function podAnnotations(doc: PlanDocument, name: string): Obj {
  return at(named(doc, name).inputs, "spec.template.metadata.annotations") as Obj;
}

describe("zero-downtime workload moves in the offline plan", () => {
  let doc: PlanDocument;
  before(async () => {
    doc = await plan({ stack: "dev", phase: "workloads", deployedPhase: "parallel" });
  });

  it("gives istiod the mesh-wide start and drain defaults, on keys the chart reads", () => {
    const istiod = named(doc, "istio-istiod");
    const values = istiod.inputs.values as Obj;
    assert.equal(istiod.inputs.namespace, ISTIO_NAMESPACE);
    assert.deepEqual(unknownKeys(values, loadKeys("istiod")), []);
    assert.equal(at(values, "meshConfig.defaultConfig.holdApplicationUntilProxyStarts"), true);
    assert.equal(at(values, "meshConfig.defaultConfig.terminationDrainDuration"), "20s");
    assert.equal(
      at(values, "meshConfig.defaultConfig.proxyMetadata.EXIT_ON_ZERO_ACTIVE_CONNECTIONS"),
      "true",
    );
  });

  it("sizes each namespace's sidecars in the same patch that restarts its Deployments", () => {
    for (const d of ["cart", "storefront"]) {
      assert.deepEqual(podAnnotations(doc, `ns-shop-restart-${d}`), {
        [RESTART_ANNOTATION]: "istio-1",
        "sidecar.istio.io/proxyCPU": "100m",
        "sidecar.istio.io/proxyMemory": "128Mi",
        "sidecar.istio.io/proxyCPULimit": "1",
        "sidecar.istio.io/proxyMemoryLimit": "512Mi",
      });
    }
    const ledger = podAnnotations(doc, "ns-payments-restart-ledger");
    assert.equal(ledger["sidecar.istio.io/proxyCPU"], "200m");
    assert.equal(ledger["sidecar.istio.io/proxyMemoryLimit"], "1Gi");
    assert.deepEqual(JSON.parse(String(ledger[PROXY_CONFIG_ANNOTATION])), {
      terminationDrainDuration: "25s",
    });
  });

  it("restarts one Deployment at a time, in the order listed, each after the previous rollout", () => {
    const urn = (n: string) => named(doc, n).urn;
    const cart = named(doc, "ns-shop-restart-cart");
    const storefront = named(doc, "ns-shop-restart-storefront");
    const ledger = named(doc, "ns-payments-restart-ledger");
    assert.ok(
      !cart.dependsOn.some((u) => u.includes("-restart-")),
      "the first restart waits for none",
    );
    assert.ok(storefront.dependsOn.includes(urn("ns-shop-restart-cart")));
    assert.ok(ledger.dependsOn.includes(urn("ns-shop-restart-storefront")));
    const w = doc.outputs.workloads as { maxParallelRestarts: number; restarts: unknown[] };
    assert.equal(w.maxParallelRestarts, 1);
    assert.equal(w.restarts.length, 3);
  });

  it("runs up to migration.maxParallelRestarts rollouts at once", async () => {
    const two = await plan({
      stack: "dev",
      phase: "workloads",
      deployedPhase: "parallel",
      set: { "migration.maxParallelRestarts": "2" },
    });
    const deps = (n: string) => named(two, n).dependsOn.filter((u) => u.includes("-restart-"));
    assert.deepEqual(deps("ns-shop-restart-storefront"), []);
    assert.deepEqual(deps("ns-payments-restart-ledger"), [named(two, "ns-shop-restart-cart").urn]);
  });

  it("restarts nothing before workloads: no sidecar annotations are applied early", async () => {
    const before = await plan({ stack: "dev", phase: "parallel", deployedPhase: "discovery" });
    assert.deepEqual(ofType(before, "kubernetes:apps/v1:DeploymentPatch"), []);
  });

  it("exports which sidecar settings apply and the restart findings", () => {
    const w = doc.outputs.workloads as { sidecarSettings: string; findings: unknown[] };
    assert.match(w.sidecarSettings, /^sidecar mode: applications wait for their proxy/);
    assert.deepEqual(w.findings, []);
  });

  it("finds a Deployment whose grace period is shorter than its namespace's drain", async () => {
    const longDrain = await plan({
      stack: "dev",
      phase: "workloads",
      deployedPhase: "parallel",
      set: {
        migration: JSON.stringify({
          namespaces: [
            {
              name: "shop",
              state: "istio",
              appmeshExport: "stacks/appmesh-exports/dev/shop.yaml",
              proxy: { terminationDrainDuration: "45s" },
            },
          ],
        }),
      },
    });
    const w = longDrain.outputs.workloads as { findings: { source: string; reason: string }[] };
    assert.deepEqual(
      w.findings.map((f) => f.source),
      ["Deployment shop/cart", "Deployment shop/storefront"],
    );
    assert.match(
      w.findings[0].reason,
      /30s, the default\) is shorter than the proxy's drain \(45s\)/,
    );
  });

  it("warns, before the move, about restarts that are outages or cut connections", async () => {
    const risky = await plan({
      stack: "dev",
      phase: "parallel",
      deployedPhase: "discovery",
      set: {
        migration: JSON.stringify({
          namespaces: [
            {
              name: "risky",
              state: "istio",
              appmeshExport: path.join(__dirname, "../fixtures/exports/restart-risks.yaml"),
            },
          ],
        }),
      },
    });
    const w = risky.outputs.workloads as { findings: { source: string; field: string }[] };
    assert.deepEqual(
      w.findings.map((f) => `${f.source} ${f.field}`),
      [
        "Deployment risky/single spec.replicas",
        "Deployment risky/recreate spec.strategy.type",
        "Deployment risky/quick-kill spec.template.spec.terminationGracePeriodSeconds",
      ],
    );
  });

  it("says none of the sidecar settings apply in ambient mode, and sets only the restart", async () => {
    const amb = await plan({
      stack: "dev",
      phase: "workloads",
      deployedPhase: "parallel",
      deployedOutputs: { istioMode: "ambient" },
      set: { "istio.mode": "ambient" },
    });
    const w = amb.outputs.workloads as { sidecarSettings: string };
    assert.match(w.sidecarSettings, /^ambient mode: none of the sidecar settings apply/);
    assert.deepEqual(podAnnotations(amb, "ns-shop-restart-cart"), {
      [RESTART_ANNOTATION]: "istio-1",
    });
    const d = at(named(amb, "istio-istiod").inputs.values, "meshConfig.defaultConfig") as Obj;
    assert.equal(d.holdApplicationUntilProxyStarts, undefined);
  });
});
