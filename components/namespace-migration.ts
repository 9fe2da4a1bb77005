// NamespaceMigration: one namespace's injection labels, its converted Istio resources, and the restart of its Deployments.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { NamespaceInputs } from "../config/exports";
import { PhaseSpec } from "../phases/phases";
import { IstioObject } from "../config/conversions";
import {
  convertedResourcesIn,
  namespaceLabels,
  restartAnnotations,
} from "../builders/namespace-migration";

/** Lets a patch take a label or annotation over from kubectl or the App Mesh tooling that set it. */
const FORCE = { "pulumi.com/patchForce": "true" } as const;

export interface NamespaceMigrationArgs {
  /** The namespace entry with its export's Deployments. */
  readonly namespace: NamespaceInputs;
  /** The phase being deployed. */
  readonly phase: PhaseSpec;
  /** Converted Istio objects for the namespace. @default [] */
  readonly objects?: readonly IstioObject[];
  /** The cluster's Kubernetes provider. */
  readonly provider: k8s.Provider;
  /** What must be ready first (istiod and its CRDs). @default [] */
  readonly istioReady?: pulumi.Input<pulumi.Resource[]>;
}

export class NamespaceMigration extends pulumi.ComponentResource {
  /** The labels this phase applies. */
  public readonly labels: Record<string, string>;
  /** Deployments restarted into the Istio sidecar in this phase. */
  public readonly restarted: readonly string[];

  constructor(name: string, args: NamespaceMigrationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("meshlift:workloads:NamespaceMigration", name, {}, opts);
    const ns = args.namespace.config;
    let restart: Record<string, string> | undefined;
    try {
      this.labels = namespaceLabels(ns.state, args.phase);
      restart = restartAnnotations(ns.state, args.phase, ns.restartToken);
    } catch (e) {
      throw new pulumi.ResourceError(`namespace "${ns.name}": ${(e as Error).message}`, this);
    }
    const objects = convertedResourcesIn(ns.state, args.phase) ? (args.objects ?? []) : [];
    const childOpts = { parent: this, provider: args.provider };

    // Retained on delete: with patchForce the patch owns the injection labels, and deleting it would
    // leave them with no field manager, so Kubernetes drops them and new pods start with no sidecar.
    const labels = new k8s.core.v1.NamespacePatch(
      `${name}-labels`,
      { metadata: { name: ns.name, labels: this.labels, annotations: { ...FORCE } } },
      { ...childOpts, retainOnDelete: true },
    );

    // Routing and policy must exist before pods come up with the Istio sidecar.
    const converted = objects.map(
      (o) =>
        new k8s.apiextensions.CustomResource(
          // An object the converter places in another namespace (a gateway in istio-system) keeps it in its name.
          `${name}-${o.kind.toLowerCase()}-${o.metadata.namespace && o.metadata.namespace !== ns.name ? `${o.metadata.namespace}-` : ""}${o.metadata.name}`,
          {
            apiVersion: o.apiVersion,
            kind: o.kind,
            metadata: { ...o.metadata, namespace: o.metadata.namespace ?? ns.name },
            spec: o.spec,
          },
          { ...childOpts, dependsOn: args.istioReady ?? [] },
        ),
    );

    this.restarted = restart ? args.namespace.deployments : [];
    for (const d of this.restarted) {
      new k8s.apps.v1.DeploymentPatch(
        `${name}-restart-${d}`,
        {
          metadata: { name: d, namespace: ns.name, annotations: { ...FORCE } },
          spec: { template: { metadata: { annotations: restart } } },
        },
        { ...childOpts, dependsOn: [labels, ...converted] },
      );
    }
    this.registerOutputs({ labels: this.labels, restarted: this.restarted });
  }
}
