// SecurityBaseline: the mesh's mTLS mode, authorization policies and JWT rules as Istio custom resources.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
  istioResourceName,
  MtlsMode,
  securityManifests,
  SecurityPlan,
} from "../builders/security-baseline";
import { SecurityConfig } from "../config/sections/security";

export interface SecurityBaselineArgs {
  /** What the phase means for security (PhasePlan.security): mTLS mode, whether workload policies exist. */
  readonly plan: SecurityPlan;
  /** The validated `meshlift:security` section. */
  readonly security: SecurityConfig;
  /** Namespace of the ingress gateway, where JWT rules without a namespace go. */
  readonly gatewayNamespace: string;
  /** What every policy waits for: istiod (CRDs, validating webhook) and the namespaces they live in. @default [] */
  readonly dependsOn?: pulumi.Resource[];
}

/** Takes the cluster's Kubernetes provider through `opts.providers`, like every component here. */
export class SecurityBaseline extends pulumi.ComponentResource {
  public readonly mtlsMode: MtlsMode;
  public readonly resources: k8s.apiextensions.CustomResource[];

  constructor(name: string, args: SecurityBaselineArgs, opts?: pulumi.ComponentResourceOptions) {
    super("meshlift:istio:SecurityBaseline", name, {}, opts);
    this.mtlsMode = args.plan.mtlsMode;
    const manifests = securityManifests(args.plan, args.security, args.gatewayNamespace);
    // Config allows two rules of one name (or an allow rule named like a JWT's require-jwt-<name>):
    // both would map to one Kubernetes object and one Pulumi name, which the engine only rejects
    // later as a duplicate URN, after other resources of the update exist.
    const seen = new Set<string>();
    for (const m of manifests) {
      const id = `${m.kind} ${m.metadata.namespace}/${m.metadata.name}`;
      if (seen.has(id)) {
        throw new pulumi.ResourceError(
          `SecurityBaseline ${name}: meshlift:security defines ${id} twice (allow rules and JWT rules must have distinct names per namespace)`,
          this,
        );
      }
      seen.add(id);
    }
    this.resources = manifests.map(
      (m) =>
        new k8s.apiextensions.CustomResource(
          istioResourceName(name, m),
          { ...m, metadata: { ...m.metadata } },
          { parent: this, dependsOn: args.dependsOn ?? [] },
        ),
    );
    this.registerOutputs({ mtlsMode: this.mtlsMode });
  }
}
