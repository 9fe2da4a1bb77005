// Pure builders for IstioMesh: Helm values for the Istio charts, checked against the real charts' keys in tests.
import { IstioConfig, IstioMode } from "../config/sections/istio";
import {
  EXIT_ON_ZERO_ACTIVE_CONNECTIONS_SINCE,
  ISTIO_VERSION,
  istioAtLeast,
} from "../config/versions";
import { GATEWAY_NODE_LABEL, GATEWAY_NODE_TAINT } from "./eks-cluster";
import { Values, zoneSpread } from "./helm";
import { nlbServiceAnnotations } from "./lb-controller";

/** Gateway name: the Deployment, Service and `app` label; pinned so the labels never depend on a release name. */
export const GATEWAY_NAME = "istio-ingressgateway";
/** The selector Gateway resources use, as in Istio's docs. */
export const GATEWAY_LABELS = { istio: "ingressgateway" } as const;

/** Helm release names, pinned: Pulumi must not suffix them (a suffix changes labels and service names). */
export const RELEASES = {
  base: "istio-base",
  istiod: "istiod",
  cni: "istio-cni",
  ztunnel: "ztunnel",
  gateway: GATEWAY_NAME,
} as const;

/** The EKS taint as a Kubernetes toleration (the EKS API spells effects NO_SCHEDULE, pods NoSchedule). */
export function gatewayToleration(): Values {
  const effects: Record<string, string> = {
    NO_SCHEDULE: "NoSchedule",
    NO_EXECUTE: "NoExecute",
    PREFER_NO_SCHEDULE: "PreferNoSchedule",
  };
  return {
    key: GATEWAY_NODE_TAINT.key,
    operator: "Equal",
    value: GATEWAY_NODE_TAINT.value,
    effect: effects[GATEWAY_NODE_TAINT.effect],
  };
}

/**
 * Where the images come from, as `global.hub`/`global.tag` (istiod, which also injects the proxy
 * image into sidecars and gateways, and cni). The published 1.30.x charts default to the retired
 * registry.istio.io, so it is always set; the tag pins the images to the chart version.
 */
export function imageValues(istio: IstioConfig): Values {
  return { global: { hub: istio.hub, tag: ISTIO_VERSION } };
}

/** `base`: CRDs and the default-revision validation webhook (as istio.io's Helm install does). */
export function baseValues(): Values {
  return { defaultRevision: "default" };
}

/**
 * `istiod` with HA and the mesh defaults. Every key is top level (no legacy `pilot.` prefix);
 * concurrency lives in meshConfig.defaultConfig, where the proxy reads it.
 */
export function istiodValues(istio: IstioConfig): Values {
  const d = istio.istiod;
  const values: Values = {
    autoscaleEnabled: true,
    autoscaleMin: d.autoscaleMin,
    autoscaleMax: d.autoscaleMax,
    resources: d.resources,
    topologySpreadConstraints: zoneSpread({ app: "istiod" }),
    // The chart creates the PDB only with autoscaleMin > 1, which the config schema guarantees.
    pdb: { minAvailable: 1 },
    // Sidecar redirection comes from the istio-cni node agent, not privileged init containers.
    cni: { enabled: true },
    // Only namespaces labelled later (the workloads phase) get sidecars; nothing by default.
    sidecarInjectorWebhook: { enableNamespacesByDefault: false },
    // Removes cni.istio.io/not-ready from a node once its CNI agent is ready (the node groups of a
    // created cluster carry it; an adopted cluster's node groups or Karpenter can add it).
    taint: { enabled: true },
    global: {
      ...(imageValues(istio).global as Values),
      defaultPodDisruptionBudget: { enabled: true },
      proxy: { autoInject: "enabled", resources: istio.proxy.resources },
    },
    meshConfig: {
      accessLogFile: istio.accessLog.file,
      accessLogEncoding: istio.accessLog.encoding,
      defaultConfig: {
        concurrency: istio.proxy.concurrency,
        ...(istio.mode === "sidecar" ? sidecarLifecycle(istio.proxy) : {}),
      },
    },
  };
  return istio.mode === "ambient" ? { ...values, profile: "ambient" } : values;
}

/**
 * The sidecars' start and drain, mesh-wide (ProxyConfig fields of meshConfig.defaultConfig; the
 * `global.proxy.holdApplicationUntilProxyStarts` value is deprecated in favour of it). Namespaces
 * override them per pod with `proxy.istio.io/config` (builders/namespace-migration.ts).
 */
export function sidecarLifecycle(
  proxy: IstioConfig["proxy"],
  version: string = ISTIO_VERSION,
): Values {
  const exitOnZero =
    proxy.exitOnZeroActiveConnections &&
    istioAtLeast(version, EXIT_ON_ZERO_ACTIVE_CONNECTIONS_SINCE);
  return {
    holdApplicationUntilProxyStarts: proxy.holdApplicationUntilProxyStarts,
    terminationDrainDuration: proxy.terminationDrainDuration,
    // pilot-agent reads it from its environment, which proxyMetadata sets; values are strings.
    ...(exitOnZero ? { proxyMetadata: { EXIT_ON_ZERO_ACTIVE_CONNECTIONS: "true" } } : {}),
  };
}

/** `cni`: the node agent; in ambient mode the ambient profile turns on its ambient redirection. */
export function cniValues(istio: IstioConfig): Values {
  const values: Values = {
    ...imageValues(istio),
    // Runs on every node, the gateway nodes included, and never rewires kube-system pods.
    excludeNamespaces: ["kube-system"],
    resources: { requests: { cpu: "100m", memory: "100Mi" } },
  };
  return istio.mode === "ambient" ? { ...values, profile: "ambient" } : values;
}

/**
 * `ztunnel` (ambient only): chart defaults are right for EKS except the image, which this chart
 * reads from its own top-level `hub`/`tag` (not `global.*`).
 */
export function ztunnelValues(istio: IstioConfig): Values {
  return { hub: istio.hub, tag: ISTIO_VERSION };
}

/**
 * The Service class EKS Auto Mode provisions NLBs for; it reads the same annotations as the LB
 * controller (type external, IP targets, scheme, health check).
 */
export const AUTO_MODE_LOAD_BALANCER_CLASS = "eks.amazonaws.com/nlb";

/** Annotations that make the LB controller (or EKS Auto Mode) provision an NLB with IP targets for the gateway. */
export function gatewayServiceAnnotations(scheme: IstioConfig["gateway"]["scheme"]): Values {
  return {
    ...nlbServiceAnnotations(scheme),
    "service.beta.kubernetes.io/aws-load-balancer-healthcheck-protocol": "http",
    "service.beta.kubernetes.io/aws-load-balancer-healthcheck-port": "15021",
    "service.beta.kubernetes.io/aws-load-balancer-healthcheck-path": "/healthz/ready",
  };
}

/** Service ports: Istio's status port (NLB health check) and HTTP/HTTPS. */
export const GATEWAY_PORTS = [
  { name: "status-port", port: 15021, protocol: "TCP", targetPort: 15021 },
  { name: "http2", port: 80, protocol: "TCP", targetPort: 80 },
  { name: "https", port: 443, protocol: "TCP", targetPort: 443 },
] as const;

/**
 * `gateway`: values at the top level (the chart's schema rejects unknown top-level keys, so no
 * `gateways.istio-ingressgateway.*`); resources as strings, as its schema demands.
 */
export function gatewayValues(
  istio: IstioConfig,
  dedicatedNodes: boolean,
  opts: {
    /** `service.loadBalancerClass` (EKS Auto Mode); immutable once the Service exists. @default none */
    readonly loadBalancerClass?: string;
  } = {},
): Values {
  const g = istio.gateway;
  const scheduling: Values = dedicatedNodes
    ? {
        nodeSelector: { [GATEWAY_NODE_LABEL.key]: GATEWAY_NODE_LABEL.value },
        tolerations: [gatewayToleration()],
      }
    : {};
  return {
    name: GATEWAY_NAME,
    labels: { ...GATEWAY_LABELS },
    ...scheduling,
    topologySpreadConstraints: zoneSpread({ app: GATEWAY_NAME }),
    autoscaling: {
      enabled: true,
      minReplicas: g.minReplicas,
      maxReplicas: g.maxReplicas,
      targetCPUUtilizationPercentage: 80,
    },
    podDisruptionBudget: { minAvailable: 1 },
    resources: g.resources,
    service: {
      type: "LoadBalancer",
      ...(opts.loadBalancerClass ? { loadBalancerClass: opts.loadBalancerClass } : {}),
      annotations: gatewayServiceAnnotations(g.scheme),
      ports: GATEWAY_PORTS.map((p) => ({ ...p })),
    },
  };
}

/**
 * Keeps the sidecars out of the way of calls to the Kubernetes API (controllers, operators, leader
 * election): the API Service's address is excluded from outbound interception mesh-wide
 * (`global.proxy.excludeIPRanges`, which the injector writes into each pod's
 * `traffic.sidecar.istio.io/excludeOutboundIPRanges` unless the pod sets its own). Ambient mode has
 * no sidecar to exclude it from.
 */
export function kubernetesApiExclusionValues(mode: IstioMode, range: unknown): Values {
  switch (mode) {
    case "sidecar":
      return { global: { proxy: { excludeIPRanges: range } } };
    case "ambient":
      return {};
    default: {
      const never: never = mode;
      throw new Error(`unknown istio.mode ${JSON.stringify(never)}`);
    }
  }
}
