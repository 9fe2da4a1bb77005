// The `meshlift:cutover` section: the hostnames whose Route 53 weight moves from the App Mesh ingress to the Istio gateway.
import { z } from "zod";
import { MigrationConfig } from "./migration";

const hostname = z
  .string()
  .transform((s) => s.replace(/\.$/, "").toLowerCase())
  .pipe(
    z
      .string()
      .regex(
        /^(\*\.)?([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
        "must be a DNS name such as shop.example.com",
      ),
  );

const hostedZoneId = z
  .string()
  .regex(/^Z[A-Z0-9]{1,31}$/, "must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ");

const record = z
  .object({
    /** The hostname clients resolve. */
    name: hostname,
    /** The hosted zone holding it; give this or `zoneName`. */
    zoneId: hostedZoneId.optional(),
    /** The public hosted zone's name, looked up at deploy time; give this or `zoneId`. */
    zoneName: hostname.optional(),
    /** The existing App Mesh ingress load balancer that serves the name today. */
    appmesh: z
      .object({
        /** Its DNS name, e.g. the App Mesh ingress NLB's hostname. */
        dnsName: hostname,
        /** Its canonical hosted zone id (the load balancer's, not your zone). */
        zoneId: hostedZoneId,
      })
      .strict(),
  })
  .strict()
  .superRefine((r, ctx) => {
    if ((r.zoneId === undefined) === (r.zoneName === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: ["zoneId"],
        input: r.zoneId,
        message: `record "${r.name}" needs exactly one of zoneId or zoneName`,
      });
    }
    if (r.zoneName && r.name !== r.zoneName && !r.name.endsWith(`.${r.zoneName}`)) {
      ctx.addIssue({
        code: "custom",
        path: ["name"],
        input: r.name,
        message: `record "${r.name}" is not inside zone "${r.zoneName}"`,
      });
    }
  });

/** The measurements a progressive cutover takes per target, each one query. */
export const QUERY_METRICS = [
  "istioRequests",
  "istioErrorRate",
  "istioP99Ms",
  "appmeshRequests",
  "appmeshErrorRate",
  "appmeshP99Ms",
] as const;
export type QueryMetric = (typeof QUERY_METRICS)[number];

/** Queries a target must have to be judged; `appmeshP99Ms` is shown for comparison, never gated. */
export const REQUIRED_METRICS: readonly QueryMetric[] = [
  "istioRequests",
  "istioErrorRate",
  "istioP99Ms",
  "appmeshRequests",
  "appmeshErrorRate",
];

/** What `$name` in a query is replaced with (see cutover/queries.ts). */
export const QUERY_PLACEHOLDERS = [
  "namespace",
  "hostname",
  "window",
  "period",
  "gatewayNamespace",
  "gatewayWorkload",
  "cluster",
] as const;

export const ANALYSIS_PROVIDERS = ["prometheus", "cloudwatch"] as const;
export type AnalysisProvider = (typeof ANALYSIS_PROVIDERS)[number];

/** The key of `analysis.queries` that applies to every migrated namespace. */
export const ALL_NAMESPACES = "*";

const query = z
  .string()
  .min(1, "must be a query")
  .max(4000, "must be at most 4000 characters")
  .refine(
    // eslint-disable-next-line no-control-regex -- refusing control characters is the point
    (q) => !/[\u0000-\u0008\u000b-\u001f\u007f]/.test(q),
    "must not contain control characters",
  )
  .superRefine((q, ctx) => {
    for (const m of q.matchAll(/\$([A-Za-z_]\w*)/g)) {
      if (!(QUERY_PLACEHOLDERS as readonly string[]).includes(m[1])) {
        ctx.addIssue({
          code: "custom",
          input: q,
          message: `unknown placeholder $${m[1]} (allowed: ${QUERY_PLACEHOLDERS.map((p) => `$${p}`).join(", ")})`,
        });
      }
    }
  });

const querySet = z
  .object(
    Object.fromEntries(QUERY_METRICS.map((m) => [m, query.optional()])) as {
      [K in QueryMetric]: z.ZodOptional<typeof query>;
    },
  )
  .strict();

const queryTarget = z
  .string()
  .max(253, "must be at most 253 characters")
  .regex(
    /^(\*|[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)$/,
    'must be "*" (every migrated namespace), a migrated namespace or a cutover.records hostname',
  );

const httpUrl = z
  .string()
  .max(2048, "must be at most 2048 characters")
  .superRefine((u, ctx) => {
    let url: URL;
    try {
      url = new URL(u);
    } catch {
      ctx.addIssue({
        code: "custom",
        input: u,
        message: "must be an http(s) URL such as http://prometheus.monitoring:9090",
      });
      return;
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      ctx.addIssue({
        code: "custom",
        input: u,
        message: `must be http or https, not ${url.protocol.replace(/:$/, "")}`,
      });
    }
    if (url.username || url.password) {
      ctx.addIssue({
        code: "custom",
        input: u,
        message: "must not carry credentials: they would end up in logs and the journal",
      });
    }
    if (url.search || url.hash) {
      ctx.addIssue({
        code: "custom",
        input: u,
        message: "must not have a query string or fragment",
      });
    }
  });

const analysisSchema = z
  .object({
    /** Where the metrics live. @default prometheus */
    provider: z.enum(ANALYSIS_PROVIDERS).default("prometheus"),
    prometheus: z
      .object({
        /** Base URL of the Prometheus HTTP API (the part before /api/v1), reachable from where the run happens. */
        url: httpUrl,
        /** Seconds one query may take before it counts as failed. @default 10 */
        timeout: z.number().int().min(1).max(300).default(10),
      })
      .strict()
      .optional(),
    cloudwatch: z
      .object({
        /** Region of the metrics. @default aws:region */
        region: z
          .string()
          .regex(
            /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/,
            "must be an AWS region such as eu-west-1",
          )
          .optional(),
        /** The `ClusterName` dimension Container Insights writes. @default cluster.name */
        clusterName: z
          .string()
          .regex(/^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/, "must be an EKS cluster name")
          .optional(),
      })
      .strict()
      .optional(),
    /** Highest 5xx ratio (0-1) of the Istio side. @default 0.01 */
    maxErrorRate: z.number().min(0).max(1).default(0.01),
    /** Highest p99 latency of the Istio side, in milliseconds. @default 1000 */
    maxP99Ms: z.number().gt(0).max(3_600_000).default(1000),
    /** Highest amount (0-1) by which the Istio 5xx ratio may exceed App Mesh's in the same window. @default 0.005 */
    maxErrorRateIncrease: z.number().min(0).max(1).default(0.005),
    /** Fewest requests a side must serve in the window to be judged; below it the step holds. @default 100 */
    minRequests: z.number().int().min(1).max(1_000_000_000).default(100),
    /** Extra intervals a step may wait for enough data before the run stops. @default 3 */
    maxHolds: z.number().int().min(0).max(100).default(3),
    /** Queries replacing the defaults, per target: "*" (every migrated namespace), a namespace, or a hostname. @default {} */
    queries: z.record(queryTarget, querySet).default({}),
  })
  .strict()
  .superRefine((a, ctx) => {
    if (a.provider === "prometheus" && !a.prometheus) {
      ctx.addIssue({
        code: "custom",
        path: ["prometheus", "url"],
        input: undefined,
        message: 'is required with provider "prometheus" (e.g. http://prometheus.monitoring:9090)',
      });
    }
  });

const progressiveSchema = z
  .object({
    /** Istio weights to move through, in order. @default [5, 25, 50, 100] */
    steps: z
      .array(z.number().int().min(1).max(100))
      .min(1)
      .max(20)
      .default([5, 25, 50, 100])
      .superRefine((steps, ctx) => {
        steps.forEach((w, i) => {
          if (i > 0 && w <= steps[i - 1]) {
            ctx.addIssue({
              code: "custom",
              path: [i],
              input: w,
              message: `must be greater than the step before it (${steps[i - 1]}): steps only move traffic towards Istio`,
            });
          }
        });
      }),
    /** Seconds each step is observed before it is judged; at least cutover.ttl (except --dry-run). @default 300 */
    interval: z.number().int().min(1).max(86400).default(300),
    analysis: analysisSchema,
  })
  .strict();

export type ProgressiveConfig = z.infer<typeof progressiveSchema>;
export type AnalysisConfig = ProgressiveConfig["analysis"];

export const cutoverSchema = z
  .object({
    /** Hostnames to shift. @default [] */
    records: z.array(record).default([]),
    /** Percent of DNS weight on the Istio gateway during `cutover` (App Mesh gets the rest). @default 0 */
    istioWeight: z.number().int().min(0).max(100).default(0),
    /** A Route 53 health check on the gateway's 15021 /healthz/ready, attached to the Istio records. @default false */
    healthCheck: z.boolean().default(false),
    /**
     * Seconds resolvers may keep the previous answer after a weight change. Alias records take the
     * load balancer's TTL (Route 53 does not let you set one); the runbook waits this long before
     * judging a step. @default 60
     */
    ttl: z.number().int().min(0).max(86400).default(60),
    /** Step the Istio weight automatically, judged by live metrics (`meshlift cutover run`). @default absent */
    progressive: progressiveSchema.optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    const seen = new Map<string, number>();
    c.records.forEach((r, i) => {
      const j = seen.get(r.name);
      if (j !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["records", i, "name"],
          input: r.name,
          message: `record "${r.name}" is listed twice (entries ${j} and ${i})`,
        });
      } else seen.set(r.name, i);
    });
  });

export type CutoverConfig = z.infer<typeof cutoverSchema>;

/**
 * Cross-section rule: each key of `analysis.queries` names a namespace of `migration.namespaces` or a
 * `cutover.records` hostname, and a hostname brings every query it needs (no default knows its
 * labels). Which namespaces are judged (state istio) is checked when a cutover runs, so that the
 * section can be written before the namespaces move.
 */
export function checkProgressiveTargets(
  c: { cutover: CutoverConfig; migration: MigrationConfig },
  ctx: z.core.$RefinementCtx,
): void {
  const p = c.cutover.progressive;
  if (!p) return;
  const base = ["cutover", "progressive", "analysis", "queries"];
  const listed = c.migration.namespaces.map((n) => n.name);
  const hostnames = c.cutover.records.map((r) => r.name);
  const queries = new Map(Object.entries(p.analysis.queries));
  for (const [key, set] of queries) {
    if (key === ALL_NAMESPACES) continue;
    const isHost = key.includes(".");
    if (isHost ? !hostnames.includes(key) : !listed.includes(key)) {
      ctx.addIssue({
        code: "custom",
        path: [...base, key],
        input: key,
        message: isHost
          ? `"${key}" is not a cutover.records hostname (hostnames: ${hostnames.join(", ") || "none"})`
          : `"${key}" is not in migration.namespaces (listed: ${listed.join(", ") || "none"})`,
      });
      continue;
    }
    if (isHost) {
      for (const m of REQUIRED_METRICS) {
        if (set[m] === undefined)
          ctx.addIssue({
            code: "custom",
            path: [...base, key, m],
            input: undefined,
            message: `is required for hostname target "${key}": the default queries select by namespace`,
          });
      }
      for (const [m, q] of Object.entries(set)) {
        if (q?.includes("$namespace"))
          ctx.addIssue({
            code: "custom",
            path: [...base, key, m],
            input: q,
            message:
              "$namespace has no value for a hostname target; use $hostname or literal labels",
          });
      }
    }
  }
}

export type CutoverRecordConfig = CutoverConfig["records"][number];

/**
 * Cross-section rule: Route 53 health checkers probe from the public internet, so a check on an
 * internal gateway NLB never passes and would pull every Istio record out of DNS.
 */
export function checkHealthCheckReachable(
  c: { cutover: CutoverConfig; istio: { gateway: { scheme: string } } },
  ctx: z.core.$RefinementCtx,
): void {
  if (!c.cutover.healthCheck || c.istio.gateway.scheme !== "internal") return;
  ctx.addIssue({
    code: "custom",
    path: ["cutover", "healthCheck"],
    input: true,
    message:
      'Route 53 health checkers run on the public internet and cannot reach an internal gateway (meshlift:istio.gateway.scheme "internal"), so the check would never pass: set cutover.healthCheck false (meshlift does not create a private endpoint health check source), or make the gateway internet-facing',
  });
}
