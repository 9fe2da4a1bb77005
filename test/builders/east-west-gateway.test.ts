// The east-west gateway of a multi-network mesh: its Helm values against the chart's keys, and the Gateway that passes other networks' mTLS through.
import * as assert from "node:assert/strict";
import { crossNetworkGateway, eastWestGatewayValues } from "../../builders/east-west-gateway";
import { nlbServiceAnnotations } from "../../builders/nlb";
import { loadKeys, unknownKeys } from "../support/chart-keys";
import { multiCluster, multiNetwork } from "../support/multicluster";

describe("east-west gateway", () => {
  it("makes the east-west gateway a network gateway with only keys the chart accepts", () => {
    const v = eastWestGatewayValues(multiNetwork);
    assert.equal(v.networkGateway, "net-use1");
    assert.equal(v.labels.istio, "eastwestgateway");
    assert.ok(!("topology.istio.io/network" in v.labels), "the chart adds it; twice breaks YAML");
    assert.equal(
      v.service.annotations["service.beta.kubernetes.io/aws-load-balancer-scheme"],
      "internal",
    );
    assert.deepEqual(v.service.loadBalancerSourceRanges, ["10.41.0.0/16"]);
    // The same NLB annotations as the ingress gateway: cross-zone as an attribute, never the deprecated one.
    assert.deepEqual(v.service.annotations, nlbServiceAnnotations("internal"));
    const keys = loadKeys("istio-gateway");
    assert.deepEqual(unknownKeys(v, keys), []);
    assert.equal("loadBalancerClass" in v.service, false, "the LB controller's NLB by default");
    const auto = eastWestGatewayValues(multiNetwork, {
      loadBalancerClass: "eks.amazonaws.com/nlb",
    });
    assert.equal(auto.service.loadBalancerClass, "eks.amazonaws.com/nlb", "EKS Auto Mode's NLB");
    assert.deepEqual(unknownKeys(auto, keys), []);
  });

  it("routes other networks' mTLS through 15443 in AUTO_PASSTHROUGH", async () => {
    const gw = crossNetworkGateway(multiNetwork);
    const { Gateway } = await import("@kubernetes-models/istio/networking.istio.io/v1/Gateway");
    new Gateway(gw as never).validate();
    assert.deepEqual(gw.spec.selector, { istio: "eastwestgateway" });
    assert.deepEqual(gw.spec.servers, [
      {
        port: { number: 15443, name: "tls", protocol: "TLS" },
        tls: { mode: "AUTO_PASSTHROUGH" },
        hosts: ["*.local"],
      },
    ]);
    const exposed = crossNetworkGateway(
      multiCluster({ eastWest: { enabled: true, exposeIstiod: true } }),
    );
    assert.deepEqual(
      exposed.spec.servers.map((s) => (s.port as { number: number }).number),
      [15443, 15012, 15017],
    );
  });
});
