// Pure builders for Route53Cutover: DNS weights per phase, which records exist, the NLB alias zone, the gateway health check.
import { PhaseSpec } from "../phases/phases";

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
 * Canonical hosted zone ids of Network Load Balancers per commercial region (the alias target zone of
 * an NLB's DNS name). Source: AWS "Elastic Load Balancing endpoints and quotas"; the same table the
 * Terraform AWS provider's `aws_lb_hosted_zone_id` data source carries.
 */
export const NLB_HOSTED_ZONE_IDS: Readonly<Record<string, string>> = {
  "af-south-1": "Z203XCE67M25HM",
  "ap-east-1": "Z12Y7K3UBGUAD1",
  "ap-northeast-1": "Z31USIVHYNEOWT",
  "ap-northeast-2": "ZIBE1TIR4HY56",
  "ap-northeast-3": "Z1GWIQ4HH19I5X",
  "ap-south-1": "ZVDDRBQ08TROA",
  "ap-south-2": "Z0711778386UTO08407HT",
  "ap-southeast-1": "ZKVM4W9LS7TM",
  "ap-southeast-2": "ZCT6FZBF4DROD",
  "ap-southeast-3": "Z01971771FYVNCOVWJU1G",
  "ap-southeast-4": "Z01156963G8MIIL7X90IV",
  "ap-southeast-5": "Z026317210H9ACVTRO6FB",
  "ap-southeast-7": "Z054363131YWATEMWRG5L",
  "ca-central-1": "Z2EPGBW3API2WT",
  "ca-west-1": "Z02754302KBB00W2LKWZ9",
  "eu-central-1": "Z3F0SRJ5LGBH90",
  "eu-central-2": "Z02239872DOALSIDCX66S",
  "eu-north-1": "Z1UDT6IFJ4EJM",
  "eu-south-1": "Z23146JA1KNAFP",
  "eu-south-2": "Z1011216NVTVYADP1SSV",
  "eu-west-1": "Z2IFOLAFXWLO4F",
  "eu-west-2": "ZD4D7Y8KGAS4G",
  "eu-west-3": "Z1CMS0P5QUZ6D5",
  "il-central-1": "Z0313266YDI6ZRHTGQY4",
  "me-central-1": "Z00282643NTTLPANJJG2P",
  "me-south-1": "Z3QSRYVP46NYYV",
  "mx-central-1": "Z02031231H3ID6HYJ9A7U",
  "sa-east-1": "ZTK26PT1VY4CU",
  "us-east-1": "Z26RNL4JYFTOTI",
  "us-east-2": "ZLMOA37VPKANP",
  "us-west-1": "Z24FKFUX50B4VW",
  "us-west-2": "Z18D5FSROUN65G",
};

/** The alias hosted zone id of the region's NLBs; throws for a region the table does not know. */
export function nlbHostedZoneId(region: string): string {
  const id = NLB_HOSTED_ZONE_IDS[region];
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
