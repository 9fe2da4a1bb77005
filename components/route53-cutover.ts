// Route53Cutover: per hostname, two weighted alias records (App Mesh ingress, Istio gateway NLB) whose weights follow the phase.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { GATEWAY_HEALTH, nlbHostedZoneId, SET_IDENTIFIERS } from "../builders/route53-cutover";
import { DnsRecordPlan } from "../phases/plan-dns";

export interface Route53CutoverArgs {
  /** Per `cutover.records` hostname, which records exist in this phase and their weights (PhasePlan.dns.records). */
  readonly records: readonly DnsRecordPlan[];
  /** A Route 53 health check on the gateway, attached to the Istio records. @default false */
  readonly healthCheck?: boolean;
  /** AWS region of the gateway NLB, for its alias hosted zone id. */
  readonly region: string;
  /** DNS name of the Istio ingress gateway's NLB; required when a record plan has an Istio record. @default undefined */
  readonly gatewayHostname?: pulumi.Input<string>;
  /** Tags for the health check. @default {} */
  readonly tags?: Record<string, string>;
}

export class Route53Cutover extends pulumi.ComponentResource {
  /** The health check id, when `healthCheck` is on and Istio records exist. */
  public readonly healthCheckId?: pulumi.Output<string>;
  public readonly records: aws.route53.Record[] = [];

  constructor(name: string, args: Route53CutoverArgs, opts?: pulumi.ComponentResourceOptions) {
    super("meshlift:dns:Route53Cutover", name, {}, opts);
    // Pure validation first: an unknown region stops before any child exists.
    let gatewayZoneId: string;
    try {
      gatewayZoneId = nlbHostedZoneId(args.region);
    } catch (e) {
      throw new pulumi.ResourceError((e as Error).message, this);
    }
    const gateway = args.gatewayHostname;
    const istioRecords = args.records.some((r) => r.istio);
    if (istioRecords && gateway === undefined) {
      throw new pulumi.ResourceError(
        `Route53Cutover ${name}: the plan has Istio records but no gatewayHostname was given`,
        this,
      );
    }

    let healthCheck: aws.route53.HealthCheck | undefined;
    if (gateway !== undefined && istioRecords && args.healthCheck) {
      healthCheck = new aws.route53.HealthCheck(
        `${name}-gateway-ready`,
        {
          type: "HTTP",
          fqdn: gateway,
          port: GATEWAY_HEALTH.port,
          resourcePath: GATEWAY_HEALTH.path,
          failureThreshold: 3,
          requestInterval: 30,
          tags: { ...args.tags, Name: `${name}-istio-gateway-ready` },
        },
        { parent: this },
      );
      this.healthCheckId = healthCheck.id;
    }

    for (const { record: r, appmesh, istio } of args.records) {
      const slug = r.name.replace(/^\*\./, "wildcard.").replace(/\./g, "-");
      const zoneId: pulumi.Input<string> =
        r.zoneId ??
        aws.route53.getZoneOutput({ name: r.zoneName, privateZone: false }, { parent: this })
          .zoneId;
      if (appmesh) {
        this.records.push(
          new aws.route53.Record(
            `${name}-${slug}-appmesh`,
            {
              zoneId,
              name: r.name,
              type: "A",
              setIdentifier: SET_IDENTIFIERS.appmesh,
              weightedRoutingPolicies: [{ weight: appmesh.weight }],
              aliases: [
                { name: r.appmesh.dnsName, zoneId: r.appmesh.zoneId, evaluateTargetHealth: true },
              ],
              // Adopts the weighted record that serves traffic today (an UPSERT of the same content).
              allowOverwrite: true,
            },
            // Never deleted while it carries traffic (destroy, a removed records entry, a new set
            // identifier): it existed before the stack. At weight 0 decommission may remove it.
            { parent: this, retainOnDelete: appmesh.retainOnDelete },
          ),
        );
      }
      if (istio && gateway !== undefined) {
        this.records.push(
          new aws.route53.Record(
            `${name}-${slug}-istio`,
            {
              zoneId,
              name: r.name,
              type: "A",
              setIdentifier: SET_IDENTIFIERS.istio,
              weightedRoutingPolicies: [{ weight: istio.weight }],
              aliases: [{ name: gateway, zoneId: gatewayZoneId, evaluateTargetHealth: true }],
              healthCheckId: healthCheck?.id,
            },
            { parent: this },
          ),
        );
      }
    }
    this.registerOutputs({ healthCheckId: this.healthCheckId });
  }
}
