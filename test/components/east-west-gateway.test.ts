// EastWestGateway on its own under mocks: the gateway chart as this network's gateway, the AUTO_PASSTHROUGH Gateway after it, and a refusal when east-west is off.
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { crossNetworkGateway, eastWestGatewayValues } from "../../builders/east-west-gateway";
import { EastWestGateway } from "../../components/east-west-gateway";
import { CHARTS } from "../../config/versions";
import { buildUnderMocks, ofType } from "../support/component-mocks";
import { multiCluster, multiNetwork } from "../support/multicluster";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const GATEWAY = "kubernetes:networking.istio.io/v1:Gateway";

describe("EastWestGateway", () => {
  it("installs the gateway chart as istio-eastwestgateway with the network gateway values", async () => {
    const { registered } = await buildUnderMocks(
      () => new EastWestGateway("ew", { multiCluster: multiNetwork }),
      { settle: (c) => [c.release.id, c.gateway.id] },
    );
    const [release] = ofType(registered, RELEASE);
    assert.equal(release.name, "ew-release");
    assert.equal(release.inputs.name, "istio-eastwestgateway");
    assert.equal(release.inputs.chart, CHARTS.istioGateway.chart);
    assert.equal(release.inputs.version, CHARTS.istioGateway.version);
    assert.deepEqual(release.inputs.repositoryOpts, { repo: CHARTS.istioGateway.repo });
    assert.equal(release.inputs.namespace, "istio-system");
    assert.deepEqual(release.inputs.values, eastWestGatewayValues(multiNetwork));
    const [gw] = ofType(registered, GATEWAY);
    assert.equal(gw.name, "ew-cross-network");
    const want = crossNetworkGateway(multiNetwork, "istio-system");
    assert.deepEqual(gw.inputs.spec, want.spec);
    assert.deepEqual(gw.inputs.metadata, want.metadata);
  });

  it("takes a mirror repository, another namespace and Auto Mode's load balancer class", async () => {
    const { registered } = await buildUnderMocks(
      () =>
        new EastWestGateway("ew", {
          multiCluster: multiNetwork,
          namespace: "mesh-gw",
          repository: "https://charts.mirror.example.com/istio",
          chartVersion: "1.30.0",
          loadBalancerClass: "eks.amazonaws.com/nlb",
        }),
      { settle: (c) => [c.release.id, c.gateway.id] },
    );
    const [release] = ofType(registered, RELEASE);
    assert.equal(release.inputs.namespace, "mesh-gw");
    assert.equal(release.inputs.version, "1.30.0");
    assert.deepEqual(release.inputs.repositoryOpts, {
      repo: "https://charts.mirror.example.com/istio",
    });
    const values = release.inputs.values as { service: { loadBalancerClass?: string } };
    assert.equal(values.service.loadBalancerClass, "eks.amazonaws.com/nlb");
    const [gw] = ofType(registered, GATEWAY);
    assert.equal((gw.inputs.metadata as { namespace: string }).namespace, "mesh-gw");
  });

  it("refuses a multi-cluster config with east-west off, naming the key and the value", async () => {
    await buildUnderMocks(() => undefined, { settle: () => [] });
    assert.throws(
      () => new EastWestGateway("ew", { multiCluster: multiCluster() }),
      (e: unknown) =>
        e instanceof pulumi.ResourceError &&
        /needs multiCluster\.eastWest\.enabled true \(given: false\)/.test(e.message),
    );
  });
});
