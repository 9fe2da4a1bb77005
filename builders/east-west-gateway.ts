// Pure builders for EastWestGateway: the gateway chart's values as a network gateway, and the AUTO_PASSTHROUGH Gateway.
import { MultiClusterConfig } from "../config/sections/multicluster";
import { nlbServiceAnnotations } from "./lb-controller";
import { ISTIO_NAMESPACE, ISTIOD_WEBHOOK_PORT, ISTIOD_XDS_PORT } from "./istio-common";

export const EAST_WEST_GATEWAY_NAME = "istio-eastwestgateway";

export const EAST_WEST_SELECTOR = { istio: "eastwestgateway" } as const;

/** mTLS passthrough between networks (SNI-routed, AUTO_PASSTHROUGH). */
export const CROSS_NETWORK_PORT = 15443;

/** Gateway chart values for the east-west gateway (its Service carries the network label). */
export function eastWestGatewayValues(
  m: MultiClusterConfig,
  opts: { readonly loadBalancerClass?: string } = {},
) {
  return {
    name: EAST_WEST_GATEWAY_NAME,
    labels: { ...EAST_WEST_SELECTOR, app: EAST_WEST_GATEWAY_NAME },
    // With networkGateway the chart itself adds the topology.istio.io/network label (pods and
    // Service), ISTIO_META_REQUESTED_NETWORK_VIEW and the 15021/15443/15012/15017 ports; setting
    // them again here would duplicate keys in the rendered manifests.
    networkGateway: m.network,
    service: {
      type: "LoadBalancer",
      ...(opts.loadBalancerClass ? { loadBalancerClass: opts.loadBalancerClass } : {}),
      annotations: nlbServiceAnnotations(m.eastWest.scheme),
      // Peers' CIDRs only; an empty list leaves the NLB open, which mTLS still guards.
      loadBalancerSourceRanges: m.peers.flatMap((p) => p.cidrs),
    },
  };
}

/** The Gateway that routes other networks' mTLS traffic for `*.local` through port 15443. */
export function crossNetworkGateway(m: MultiClusterConfig, namespace: string = ISTIO_NAMESPACE) {
  const servers: Record<string, unknown>[] = [
    {
      port: { number: CROSS_NETWORK_PORT, name: "tls", protocol: "TLS" },
      tls: { mode: "AUTO_PASSTHROUGH" },
      hosts: ["*.local"],
    },
  ];
  if (m.eastWest.exposeIstiod) {
    for (const [port, name] of [
      [ISTIOD_XDS_PORT, "tls-istiod"],
      [ISTIOD_WEBHOOK_PORT, "tls-istiodwebhook"],
    ] as const) {
      servers.push({
        port: { number: port, name, protocol: "TLS" },
        tls: { mode: "PASSTHROUGH" },
        hosts: ["*"],
      });
    }
  }
  return {
    apiVersion: "networking.istio.io/v1",
    kind: "Gateway",
    metadata: { name: "cross-network-gateway", namespace },
    spec: { selector: { ...EAST_WEST_SELECTOR }, servers },
  };
}
