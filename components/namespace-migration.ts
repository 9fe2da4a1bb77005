// NamespaceMigration: one namespace's injection labels, its converted Istio resources, and the restart of its Deployments.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { LoadedNamespace } from "../config/conversions";
import { NamespacePlan } from "../phases/plan";

/** Lets a patch take a label or annotation over from kubectl or the App Mesh tooling that set it. */
const FORCE = { "pulumi.com/patchForce": "true" } as const;

export interface NamespaceMigrationArgs {
  /** The namespace entry with its export's Deployments and converted Istio objects. */
  readonly namespace: LoadedNamespace;
  /** What the phase means for it (PhasePlan.namespaces): labels, restart, converted resources. */
  readonly plan: NamespacePlan;
  /** What the converted resources wait for (istio-base's CRDs and istiod's webhook). @default [] */
  readonly dependsOn?: pulumi.Input<pulumi.Resource[]>;
}

/** Takes the cluster's Kubernetes provider through `opts.providers`, like every component here. */
export class NamespaceMigration extends pulumi.ComponentResource {
  /** The labels this phase applies. */
  public readonly labels: Readonly<Record<string, string>>;
  /** Deployments restarted into the Istio sidecar in this phase. */
  public readonly restarted: readonly string[];

  constructor(name: string, args: NamespaceMigrationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("meshlift:workloads:NamespaceMigration", name, {}, opts);
    const ns = args.namespace.config;
    const plan = args.plan;
    if (plan.name !== ns.name) {
      throw new pulumi.ResourceError(
        `NamespaceMigration ${name}: plan is for namespace "${plan.name}", not "${ns.name}"`,
        this,
      );
    }
    this.labels = plan.labels;
    const objects = plan.convertedResources ? args.namespace.objects : [];
    const childOpts = { parent: this };

    // Retained on delete: with patchForce the patch owns the injection labels, and deleting it would
    // leave them with no field manager, so Kubernetes drops them and new pods start with no sidecar.
    const labels = new k8s.core.v1.NamespacePatch(
      `${name}-labels`,
      { metadata: { name: ns.name, labels: { ...this.labels }, annotations: { ...FORCE } } },
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
          { ...childOpts, dependsOn: args.dependsOn ?? [] },
        ),
    );

    const restart = plan.restart;
    this.restarted = restart ? args.namespace.deployments : [];
    for (const d of this.restarted) {
      new k8s.apps.v1.DeploymentPatch(
        `${name}-restart-${d}`,
        {
          metadata: { name: d, namespace: ns.name, annotations: { ...FORCE } },
          // Size and start/drain ride on the same change that restarts, so new pods start with them.
          spec: { template: { metadata: { annotations: { ...plan.podAnnotations } } } },
        },
        { ...childOpts, dependsOn: [labels, ...converted] },
      );
    }
    this.registerOutputs({ labels: this.labels, restarted: this.restarted });
  }
}
