// SecurityBaseline: the mesh's mTLS mode, authorization policies and JWT rules as Istio custom resources.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { SecurityConfig } from "../config/sections/security";
import { PhaseSpec } from "../phases/phases";
import {
  istioResourceName,
  meshMtlsMode,
  MtlsMode,
  securityManifests,
} from "../builders/security-baseline";

export interface SecurityBaselineArgs {
  readonly spec: PhaseSpec;
  /** The validated `meshlift:security` section. */
  readonly security: SecurityConfig;
  readonly gatewayNamespace: string;
  /** The cluster's Kubernetes provider. */
  readonly provider: k8s.Provider;
  /** istiod's release: the CRDs and the validating webhook must be in place first. */
  readonly istiod: pulumi.Resource;
  /** Namespaces the policies live in, when this stack creates them. @default [] */
  readonly dependsOn?: pulumi.Resource[];
}

export class SecurityBaseline extends pulumi.ComponentResource {
  public readonly mtlsMode: MtlsMode;
  public readonly resources: k8s.apiextensions.CustomResource[];

  constructor(name: string, args: SecurityBaselineArgs, opts?: pulumi.ComponentResourceOptions) {
    super("meshlift:istio:SecurityBaseline", name, {}, opts);
    this.mtlsMode = meshMtlsMode(args.spec, args.security);
    const manifests = securityManifests(args.spec, args.security, args.gatewayNamespace);
    this.resources = manifests.map(
      (m) =>
        new k8s.apiextensions.CustomResource(
          istioResourceName(name, m),
          { ...m, metadata: { ...m.metadata } },
          {
            parent: this,
            provider: args.provider,
            dependsOn: [args.istiod, ...(args.dependsOn ?? [])],
          },
        ),
    );
    this.registerOutputs({ mtlsMode: this.mtlsMode });
  }
}
