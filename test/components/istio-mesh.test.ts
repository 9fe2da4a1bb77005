// IstioMesh on its own under mocks: the Istio releases with pinned charts from the configured repository, their order, ztunnel in ambient mode, istiod's protection, the gateway's Service and NLB hostname as outputs; a refusal of istio-system as the gateway namespace before anything exists (hooks: istio-mesh-hooks.test.ts).
import * as assert from "node:assert/strict";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { deepMerge } from "../../builders/helm";
import {
  baseValues,
  cniValues,
  gatewayValues,
  istiodValues,
  ztunnelValues,
} from "../../builders/istio-mesh";
import { IstioMesh, IstioMeshArgs } from "../../components/istio-mesh";
import { IstioConfig, istioSchema } from "../../config/sections/istio";
import { CHARTS, ISTIO_CHART_REPOSITORY, ISTIO_VERSION } from "../../config/versions";
import {
  buildUnderMocks,
  ofType,
  promiseOf,
  recordedNamed,
  recordUnderMocks,
  Registered,
} from "../support/component-mocks";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const HOSTNAME = "gw-123.elb.eu-west-1.amazonaws.com";

// The release reports its namespace as Helm does; the gateway Service its NLB.
const state = (r: Registered) =>
  r.type === RELEASE
    ? { status: { name: r.inputs.name, namespace: r.inputs.namespace } }
    : r.type === "kubernetes:core/v1:Service"
      ? { status: { loadBalancer: { ingress: [{ hostname: HOSTNAME }] } } }
      : {};

function record(istio: Record<string, unknown>, extra: Partial<IstioMeshArgs> = {}) {
  return recordUnderMocks(
    () => {
      const provider = new k8s.Provider("k8s", { kubeconfig: "{}" });
      const systemNamespace = new k8s.core.v1.Namespace(
        "istio-system",
        { metadata: { name: "istio-system" } },
        { provider },
      );
      const lbc = new k8s.core.v1.ConfigMap("lb-controller", {}, { provider });
      return new IstioMesh(
        "mesh",
        {
          istio: istioSchema.parse(istio),
          dedicatedGatewayNodes: false,
          systemNamespace,
          dependsOn: { gateway: [lbc] },
          ...extra,
        },
        { providers: [provider] },
      );
    },
    { settle: (c) => [c.gatewayHostname], state },
  );
}

const release = (registered: readonly Registered[], name: string) => {
  const r = ofType(registered, RELEASE).find((x) => x.inputs.name === name);
  assert.ok(r, `no release ${name}`);
  return r;
};

describe("IstioMesh", () => {
  it("installs base, istiod, cni and the gateway with pinned names, charts and values", async () => {
    const { registered } = await record({});
    const istio: IstioConfig = istioSchema.parse({});
    const want: [string, string, string, string, unknown][] = [
      ["mesh-base", "istio-base", CHARTS.istioBase.chart, "istio-system", baseValues()],
      ["mesh-istiod", "istiod", CHARTS.istiod.chart, "istio-system", istiodValues(istio)],
      ["mesh-cni", "istio-cni", CHARTS.istioCni.chart, "istio-system", cniValues(istio)],
      [
        "mesh-gateway",
        "istio-ingressgateway",
        CHARTS.istioGateway.chart,
        "istio-ingress",
        gatewayValues(istio, false),
      ],
    ];
    assert.deepEqual(
      ofType(registered, RELEASE)
        .map((r) => r.name)
        .sort(),
      want.map((w) => w[0]).sort(),
      "no ztunnel in sidecar mode",
    );
    for (const [pulumiName, name, chart, namespace, values] of want) {
      const r = release(registered, name);
      assert.equal(r.name, pulumiName);
      assert.equal(r.inputs.chart, chart);
      assert.equal(r.inputs.version, ISTIO_VERSION);
      assert.deepEqual(r.inputs.repositoryOpts, { repo: ISTIO_CHART_REPOSITORY });
      assert.equal(r.inputs.namespace, namespace);
      assert.deepEqual(r.inputs.values, values, name);
    }
    const [ns] = ofType(registered, "kubernetes:core/v1:Namespace").filter(
      (n) => n.name === "mesh-gateway-ns",
    );
    assert.deepEqual(ns.inputs.metadata, { name: "istio-ingress" });
  });

  it("orders base and cni side by side after istio-system, istiod after base, the gateway after istiod and its hook", async () => {
    const { recorded } = await record({});
    const urn = (n: string) => recordedNamed(recorded, n).urn;
    const deps = (n: string) => recordedNamed(recorded, n).dependsOn;
    for (const n of ["mesh-base", "mesh-cni"]) assert.ok(deps(n).includes(urn("istio-system")), n);
    assert.ok(!deps("mesh-cni").includes(urn("mesh-base")), "cni does not wait for base");
    assert.ok(deps("mesh-istiod").includes(urn("mesh-base")));
    assert.ok(!deps("mesh-istiod").includes(urn("mesh-cni")));
    for (const n of ["mesh-gateway-ns", "mesh-istiod", "lb-controller"]) {
      assert.ok(deps("mesh-gateway").includes(urn(n)), n);
    }
    assert.equal(recordedNamed(recorded, "mesh-istiod").protect, false);
  });

  it("protects istiod when asked, and nothing else", async () => {
    const { recorded } = await record({}, { protectIstiod: true });
    const mesh = recordedNamed(recorded, "mesh").urn;
    assert.deepEqual(
      recorded.filter((r) => r.parent === mesh && r.protect).map((r) => r.name),
      ["mesh-istiod"],
    );
  });

  it("adds ztunnel after istiod in ambient mode, with the values given merged over its own", async () => {
    const extra = { multiCluster: { clusterName: "east" }, network: "net1" };
    const { recorded, registered } = await record(
      { mode: "ambient", ingressApi: "gateway-api" },
      { ztunnelValues: extra },
    );
    const z = release(registered, "ztunnel");
    assert.equal(z.inputs.chart, CHARTS.ztunnel.chart);
    assert.equal(z.inputs.namespace, "istio-system");
    const istio = istioSchema.parse({ mode: "ambient", ingressApi: "gateway-api" });
    assert.deepEqual(z.inputs.values, deepMerge(ztunnelValues(istio), extra));
    assert.ok(
      recordedNamed(recorded, "mesh-ztunnel").dependsOn.includes(
        recordedNamed(recorded, "mesh-istiod").urn,
      ),
    );
  });

  it("takes every chart from an OCI registry by URL, with no Helm repository", async () => {
    const repo = "oci://ghcr.io/istio/release/charts";
    const { registered } = await record({ chartRepository: repo });
    const releases = ofType(registered, RELEASE);
    assert.equal(releases.length, 4);
    for (const r of releases) {
      assert.match(String(r.inputs.chart), /^oci:\/\/ghcr\.io\/istio\/release\/charts\/[a-z]+$/);
      assert.equal(r.inputs.repositoryOpts, undefined, r.name);
    }
  });

  it("puts the gateway on the gateway nodes and a load balancer class when asked", async () => {
    const { registered } = await record(
      {},
      { dedicatedGatewayNodes: true, loadBalancerClass: "eks.amazonaws.com/nlb" },
    );
    assert.deepEqual(
      release(registered, "istio-ingressgateway").inputs.values,
      gatewayValues(istioSchema.parse({}), true, { loadBalancerClass: "eks.amazonaws.com/nlb" }),
    );
  });

  it("reads the gateway Service once the release exists and outputs its name, namespace and NLB hostname", async () => {
    const { component, registered } = await record({ gateway: { namespace: "edge" } });
    const [read] = registered.filter((r) => r.name === "mesh-gateway-service");
    assert.equal(read.type, "kubernetes:core/v1:Service");
    assert.equal(read.id, "edge/istio-ingressgateway");
    assert.equal(component.gatewayServiceName, "istio-ingressgateway");
    assert.equal(component.gatewayNamespace, "edge");
    assert.equal(await promiseOf(component.gatewayHostname), HOSTNAME);
    assert.equal(component.mode, "sidecar");
    assert.equal(component.version, ISTIO_VERSION);
  });

  it("refuses istio-system as the gateway namespace before installing anything", async () => {
    const { registered } = await buildUnderMocks(
      () => {
        const systemNamespace = new k8s.core.v1.Namespace("istio-system", {});
        assert.throws(
          () =>
            new IstioMesh("mesh", {
              istio: istioSchema.parse({ gateway: { namespace: "istio-system" } }),
              dedicatedGatewayNodes: false,
              systemNamespace,
            }),
          (e: unknown) =>
            e instanceof pulumi.ResourceError &&
            e.message ===
              'IstioMesh mesh: meshlift:istio.gateway.namespace must be the gateway\'s own namespace, not "istio-system" (default "istio-ingress")',
        );
      },
      { settle: () => [] },
    );
    assert.deepEqual(ofType(registered, RELEASE), []);
    assert.deepEqual(
      registered.filter((r) => r.name === "mesh-gateway-ns"),
      [],
    );
  });
});
