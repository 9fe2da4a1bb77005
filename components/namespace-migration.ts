// NamespaceMigration: one namespace's injection labels, its converted Istio resources, and the restart of its Deployments.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { LoadedNamespace } from "../config/conversions";
import { RestartStep } from "../builders/namespace-migration";
import { NamespacePlan } from "../phases/plan-namespaces";

/** Lets a patch take a label or annotation over from kubectl or the App Mesh tooling that set it. */
const FORCE = { "pulumi.com/patchForce": "true" } as const;

export interface NamespaceMigrationArgs {
  /** The namespace entry with its export's Deployments and converted Istio objects. */
  readonly namespace: LoadedNamespace;
  /** What the phase means for it (PhasePlan.namespaces): labels, restart, converted resources. */
  readonly plan: NamespacePlan;
  /** What the converted resources wait for (istio-base's CRDs and istiod's webhook). @default [] */
  readonly dependsOn?: pulumi.Input<pulumi.Resource[]>;
  /**
   * The rollout order over every namespace (PhasePlan.workloads.restarts): this namespace's steps
   * are created in it, each after the restart it names. @default each Deployment restarts at once
   */
  readonly restartOrder?: readonly RestartStep[];
  /**
   * Restarts registered so far, by "namespace/deployment", shared by every NamespaceMigration of the
   * stack so that a restart can wait for one in an earlier namespace; this one adds its own. @default a fresh map
   */
  readonly restartsSoFar?: Map<string, pulumi.Resource>;
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

    // Routing and policy must exist before pods come up with the Istio sidecar (or in ambient).
    const converted = objects.map((o): pulumi.CustomResource => {
      // An object the converter places in another namespace (a gateway in istio-system) keeps it in its name.
      const childName = `${name}-${o.kind.toLowerCase()}-${o.metadata.namespace && o.metadata.namespace !== ns.name ? `${o.metadata.namespace}-` : ""}${o.metadata.name}`;
      const metadata = { ...o.metadata, namespace: o.metadata.namespace ?? ns.name };
      const options = { ...childOpts, dependsOn: args.dependsOn ?? [] };
      // The per-version Services of Gateway API output are core objects: the provider's own type.
      if (o.apiVersion === "v1" && o.kind === "Service") {
        return new k8s.core.v1.Service(childName, { metadata, spec: o.spec }, options);
      }
      return new k8s.apiextensions.CustomResource(
        childName,
        { apiVersion: o.apiVersion, kind: o.kind, metadata, spec: o.spec },
        options,
      );
    });

    const restart = plan.restart;
    this.restarted = restart ? args.namespace.deployments : [];
    const steps = new Map(
      (args.restartOrder ?? [])
        .filter((s) => s.namespace === ns.name)
        .map((s) => [s.deployment, s]),
    );
    const soFar = args.restartsSoFar ?? new Map<string, pulumi.Resource>();
    for (const d of this.restarted) {
      const after = steps.get(d)?.after;
      const previous = after && soFar.get(`${after.namespace}/${after.deployment}`);
      if (after && !previous) {
        throw new pulumi.ResourceError(
          `NamespaceMigration ${name}: restart of ${ns.name}/${d} waits for ${after.namespace}/${after.deployment}, which is not registered yet; create the namespaces in the order of migration.namespaces`,
          this,
        );
      }
      // Pulumi awaits the patched Deployment's rollout; the next restart in the order waits for it.
      const patch = new k8s.apps.v1.DeploymentPatch(
        `${name}-restart-${d}`,
        {
          metadata: { name: d, namespace: ns.name, annotations: { ...FORCE } },
          // Size and start/drain ride on the same change that restarts, so new pods start with them.
          spec: { template: { metadata: { annotations: { ...plan.podAnnotations } } } },
        },
        { ...childOpts, dependsOn: [labels, ...converted, ...(previous ? [previous] : [])] },
      );
      soFar.set(`${ns.name}/${d}`, patch);
    }
    this.registerOutputs({ labels: this.labels, restarted: this.restarted });
  }
}
