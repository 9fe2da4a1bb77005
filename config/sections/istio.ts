// The `meshlift:istio` section: mesh mode, istiod HA, proxy defaults, access logs and the ingress gateway.
import { z } from "zod";
import {
  GATEWAY_API,
  ISTIO_CHART_REPOSITORY,
  ISTIO_HUB,
  ISTIO_OCI_CHART_REPOSITORY,
  RETIRED_ISTIO_HOSTS,
} from "../versions";
import type { Target } from "../../appmesh/types";
import { dnsLabel, resourcesSchema } from "./k8s-common";

export const ISTIO_MODES = ["sidecar", "ambient"] as const;
export type IstioMode = (typeof ISTIO_MODES)[number];

/** The API the converted routing uses: Istio's own, or the Kubernetes Gateway API. */
export const INGRESS_APIS = ["istio", "gateway-api"] as const;
export type IngressApi = (typeof INGRESS_APIS)[number];

const istiodSchema = z
  .object({
    /** Fewest istiod replicas; 2 or more so that a node or zone loss keeps the control plane up. @default 2 */
    autoscaleMin: z.number().int().min(2).max(20).default(2),
    /** Most istiod replicas the HPA may run. @default 5 */
    autoscaleMax: z.number().int().min(2).max(50).default(5),
    /** @default requests 500m/2048Mi (the chart's), limits 2000m/4096Mi */
    resources: resourcesSchema({
      requests: { cpu: "500m", memory: "2048Mi" },
      limits: { cpu: "2000m", memory: "4096Mi" },
    }),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.autoscaleMax < v.autoscaleMin) {
      ctx.addIssue({
        code: "custom",
        path: ["autoscaleMax"],
        input: v.autoscaleMax,
        message: `must be >= autoscaleMin (${v.autoscaleMin})`,
      });
    }
  });

const accessLogSchema = z
  .object({
    /** Where Envoy writes access logs; "" turns them off. @default /dev/stdout */
    file: z
      .string()
      .regex(/^(\/[^\s]*)?$/, 'must be an absolute path such as "/dev/stdout", or "" for none')
      .default("/dev/stdout"),
    /** @default JSON (one object a line, what CloudWatch and Loki parse) */
    encoding: z.enum(["JSON", "TEXT"]).default("JSON"),
  })
  .strict();

/** Longest drain meshlift accepts: a pod's grace period must cover it, and rollouts wait for it. */
export const MAX_DRAIN_SECONDS = 600;

/** A proxy drain period as Istio's Duration takes it: whole seconds or minutes, such as "20s" or "1m". */
export const drainDuration = z.string().superRefine((v, ctx) => {
  const message = !/^[1-9]\d{0,3}[sm]$/.test(v)
    ? 'must be a duration in whole seconds or minutes, such as "20s" or "1m"'
    : durationSeconds(v) > MAX_DRAIN_SECONDS
      ? `must be at most ${MAX_DRAIN_SECONDS}s (10m)`
      : undefined;
  if (message) ctx.addIssue({ code: "custom", input: v, message });
});

/** Seconds of a duration accepted by `drainDuration`. */
export function durationSeconds(v: string): number {
  const n = Number(v.slice(0, -1));
  return v.endsWith("m") ? n * 60 : n;
}

const proxySchema = z
  .object({
    /** Envoy worker threads per sidecar (meshConfig.defaultConfig.concurrency); 0 = one per node CPU. @default 2 */
    concurrency: z.number().int().min(0).max(64).default(2),
    /** Sidecar requests/limits (global.proxy.resources). @default requests 100m/128Mi, limits 2000m/1024Mi */
    resources: resourcesSchema({
      requests: { cpu: "100m", memory: "128Mi" },
      limits: { cpu: "2000m", memory: "1024Mi" },
    }),
    /**
     * The application containers start only once the sidecar is ready, so their first outbound
     * calls do not fail (meshConfig.defaultConfig.holdApplicationUntilProxyStarts). @default true
     */
    holdApplicationUntilProxyStarts: z.boolean().default(true),
    /**
     * How long a terminating pod's proxy keeps serving open connections
     * (meshConfig.defaultConfig.terminationDrainDuration; Istio's own default is 5s). @default "20s"
     */
    terminationDrainDuration: drainDuration.default("20s"),
    /**
     * The proxy exits as soon as its last connection closes while draining, instead of always
     * waiting the full drain (proxyMetadata EXIT_ON_ZERO_ACTIVE_CONNECTIONS). @default true
     */
    exitOnZeroActiveConnections: z.boolean().default(true),
  })
  .strict();

const gatewaySchema = z
  .object({
    /** Namespace of the ingress gateway (its own, not istio-system). @default istio-ingress */
    namespace: dnsLabel.default("istio-ingress"),
    /** NLB scheme. @default internet-facing */
    scheme: z.enum(["internet-facing", "internal"]).default("internet-facing"),
    /** @default 2 */
    minReplicas: z.number().int().min(1).max(50).default(2),
    /** @default 5 */
    maxReplicas: z.number().int().min(1).max(100).default(5),
    /** @default requests 500m/512Mi, limits 2000m/1024Mi */
    resources: resourcesSchema({
      requests: { cpu: "500m", memory: "512Mi" },
      limits: { cpu: "2000m", memory: "1024Mi" },
    }),
    /**
     * Run on the dedicated gateway node group (nodeSelector + toleration).
     * @default true when meshlift creates the cluster (it has that node group), false for an adopted one
     */
    dedicatedNodes: z.boolean().optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.maxReplicas < v.minReplicas) {
      ctx.addIssue({
        code: "custom",
        path: ["maxReplicas"],
        input: v.maxReplicas,
        message: `must be >= minReplicas (${v.minReplicas})`,
      });
    }
  });

const chartRepository = z
  .string()
  .regex(
    /^(https:\/\/|oci:\/\/)[^\s/]+(\/[^\s]*)?$/,
    `must be an https:// Helm repository or an oci:// registry path, such as ${ISTIO_CHART_REPOSITORY}`,
  )
  .transform((s) => s.replace(/\/+$/, ""));

/** Where a release manifest may come from: an https:// URL or a path (from the project directory) of a .yaml file. */
export const MANIFEST_LOCATION = /^(https:\/\/\S+|[^\s:]+)\.ya?ml$/;

const imageHub = z
  .string()
  .regex(
    /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d+)?(\/[a-z0-9._-]+)*$/,
    `must be an image registry path without a scheme, such as ${ISTIO_HUB}`,
  );

export const istioSchema = z
  .object({
    /** Data plane: sidecars, or ambient (ztunnel). Cannot change once the mesh is installed. @default sidecar */
    mode: z.enum(ISTIO_MODES).default("sidecar"),
    /**
     * The API of the converted routing in each migrating namespace (and of its edge gateways):
     * `istio` (VirtualService, DestinationRule, Gateway) or `gateway-api` (HTTPRoute, GRPCRoute,
     * Gateway; the Gateway API CRDs are installed first). Ambient mode needs `gateway-api`: its L7
     * routing runs in waypoints, where Istio supports Gateway API routes.
     * @default gateway-api in ambient mode, istio in sidecar mode
     */
    ingressApi: z.enum(INGRESS_APIS).optional(),
    /**
     * Where the Istio charts come from: Istio's repository, its OCI registry
     * (oci://ghcr.io/istio/release/charts) or a mirror. @default https://blob.istio.io/istio-release/charts
     */
    chartRepository: chartRepository.default(ISTIO_CHART_REPOSITORY),
    /** Registry of the Istio images (istiod, proxy, CNI, ztunnel), or a mirror. @default docker.io/istio */
    hub: imageHub.default(ISTIO_HUB),
    istiod: istiodSchema.prefault({}),
    accessLog: accessLogSchema.prefault({}),
    proxy: proxySchema.prefault({}),
    gateway: gatewaySchema.prefault({}),
    gatewayApiCrds: z
      .object({
        /**
         * Install the Gateway API CRDs (standard channel, config/versions.ts GATEWAY_API) when the
         * converted routing needs them (`ingressApi: gateway-api`, ambient mode). Set false when the
         * cluster has them already from elsewhere: rolling the stack back before `parallel` deletes
         * the CRDs it installed, and with them every Gateway API object in the cluster. @default true
         */
        install: z.boolean().default(true),
        /**
         * The release manifest to apply: the pinned release's `standard-install.yaml`, or a mirror of
         * that same file (an https:// URL, or a path from the project directory) for clusters that
         * cannot reach GitHub. @default config/versions.ts GATEWAY_API.manifest
         */
        manifest: z
          .string()
          .regex(
            MANIFEST_LOCATION,
            `must be an https:// URL or a path of a .yaml file, such as ${GATEWAY_API.manifest}`,
          )
          .default(GATEWAY_API.manifest),
      })
      .strict()
      .prefault({}),
    lbController: z
      .object({
        /**
         * Install the AWS Load Balancer Controller. Set false on a cluster that already runs one (a
         * second controller fights the first over webhooks and the `alb` IngressClass). @default true
         */
        install: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.mode === "ambient" && v.ingressApi === "istio") {
      ctx.addIssue({
        code: "custom",
        path: ["ingressApi"],
        input: v.ingressApi,
        message:
          'must be "gateway-api" in ambient mode: L7 routing runs in waypoints, which take Gateway API routes',
      });
    }
  });

export type IstioConfig = z.infer<typeof istioSchema>;

/** What the converter emits for a stack: its mode, then its ingress API. */
export function conversionTarget(istio: Pick<IstioConfig, "mode" | "ingressApi">): Target {
  switch (istio.mode) {
    case "ambient":
      return "ambient";
    case "sidecar":
      return istio.ingressApi === "gateway-api" ? "gateway-api" : "istio";
    default: {
      const never: never = istio.mode;
      throw new Error(`unknown istio.mode ${JSON.stringify(never)}`);
    }
  }
}

/** The stack needs the Gateway API CRDs: its converted routing or its waypoints are Gateway API objects. */
export function needsGatewayApi(istio: Pick<IstioConfig, "mode" | "ingressApi">): boolean {
  return conversionTarget(istio) !== "istio";
}

/** Where to point instead of a retired Istio host, for the config error. */
const RETIRED_HOST_ADVICE =
  `Istio retired it in December 2026: charts are at ${ISTIO_CHART_REPOSITORY} ` +
  `(or ${ISTIO_OCI_CHART_REPOSITORY}), images at ${ISTIO_HUB} ` +
  "(meshlift:istio.chartRepository, meshlift:istio.hub), or your mirror of them";

/** The retired Istio host a value points at, if any. */
export function retiredIstioHost(value: string): string | undefined {
  const v = value.toLowerCase();
  return RETIRED_ISTIO_HOSTS.find((h) =>
    new RegExp(`(^|[/@.:])${h.replace(/\./g, "\\.")}(?=$|[/:])`).test(v),
  );
}

/**
 * Cross-section rule: a retired Istio host anywhere in the config (chart repository, hub, chart
 * values of an adopted release...) is an error naming the key and where to point instead.
 */
export function checkRetiredIstioHosts(c: unknown, ctx: z.core.$RefinementCtx): void {
  const walk = (v: unknown, path: (string | number)[]) => {
    if (typeof v === "string") {
      const host = retiredIstioHost(v);
      if (host) {
        ctx.addIssue({
          code: "custom",
          path,
          input: v,
          message: `points at ${host}, which is gone: ${RETIRED_HOST_ADVICE}`,
        });
      }
    } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
    else if (typeof v === "object" && v !== null) {
      for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
    }
  };
  walk(c, []);
}
