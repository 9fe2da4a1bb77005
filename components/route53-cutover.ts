// Route53Cutover: per hostname, two weighted alias records (App Mesh ingress, Istio gateway NLB) whose weights follow the phase.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CutoverConfig } from "../config/sections/cutover";
import { PhaseSpec } from "../phases/phases";
import {
  appmeshRecordRetained,
  cutoverWeights,
  dnsRecordsIn,
  GATEWAY_HEALTH,
  nlbHostedZoneId,
  SET_IDENTIFIERS,
} from "../builders/route53-cutover";

export interface Route53CutoverArgs {
  /** The phase being deployed. */
  readonly phase: PhaseSpec;
  /** The validated `meshlift:cutover` section. */
  readonly cutover: CutoverConfig;
  /** AWS region of the gateway NLB, for its alias hosted zone id. */
  readonly region: string;
  /**
   * DNS name of the Istio ingress gateway's NLB (from the gateway Service). Without it no Istio record
   * can exist, so the App Mesh record keeps the full weight. @default undefined
   */
  readonly gatewayHostname?: pulumi.Input<string>;
  /** Tags for the health check. @default {} */
  readonly tags?: Record<string, string>;
}

export class Route53Cutover extends pulumi.ComponentResource {
  /** The weights this phase deploys. */
  public readonly weights: { appmesh: number; istio: number };
  /** The health check id, when `cutover.healthCheck` is on. */
  public readonly healthCheckId?: pulumi.Output<string>;
  public readonly records: aws.route53.Record[] = [];

  constructor(name: string, args: Route53CutoverArgs, opts?: pulumi.ComponentResourceOptions) {
    super("meshlift:dns:Route53Cutover", name, {}, opts);
    // Pure validation first: an unknown region or a bad weight stops before any child exists.
    let gatewayZoneId: string;
    try {
      gatewayZoneId = nlbHostedZoneId(args.region);
      this.weights = cutoverWeights(args.phase, args.cutover);
    } catch (e) {
      throw new pulumi.ResourceError((e as Error).message, this);
    }
    const phaseRecords = dnsRecordsIn(args.phase);
    const gateway = args.gatewayHostname;
    const present = { appmesh: phaseRecords.appmesh, istio: phaseRecords.istio && !!gateway };
    if (phaseRecords.istio && !gateway) this.weights = { appmesh: 100, istio: 0 };

    let healthCheck: aws.route53.HealthCheck | undefined;
    if (gateway && present.istio && args.cutover.healthCheck && args.cutover.records.length) {
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

    for (const r of args.cutover.records) {
      const slug = r.name.replace(/^\*\./, "wildcard.").replace(/\./g, "-");
      const zoneId: pulumi.Input<string> =
        r.zoneId ??
        aws.route53.getZoneOutput({ name: r.zoneName, privateZone: false }, { parent: this })
          .zoneId;
      if (present.appmesh) {
        this.records.push(
          new aws.route53.Record(
            `${name}-${slug}-appmesh`,
            {
              zoneId,
              name: r.name,
              type: "A",
              setIdentifier: SET_IDENTIFIERS.appmesh,
              weightedRoutingPolicies: [{ weight: this.weights.appmesh }],
              aliases: [
                { name: r.appmesh.dnsName, zoneId: r.appmesh.zoneId, evaluateTargetHealth: true },
              ],
              // Adopts the weighted record that serves traffic today (an UPSERT of the same content).
              allowOverwrite: true,
            },
            // Never deleted while it carries traffic (destroy, a removed records entry, a new set
            // identifier): it existed before the stack. At weight 0 decommission may remove it.
            { parent: this, retainOnDelete: appmeshRecordRetained(this.weights) },
          ),
        );
      }
      if (gateway && present.istio) {
        this.records.push(
          new aws.route53.Record(
            `${name}-${slug}-istio`,
            {
              zoneId,
              name: r.name,
              type: "A",
              setIdentifier: SET_IDENTIFIERS.istio,
              weightedRoutingPolicies: [{ weight: this.weights.istio }],
              aliases: [{ name: gateway, zoneId: gatewayZoneId, evaluateTargetHealth: true }],
              healthCheckId: healthCheck?.id,
            },
            { parent: this },
          ),
        );
      }
    }
    this.registerOutputs({ weights: this.weights, healthCheckId: this.healthCheckId });
  }
}
