// Pure builders for the migration phases: DNS weights, the NLB alias zone, injection labels, restart annotations, cleanup.
import { NamespaceState } from "../config/sections/migration";
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

/** The label Istio's sidecar injector selects namespaces by. */
export const ISTIO_INJECTION_LABEL = "istio-injection";
/** The label App Mesh's sidecar injector webhook selects namespaces by. */
export const APPMESH_INJECTION_LABEL = "appmesh.k8s.aws/sidecarInjectorWebhook";

/**
 * Injection labels of a listed namespace (an App Mesh namespace) in a phase. Exactly one injector is
 * ever `enabled`. Before `workloads`, and for namespaces still in state `appmesh`, the App Mesh label
 * keeps the value it has today and Istio's is explicitly `disabled`. The patch exists from the first
 * phase on (asserting what is already there), so every later move and every rollback, even straight
 * back to `discovery`, is an update that sets the labels back; deleting a patch would instead drop
 * the labels it owns and leave the namespace with no injector at all.
 * Once App Mesh is removed its label is dropped (the field manager lets go of it).
 */
export function namespaceLabels(state: NamespaceState, spec: PhaseSpec): Record<string, string> {
  const onIstio = spec.workloadsMigrate && state === "istio";
  switch (state) {
    case "appmesh":
      if (spec.appmeshRemoved) {
        throw new Error(
          `namespace state "appmesh" is not allowed in phase "${spec.phase}": App Mesh is removed there`,
        );
      }
      return { [APPMESH_INJECTION_LABEL]: "enabled", [ISTIO_INJECTION_LABEL]: "disabled" };
    case "istio":
      if (!onIstio)
        return { [APPMESH_INJECTION_LABEL]: "enabled", [ISTIO_INJECTION_LABEL]: "disabled" };
      if (spec.appmeshRemoved) return { [ISTIO_INJECTION_LABEL]: "enabled" };
      return { [ISTIO_INJECTION_LABEL]: "enabled", [APPMESH_INJECTION_LABEL]: "disabled" };
    default: {
      const never: never = state;
      throw new Error(`unknown namespace state ${JSON.stringify(never)}`);
    }
  }
}

/** True when a label set would have both sidecar injectors inject. */
export function bothInjectors(labels: Readonly<Record<string, string>>): boolean {
  return (
    labels[ISTIO_INJECTION_LABEL] === "enabled" && labels[APPMESH_INJECTION_LABEL] === "enabled"
  );
}

/** The pod-template annotation whose change restarts a Deployment's pods. */
export const RESTART_ANNOTATION = "meshlift.io/sidecar-restart";

/**
 * The restart annotation of a namespace's Deployments, or undefined when they are not restarted.
 * Its value only depends on the state and the token, so a re-run changes nothing and restarts nothing;
 * a new token restarts once more.
 */
export function restartAnnotations(
  state: NamespaceState,
  spec: PhaseSpec,
  restartToken?: string,
): Record<string, string> | undefined {
  if (!(spec.workloadsMigrate && state === "istio")) return undefined;
  return { [RESTART_ANNOTATION]: restartToken ? `istio-${restartToken}` : "istio" };
}

/** Whether a namespace gets its converted Istio resources in a phase. */
export function convertedResourcesIn(state: NamespaceState, spec: PhaseSpec): boolean {
  return spec.workloadsMigrate && state === "istio";
}

/** What `decommission` leaves for a person to remove, in the order that works. */
export function manualCleanup(args: {
  /** The adopted controller release, when the stack uninstalls it. */
  readonly controllerAdopted: boolean;
  /** App Mesh mesh names found in the namespaces' exports. */
  readonly meshes: readonly string[];
  /** Namespaces that ran on App Mesh. */
  readonly namespaces: readonly string[];
}): string[] {
  const ns = args.namespaces.length ? args.namespaces.join(" ") : "<namespaces>";
  const steps = [
    // The controller deletes the AWS-side objects through the CRs' finalizers, so CRs go first.
    `for ns in ${ns}; do kubectl delete -n "$ns" gatewayroutes.appmesh.k8s.aws,virtualgateways.appmesh.k8s.aws,virtualservices.appmesh.k8s.aws,virtualrouters.appmesh.k8s.aws,virtualnodes.appmesh.k8s.aws --all; done`,
    "kubectl delete meshes.appmesh.k8s.aws --all",
  ];
  if (!args.controllerAdopted) {
    steps.push(
      "helm uninstall appmesh-controller -n appmesh-system   # the App Mesh controller (set meshlift:appmesh.controller to let the stack do it)",
    );
  }
  steps.push(
    "kubectl get crd -o name | grep appmesh.k8s.aws | xargs kubectl delete   # App Mesh CRDs (Helm never removes CRDs)",
  );
  const meshes = args.meshes.length ? args.meshes : ["<mesh-name>"];
  for (const m of meshes) steps.push(`aws appmesh delete-mesh --mesh-name ${m}`);
  return steps;
}
