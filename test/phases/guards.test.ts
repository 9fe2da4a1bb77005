// Deploy guards: Kubernetes versions EKS would refuse half way, an adopted cluster too old for Istio, pods sent back to App Mesh after its end of life.
import * as assert from "node:assert/strict";
import {
  DeployGuardError,
  guardAdoptedVersion,
  guardAppMeshRestart,
  guardKubernetesVersion,
  kubernetesMinor,
} from "../../phases/guards";
import { DeployedState } from "../../phases/deployed";
import { PHASE_SPECS } from "../../phases/phases";
import { plan } from "../support/plan";

const deployedAt = (kubernetesVersion: unknown): DeployedState => ({
  known: true,
  outputs: { phase: "discovery", kubernetesVersion },
});
const create = (kubernetesVersion: string) => ({ mode: "create" as const, kubernetesVersion });
const SUPPORTED = { min: "1.32", max: "1.36" };

describe("guardKubernetesVersion", () => {
  it("refuses to ask EKS for a downgrade, naming the version the cluster runs", () => {
    assert.throws(
      () => guardKubernetesVersion(deployedAt("1.36"), create("1.35")),
      (e: unknown) =>
        e instanceof DeployGuardError &&
        /"1\.35" but the cluster runs 1\.36.*cannot downgrade/.test(e.message),
    );
  });

  it("refuses to skip minor versions, which EKS upgrades one at a time, and says the next step", () => {
    assert.throws(
      () => guardKubernetesVersion(deployedAt("1.32"), create("1.36")),
      /one minor version at a time\. Set "1\.33"/,
    );
  });

  it("allows the same version and the next one, and a new stack", () => {
    assert.equal(guardKubernetesVersion(deployedAt("1.35"), create("1.35")), "unchanged: 1.35");
    assert.equal(
      guardKubernetesVersion(deployedAt("1.35"), create("1.36")),
      "upgrade: 1.35 -> 1.36",
    );
    assert.match(guardKubernetesVersion(deployedAt(undefined), create("1.36")), /new cluster/);
    assert.match(
      guardKubernetesVersion({ known: false, reason: "offline" }, create("1.36")),
      /not checked \(offline\)/,
    );
    assert.match(guardKubernetesVersion(deployedAt("1.20"), { mode: "existing" }), /never sets/);
  });

  it("reads 1.xx and 1.xx.y, nothing else", () => {
    assert.equal(kubernetesMinor("1.36"), 36);
    assert.equal(kubernetesMinor("1.33.5"), 33);
    for (const v of ["<computed>", "v1.33", 1.33, "", undefined]) {
      assert.equal(kubernetesMinor(v), undefined);
    }
  });
});

describe("guardAdoptedVersion", () => {
  it("refuses to install Istio on an adopted cluster older than 1.32, and never offers to change it", () => {
    const old = { kubernetesVersion: "1.31", autoMode: false };
    assert.throws(
      () => guardAdoptedVersion("platform", old, true, SUPPORTED),
      /runs Kubernetes 1\.31, and Istio 1\.30 needs 1\.32.*update-cluster-version --name platform --kubernetes-version 1\.32/,
    );
    assert.equal(guardAdoptedVersion("platform", old, false, SUPPORTED), "adopted: 1.31");
    assert.match(
      guardAdoptedVersion("p", { kubernetesVersion: "1.37", autoMode: false }, true, SUPPORTED),
      /newer than Istio 1\.30 supports/,
    );
    assert.match(
      guardAdoptedVersion(
        "p",
        { kubernetesVersion: "<computed>", autoMode: false },
        true,
        SUPPORTED,
      ),
      /not checked/,
    );
  });

  it("stops the prod stack (adopted) before Istio goes on a 1.31 cluster, and sets no version", async () => {
    await assert.rejects(
      plan({
        stack: "prod",
        phase: "parallel",
        program: { adoptedCluster: { kubernetesVersion: "1.31", autoMode: false } },
      }),
      (e: unknown) => e instanceof DeployGuardError && /Istio 1\.30 needs 1\.32/.test(e.message),
    );
    const doc = await plan({
      stack: "prod",
      program: { adoptedCluster: { kubernetesVersion: "1.34", autoMode: false } },
    });
    assert.equal(doc.outputs.kubernetesVersionGuard, "adopted: 1.34");
    assert.ok(!doc.resources.some((r) => r.type === "eks:index:Cluster"), "nothing to set it on");
  });

  it("stops a created cluster's downgrade in the program, before anything is registered", async () => {
    await assert.rejects(
      plan({
        stack: "dev",
        set: { "cluster.kubernetesVersion": '"1.35"' },
        deployedOutputs: { phase: "discovery", kubernetesVersion: "1.36" },
      }),
      /cannot downgrade/,
    );
  });
});

describe("guardAppMeshRestart", () => {
  const cfg = (controlPlane: "reachable" | "unreachable", shop: "istio" | "appmesh" = "istio") => ({
    appmesh: { controlPlane },
    migration: {
      namespaces: [
        { name: "shop", state: shop },
        { name: "legacy", state: "appmesh" as const },
      ],
    },
  });
  // The stack output `migration` of a workloads deployment: shop restarted into Istio.
  const deployed: DeployedState = {
    known: true,
    outputs: {
      phase: "workloads",
      migration: [
        {
          namespace: "shop",
          state: "istio",
          labels: { "istio-injection": "enabled" },
          restarted: ["cart"],
        },
        {
          namespace: "legacy",
          state: "appmesh",
          labels: { "istio-injection": "disabled" },
          restarted: [],
        },
      ],
    },
  };

  it("refuses to restart a namespace that runs on Istio back into App Mesh sidecars, by rollback or by state", () => {
    assert.throws(
      () =>
        guardAppMeshRestart(
          deployed,
          cfg("unreachable"),
          PHASE_SPECS.parallel,
          PHASE_SPECS.workloads,
        ),
      /namespace\(s\) shop back into App Mesh sidecars.*end of life on 2026-09-30/,
    );
    assert.throws(
      () =>
        guardAppMeshRestart(
          deployed,
          cfg("unreachable", "appmesh"),
          PHASE_SPECS.cutover,
          PHASE_SPECS.workloads,
        ),
      /shop back into App Mesh/,
    );
  });

  it("allows moves that keep them on Istio, and any move when the control plane is said to answer", () => {
    assert.equal(
      guardAppMeshRestart(deployed, cfg("unreachable"), PHASE_SPECS.cutover, PHASE_SPECS.workloads),
      "no pod goes back to App Mesh",
    );
    assert.match(
      guardAppMeshRestart(deployed, cfg("reachable"), PHASE_SPECS.discovery, PHASE_SPECS.workloads),
      /reachable/,
    );
    assert.match(
      guardAppMeshRestart(
        { known: false, reason: "offline" },
        cfg("unreachable"),
        PHASE_SPECS.parallel,
        undefined,
      ),
      /not checked/,
    );
    // Without the `migration` output, the deployed phase says who was on Istio.
    const phaseOnly: DeployedState = { known: true, outputs: { phase: "parallel" } };
    assert.equal(
      guardAppMeshRestart(
        phaseOnly,
        cfg("unreachable"),
        PHASE_SPECS.discovery,
        PHASE_SPECS.parallel,
      ),
      "no pod goes back to App Mesh",
    );
  });

  it("stops `pulumi up` before anything is registered, unless meshlift:appmesh.controlPlane is reachable", async () => {
    await assert.rejects(
      plan({ stack: "dev", phase: "parallel", deployedPhase: "workloads" }),
      /shop, payments back into App Mesh sidecars/,
    );
    const ok = await plan({
      stack: "dev",
      phase: "parallel",
      deployedPhase: "workloads",
      set: { "appmesh.controlPlane": "reachable" },
    });
    assert.match(String(ok.outputs.appmeshRestartGuard), /reachable/);
  });
});
