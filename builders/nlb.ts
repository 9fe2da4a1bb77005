// The Service annotations that make the AWS Load Balancer Controller provision an NLB; no imports, so the converter can use them without loading Pulumi.

/**
 * The annotations that make the LB controller provision a Network Load Balancer with IP targets for
 * a LoadBalancer Service, cross-zone as an NLB attribute (the controller's docs deprecate the
 * separate `aws-load-balancer-cross-zone-load-balancing-enabled` annotation in its favour).
 */
export function nlbServiceAnnotations(
  scheme: "internet-facing" | "internal",
): Record<string, string> {
  return {
    "service.beta.kubernetes.io/aws-load-balancer-type": "external",
    "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
    "service.beta.kubernetes.io/aws-load-balancer-scheme": scheme,
    "service.beta.kubernetes.io/aws-load-balancer-attributes":
      "load_balancing.cross_zone.enabled=true",
  };
}
