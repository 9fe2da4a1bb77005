// Whole-stack test of ProxyPrePull's part of the plan: the pre-pull DaemonSet the dev stack registers per phase, pinned to the Istio version and hub, gone in the next phase.
import * as assert from "node:assert/strict";
import { PREPULL_NAME } from "../../builders/proxy-prepull";
import { ISTIO_VERSION } from "../../config/versions";
import { loadStack } from "../../config/load";
import { PROJECT_DIR } from "../../plan/offline";
import { planPhase } from "../../phases/plan";
import { PHASES } from "../../phases/phases";
import { ofType, plan } from "../support/plan";

const DS = "kubernetes:apps/v1:DaemonSet";
const prePulls = (doc: Awaited<ReturnType<typeof plan>>) =>
  ofType(doc, DS).filter((r) => r.name === "proxy-prepull-daemonset");

async function validateDaemonSet(o: unknown): Promise<void> {
  const { DaemonSet } = await import("kubernetes-models/apps/v1/DaemonSet");
  new DaemonSet(o as ConstructorParameters<typeof DaemonSet>[0]).validate();
}

describe("ProxyPrePull", () => {
  it("pulls docker.io/istio/proxyv2 at the pinned Istio version on every node, in istio-system", async () => {
    const doc = await plan({ stack: "dev", phase: "parallel", deployedPhase: "discovery" });
    const [ds] = prePulls(doc);
    assert.ok(ds, "the pre-pull DaemonSet exists at parallel");
    const inputs = ds.inputs as {
      metadata: { name: string; namespace: string };
      spec: {
        template: {
          spec: {
            initContainers: { image: string }[];
            containers: { image: string }[];
            tolerations: unknown[];
          };
        };
      };
    };
    assert.equal(inputs.metadata.name, PREPULL_NAME);
    assert.equal(inputs.metadata.namespace, "istio-system");
    const pod = inputs.spec.template.spec;
    assert.equal(pod.initContainers[0].image, `docker.io/istio/proxyv2:${ISTIO_VERSION}`);
    assert.equal(pod.containers[0].image, `docker.io/istio/proxyv2:${ISTIO_VERSION}`);
    assert.deepEqual(pod.tolerations, [{ operator: "Exists" }]);
    assert.ok(ds.provider, "it runs on the cluster's provider");
    assert.ok(
      ds.dependsOn.some((u) => u.endsWith("::istio-system")),
      "it waits for the istio-system Namespace",
    );
    await validateDaemonSet(ds.inputs);
  });

  it("exists only in the phase before the restarts", async () => {
    const seen: string[] = [];
    for (const p of PHASES) {
      const doc = await plan({ stack: "dev", phase: p, set: { allowPhaseSkip: "true" } });
      if (prePulls(doc).length) seen.push(p);
    }
    assert.deepEqual(seen, ["parallel"]);
  });

  it("is removed by the move to workloads and comes back on a rollback to parallel", () => {
    const at = (phase: "parallel" | "workloads") =>
      planPhase(loadStack("dev", { projectDir: PROJECT_DIR, phase }).config, {
        known: false,
        reason: "test",
      });
    const what = `proxy image pre-pull DaemonSet (docker.io/istio/proxyv2:${ISTIO_VERSION})`;
    assert.deepEqual(
      at("parallel").advance?.changes.filter((c) => c.what === what),
      [{ kind: "remove", what }],
    );
    assert.deepEqual(
      at("workloads").rollback?.restores.filter((c) => c.what === what),
      [{ kind: "create", what }],
    );
    assert.deepEqual(
      at("workloads").removes.filter((c) => c.what === what),
      [{ kind: "remove", what }],
    );
  });

  it("follows a mirror hub, and is absent in ambient mode or with no namespace to move", async () => {
    const mirror = await plan({
      stack: "dev",
      phase: "parallel",
      deployedPhase: "discovery",
      set: { "istio.hub": "registry.example.com:5000/istio" },
    });
    const image = (
      prePulls(mirror)[0].inputs as {
        spec: { template: { spec: { containers: { image: string }[] } } };
      }
    ).spec.template.spec.containers[0].image;
    assert.equal(image, `registry.example.com:5000/istio/proxyv2:${ISTIO_VERSION}`);
    const ambient = await plan({
      stack: "dev",
      phase: "parallel",
      deployedPhase: "discovery",
      set: { "istio.mode": "ambient" },
    });
    assert.deepEqual(prePulls(ambient), []);
    const none = await plan({
      stack: "dev",
      phase: "parallel",
      deployedPhase: "discovery",
      set: { migration: JSON.stringify({ namespaces: [{ name: "shop", state: "appmesh" }] }) },
    });
    assert.deepEqual(prePulls(none), []);
  });
});
