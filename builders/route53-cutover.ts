// Pure builders for Route53Cutover: DNS weights per phase, which records exist, the NLB alias zone, the gateway health check.
import { NLB_HOSTED_ZONE_IDS } from "../config/regions";
import { PhaseSpec } from "../phases/phases";

export { NLB_HOSTED_ZONE_IDS };

/** Route 53 set identifiers of the two weighted records per hostname. Changing one replaces the record. */
export const SET_IDENTIFIERS = { appmesh: "appmesh", istio: "istio" } as const;

/** The full DNS weight: the two records' weights always add up to this. */
export const FULL_WEIGHT = 100;

export interface Weights {
  readonly appmesh: number;
  readonly istio: number;
}

/**
 * DNS weights for a phase: Istio gets 0 before `cutover` (its record exists from `parallel`, so a
 * shift is an update), the configured weight in `cutover`, and everything once App Mesh is removed.
 */
export function cutoverWeights(spec: PhaseSpec, cfg: { readonly istioWeight: number }): Weights {
  const w = cfg.istioWeight;
  if (!Number.isInteger(w) || w < 0 || w > FULL_WEIGHT) {
    throw new Error(
      `cutover.istioWeight: ${JSON.stringify(w)} is not allowed; use an integer from 0 to ${FULL_WEIGHT}`,
    );
  }
  const istio = spec.appmeshRemoved ? FULL_WEIGHT : spec.dnsWeightsFromConfig ? w : 0;
  return { appmesh: FULL_WEIGHT - istio, istio };
}

/**
 * Which of the two weighted records exist in a phase. The App Mesh record is adopted from the first
 * phase (with the content it has today: set identifier `appmesh`, full weight) and kept until App Mesh
 * is removed, so that no rollback ever deletes the record that serves traffic today. The Istio record
 * exists from `parallel` on, so that every later weight change is an update.
 */
export function dnsRecordsIn(spec: PhaseSpec): {
  readonly appmesh: boolean;
  readonly istio: boolean;
} {
  return { appmesh: !spec.appmeshRemoved, istio: spec.dnsRecords };
}

/**
 * Whether the adopted App Mesh record is retained when the stack deletes it: while it carries any
 * weight. It served traffic before the stack existed, so only once all traffic is on Istio (weight
 * 0, `cutover.istioWeight` 100) may leaving the program delete it, which `decommission` does.
 */
export function appmeshRecordRetained(w: Weights): boolean {
  return w.appmesh > 0;
}

/** The alias hosted zone id of the region's NLBs, or undefined for a region the table does not know. */
export function nlbHostedZoneIdIn(region: string): string | undefined {
  return Object.hasOwn(NLB_HOSTED_ZONE_IDS, region) ? NLB_HOSTED_ZONE_IDS[region] : undefined;
}

/** The alias hosted zone id of the region's NLBs; throws for a region the table does not know. */
export function nlbHostedZoneId(region: string): string {
  const id = nlbHostedZoneIdIn(region);
  if (!id) {
    throw new Error(
      `aws:region "${region}": no Network Load Balancer hosted zone id is known for it ` +
        `(known commercial regions: ${Object.keys(NLB_HOSTED_ZONE_IDS).join(", ")})`,
    );
  }
  return id;
}

/** The port and path of the Istio gateway's readiness endpoint (the gateway chart's status port). */
export const GATEWAY_HEALTH = { port: 15021, path: "/healthz/ready" } as const;
