// The `meshlift:cutover` section: the hostnames whose Route 53 weight moves from the App Mesh ingress to the Istio gateway.
import { z } from "zod";

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
