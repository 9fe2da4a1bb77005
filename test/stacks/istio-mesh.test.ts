// Whole-stack test of IstioMesh's (and LbController's) part of the plan: releases, order, namespaces, providers, mode guard (the component alone: test/components/istio-mesh.test.ts and istio-mesh-hooks.test.ts).
import * as assert from "node:assert/strict";
import { isDeepStrictEqual } from "node:util";
import { PlanDocument, PlanResource } from "../../plan/offline";
import { IstioModeError } from "../../phases/istio-mode";
import { HELM_RELEASE, longestHelmChain } from "../../plan/metrics";
import { CHARTS, ISTIO_VERSION } from "../../config/versions";
import { KEY_FILES, loadKeys, unknownKeys } from "../support/chart-keys";
import { named, ofType, plan, transitiveDeps } from "../support/plan";

const ISTIO_REPO = "https://blob.istio.io/istio-release/charts";

function releases(doc: PlanDocument): Map<string, PlanResource> {
  return new Map(ofType(doc, HELM_RELEASE).map((r) => [String(r.inputs.name), r]));
}

function dependsOnRelease(doc: PlanDocument, r: PlanResource, release: string): boolean {
  const target = releases(doc).get(release);
  assert.ok(target, `no release ${release}`);
  return transitiveDeps(doc, r).has(target.urn);
}

describe("IstioMesh", () => {
  let discovery: PlanDocument;
  let parallel: PlanDocument;
  let ambient: PlanDocument;
  let prod: PlanDocument;

  before(async () => {
    discovery = await plan({ stack: "dev", phase: "discovery" });
    parallel = await plan({ stack: "dev", phase: "parallel" });
    ambient = await plan({ stack: "dev", phase: "parallel", set: { "istio.mode": "ambient" } });
    prod = await plan({ stack: "prod", phase: "parallel" });
  });

  it("installs nothing of Istio in discovery", () => {
    assert.equal(ofType(discovery, HELM_RELEASE).length, 0);
    assert.equal(discovery.outputs.istioMode, undefined);
  });

  it("installs base, istiod, cni, the gateway and the LB controller with stable names and pinned charts", () => {
    const r = releases(parallel);
    const expected: Record<string, [string, string, string, string]> = {
      "istio-base": ["base", ISTIO_VERSION, ISTIO_REPO, "istio-system"],
      istiod: ["istiod", ISTIO_VERSION, ISTIO_REPO, "istio-system"],
      "istio-cni": ["cni", ISTIO_VERSION, ISTIO_REPO, "istio-system"],
      "istio-ingressgateway": ["gateway", ISTIO_VERSION, ISTIO_REPO, "istio-ingress"],
      "aws-load-balancer-controller": [
        "aws-load-balancer-controller",
        "3.5.0",
        "https://aws.github.io/eks-charts",
        "kube-system",
      ],
    };
    for (const [name, [chart, version, repo, namespace]] of Object.entries(expected)) {
      const rel = r.get(name);
      assert.ok(rel, `release ${name} missing; have ${[...r.keys()].join(", ")}`);
      assert.equal(rel.inputs.chart, chart);
      assert.equal(rel.inputs.version, version);
      assert.deepEqual(rel.inputs.repositoryOpts, { repo });
      assert.equal(rel.inputs.namespace, namespace);
      assert.equal(rel.inputs.skipAwait, false, `${name} must wait for readiness`);
    }
    assert.equal(r.has("ztunnel"), false);
  });

  it("protects istiod where the cluster is protected (prod), and nowhere else", async () => {
    assert.equal(releases(prod).get("istiod")?.protect, true, "prod (adopted cluster)");
    assert.equal(releases(parallel).get("istiod")?.protect, false, "dev");
    const unprotected = await plan({
      stack: "dev",
      phase: "parallel",
      set: { environment: "prod-eu", "cluster.protect": "false" },
    });
    assert.equal(releases(unprotected).get("istiod")?.protect, false, "cluster.protect false");
    for (const [name, rel] of releases(prod)) {
      if (name !== "istiod") assert.equal(rel.protect, false, name);
    }
  });

  it("orders installs by dependency: base -> istiod -> gateway, LB controller -> gateway", () => {
    const r = releases(parallel);
    const istiod = r.get("istiod") as PlanResource;
    const gateway = r.get("istio-ingressgateway") as PlanResource;
    const cni = r.get("istio-cni") as PlanResource;
    assert.ok(dependsOnRelease(parallel, istiod, "istio-base"));
    assert.ok(dependsOnRelease(parallel, gateway, "istiod"));
    assert.ok(dependsOnRelease(parallel, gateway, "aws-load-balancer-controller"));
    // cni and base need nothing from each other: they install side by side.
    assert.ok(!dependsOnRelease(parallel, cni, "istio-base"));
    assert.ok(!dependsOnRelease(parallel, named(parallel, "istio-base"), "istio-cni"));
    assert.ok(
      !dependsOnRelease(parallel, r.get("aws-load-balancer-controller") as PlanResource, "istiod"),
    );
  });

  it("keeps the longest chain of Helm installs at 3 or fewer, in both modes", () => {
    for (const doc of [parallel, ambient, prod]) {
      const chain = longestHelmChain(doc);
      assert.ok(chain.length <= 3, `chain ${chain.join(" -> ")}`);
      assert.ok(
        chain.length >= 3,
        `base -> istiod -> gateway is a real chain: ${chain.join(" -> ")}`,
      );
    }
  });

  it("installs everything after the node groups, through the cluster's provider", () => {
    const nodeGroups = ofType(parallel, "eks:index:ManagedNodeGroup").map((n) => n.urn);
    assert.equal(nodeGroups.length, 2);
    const provider = named(parallel, "cluster-k8s").urn;
    for (const r of parallel.resources.filter((x) => x.type.startsWith("kubernetes:"))) {
      if (r.type === "pulumi:providers:kubernetes") continue;
      assert.equal(r.provider, provider, `${r.name} uses another provider`);
      const deps = transitiveDeps(parallel, r);
      for (const ng of nodeGroups) assert.ok(deps.has(ng), `${r.name} does not wait for ${ng}`);
      assert.ok(r.parent, `${r.name} has no parent component`);
    }
  });

  it("labels no namespace for injection in parallel", () => {
    for (const ns of ofType(parallel, "kubernetes:core/v1:Namespace")) {
      const labels = (ns.inputs.metadata as { labels?: Record<string, string> }).labels ?? {};
      assert.equal(labels["istio-injection"], undefined, String(ns.name));
      assert.equal(labels["istio.io/rev"], undefined, String(ns.name));
    }
    const names = ofType(parallel, "kubernetes:core/v1:Namespace").map(
      (n) => (n.inputs.metadata as { name: string }).name,
    );
    assert.ok(names.includes("istio-system") && names.includes("istio-ingress"));
    const istiod = releases(parallel).get("istiod") as PlanResource;
    const v = istiod.inputs.values as {
      sidecarInjectorWebhook: { enableNamespacesByDefault: boolean };
    };
    assert.equal(v.sidecarInjectorWebhook.enableNamespacesByDefault, false);
  });

  it("sets only Helm value keys the charts read, in every phase and mode", async () => {
    const docs = [parallel, ambient, prod, await plan({ stack: "dev", phase: "decommission" })];
    const unchecked = new Set<string>();
    for (const doc of docs) {
      for (const r of ofType(doc, HELM_RELEASE)) {
        const chart = String(r.inputs.chart);
        const file = KEY_FILES[chart];
        if (!file) {
          unchecked.add(chart);
          continue;
        }
        const bad = unknownKeys(r.inputs.values as Record<string, unknown>, loadKeys(file));
        assert.deepEqual(bad, [], `${r.name} (${chart}) sets keys the chart does not read`);
      }
    }
    assert.deepEqual([...unchecked].sort(), [], "every chart has a reference key list");
  });

  it("takes every Istio chart from the configured repository, an OCI registry included", async () => {
    const oci = await plan({
      stack: "prod-use1",
      set: { "istio.chartRepository": "oci://ghcr.io/istio/release/charts/" },
    });
    const istio = ofType(oci, HELM_RELEASE).filter((r) => r.name.startsWith("istio-"));
    const ew = named(oci, "mesh-eastwest-release");
    for (const r of [...istio, ew]) {
      assert.match(String(r.inputs.chart), /^oci:\/\/ghcr\.io\/istio\/release\/charts\/[a-z]+$/);
      assert.equal(r.inputs.repositoryOpts, undefined, `${r.name}: OCI charts take no repository`);
      assert.equal(r.inputs.version, ISTIO_VERSION);
    }
    assert.equal(istio.length, 4);
    assert.deepEqual(named(parallel, "istio-istiod").inputs.repositoryOpts, { repo: ISTIO_REPO });
  });

  it("runs ambient mode with profile ambient on istiod and cni, plus ztunnel after istiod", () => {
    const r = releases(ambient);
    const ztunnel = r.get("ztunnel");
    assert.ok(ztunnel);
    assert.equal(ztunnel.inputs.chart, CHARTS.ztunnel.chart);
    assert.equal(ztunnel.inputs.version, ISTIO_VERSION);
    assert.ok(dependsOnRelease(ambient, ztunnel, "istiod"));
    assert.equal((r.get("istiod")?.inputs.values as { profile?: string }).profile, "ambient");
    assert.equal((r.get("istio-cni")?.inputs.values as { profile?: string }).profile, "ambient");
    assert.equal(ambient.outputs.istioMode, "ambient");
  });

  it("taints a created cluster's nodes cni.istio.io/not-ready while Istio is installed, and istiod removes it", () => {
    const notReady = { key: "cni.istio.io/not-ready", effect: "NO_SCHEDULE" };
    for (const g of ["cluster-core", "cluster-gateway"]) {
      assert.deepEqual(
        (named(parallel, g).inputs.taints as unknown[]).filter((t) =>
          isDeepStrictEqual(t, notReady),
        ),
        [notReady],
        `${g} in parallel`,
      );
      // Before Istio nothing would remove it: new nodes would never take pods.
      assert.ok(
        !(named(discovery, g).inputs.taints as unknown[]).some((t) =>
          isDeepStrictEqual(t, notReady),
        ),
        `${g} in discovery`,
      );
    }
    for (const doc of [parallel, prod]) {
      const v = releases(doc).get("istiod")?.inputs.values as { taint?: { enabled: boolean } };
      assert.deepEqual(v.taint, { enabled: true }, "untaint controller on, adopted clusters too");
    }
    // The cni DaemonSet and istiod tolerate the taint in the chart itself; nothing to add here.
    const cni = releases(parallel).get("istio-cni")?.inputs.values as { tolerations?: unknown };
    assert.equal(cni.tolerations, undefined);
  });

  it("does not pin the gateway to a node group an adopted cluster lacks", () => {
    const gw = releases(prod).get("istio-ingressgateway") as PlanResource;
    assert.equal((gw.inputs.values as { nodeSelector?: unknown }).nodeSelector, undefined);
    const svc = (gw.inputs.values as { service: { loadBalancerClass?: string } }).service;
    assert.equal(
      svc.loadBalancerClass,
      undefined,
      "no Auto Mode detected: the LB controller's NLB",
    );
    const dev = releases(parallel).get("istio-ingressgateway") as PlanResource;
    assert.deepEqual((dev.inputs.values as { nodeSelector?: unknown }).nodeSelector, {
      istio: "ingressgateway",
    });
  });

  it("leaves out the LB controller on a cluster that already runs one", async () => {
    const doc = await plan({
      stack: "prod",
      phase: "parallel",
      set: { "istio.lbController.install": "false" },
    });
    const r = releases(doc);
    assert.equal(r.has("aws-load-balancer-controller"), false);
    assert.ok(r.has("istio-ingressgateway"));
    assert.equal(doc.outputs.lbControllerRoleArn, undefined);
    assert.equal(ofType(doc, "meshlift:aws:LbController").length, 0);
  });

  it("exports the gateway's Service, namespace and NLB hostname, and the mode", () => {
    assert.equal(parallel.outputs.gatewayServiceName, "istio-ingressgateway");
    assert.equal(parallel.outputs.gatewayNamespace, "istio-ingress");
    assert.equal(parallel.outputs.gatewayHostname, "<computed>");
    // The NLB alias zone of eu-west-1: the same table the Route 53 records use.
    assert.equal(parallel.outputs.gatewayHostedZoneId, "Z2IFOLAFXWLO4F");
    assert.equal(discovery.outputs.gatewayHostname, undefined);
    assert.equal(parallel.outputs.istioMode, "sidecar");
    assert.equal(parallel.outputs.istioVersion, ISTIO_VERSION);
    assert.match(String(parallel.outputs.istioModeGuard), /not checked/);
  });

  it("refuses to switch an installed mesh from sidecar to ambient", async () => {
    await assert.rejects(
      plan({
        stack: "dev",
        phase: "parallel",
        deployedPhase: "parallel",
        deployedOutputs: { istioMode: "sidecar" },
        set: { "istio.mode": "ambient" },
      }),
      (e: unknown) =>
        e instanceof IstioModeError &&
        /istio\.mode is "ambient" but the installed mesh runs in "sidecar"/.test(e.message),
    );
  });

  it("accepts the deployed mode unchanged and reports it checked", async () => {
    const doc = await plan({
      stack: "dev",
      phase: "workloads",
      deployedPhase: "parallel",
      deployedOutputs: { istioMode: "sidecar" },
    });
    assert.equal(doc.outputs.istioModeGuard, "unchanged: sidecar");
  });
});

describe("LbController", () => {
  let doc: PlanDocument;
  before(async () => {
    doc = await plan({ stack: "dev", phase: "parallel" });
  });

  it("creates the IRSA role trusted by kube-system/aws-load-balancer-controller only", () => {
    const role = named(doc, "lb-controller-irsa-role");
    const trust = JSON.parse(String(role.inputs.assumeRolePolicy)) as {
      Statement: { Condition: { StringEquals: Record<string, string> } }[];
    };
    const eq = trust.Statement[0].Condition.StringEquals;
    assert.deepEqual(Object.values(eq).sort(), [
      "sts.amazonaws.com",
      "system:serviceaccount:kube-system:aws-load-balancer-controller",
    ]);
  });

  it("attaches the upstream policy and annotates the ServiceAccount the chart uses", () => {
    const policy = named(doc, "lb-controller-irsa-policy");
    assert.equal(policy.type, "aws:iam/policy:Policy");
    assert.equal(
      (JSON.parse(String(policy.inputs.policy)) as { Statement: unknown[] }).Statement.length,
      16,
    );
    const sa = named(doc, "lb-controller-irsa-sa");
    const md = sa.inputs.metadata as {
      name: string;
      namespace: string;
      annotations: Record<string, string>;
    };
    assert.equal(md.name, "aws-load-balancer-controller");
    assert.equal(md.namespace, "kube-system");
    assert.ok("eks.amazonaws.com/role-arn" in md.annotations);
    const rel = releases(doc).get("aws-load-balancer-controller") as PlanResource;
    const v = rel.inputs.values as {
      serviceAccount: { create: boolean; name: string };
      region: string;
    };
    assert.deepEqual(v.serviceAccount, { create: false, name: md.name });
    assert.equal(v.region, "eu-west-1");
    assert.ok(rel.dependsOn.includes(sa.urn), "the chart must find its ServiceAccount");
  });
});

describe("EKS Auto Mode", () => {
  const lbClass = (doc: PlanDocument, release: string) =>
    (releases(doc).get(release)?.inputs.values as { service: Record<string, unknown> }).service
      .loadBalancerClass as string | undefined;

  it("detected on an adopted cluster: no LB controller, gateway Services of class eks.amazonaws.com/nlb", async () => {
    const doc = await plan({
      stack: "prod",
      phase: "parallel",
      set: { "istio.lbController.install": "true" },
      program: { adoptedCluster: { kubernetesVersion: "1.35", autoMode: true } },
    });
    assert.equal(releases(doc).has("aws-load-balancer-controller"), false);
    assert.equal(
      ofType(doc, "aws:iam/role:Role").filter((r) => /lb-controller/.test(r.name)).length,
      0,
    );
    assert.equal(lbClass(doc, "istio-ingressgateway"), "eks.amazonaws.com/nlb");
    assert.equal(doc.outputs.autoMode, true);
  });

  it("configured on a created cluster: Auto Mode on, no managed node groups, gateway not pinned", async () => {
    const doc = await plan({
      stack: "dev",
      phase: "parallel",
      set: { "cluster.autoMode": "true" },
    });
    assert.equal((named(doc, "cluster-eks").inputs.autoMode as { enabled: boolean }).enabled, true);
    assert.equal(ofType(doc, "eks:index:ManagedNodeGroup").length, 0);
    assert.equal(releases(doc).has("aws-load-balancer-controller"), false);
    assert.equal(lbClass(doc, "istio-ingressgateway"), "eks.amazonaws.com/nlb");
    const gw = releases(doc).get("istio-ingressgateway")?.inputs.values as {
      nodeSelector?: unknown;
    };
    assert.equal(gw.nodeSelector, undefined);
  });
});
