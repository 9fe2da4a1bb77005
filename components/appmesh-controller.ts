// AppMeshController: the App Mesh controller Helm release, adopted with `import` so that `decommission` can uninstall it.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AppMeshControllerConfig } from "../config/sections/migration";
import { CONTROLLER_UNRECORDED_INPUTS, controllerImportId } from "../builders/appmesh-controller";

export interface AppMeshControllerArgs {
  /** The validated `meshlift:appmesh.controller` handle. */
  readonly controller: AppMeshControllerConfig;
  /** Whether the release exists in this phase (PhasePlan.appmesh.controllerRelease): kept until App Mesh is removed. */
  readonly installed: boolean;
}

/** Takes the cluster's Kubernetes provider through `opts.providers`, like every component here. */
export class AppMeshController extends pulumi.ComponentResource {
  /** The adopted release, absent once App Mesh is removed (its absence is the uninstall). */
  public readonly release?: k8s.helm.v3.Release;

  constructor(name: string, args: AppMeshControllerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("meshlift:appmesh:AppMeshController", name, {}, opts);
    const c = args.controller;
    if (args.installed) {
      // The inputs must match the installed release for the import to succeed: no upgrade, no drift.
      this.release = new k8s.helm.v3.Release(
        `${name}-release`,
        {
          name: c.releaseName,
          namespace: c.namespace,
          chart: c.chart,
          version: c.version,
          repositoryOpts: { repo: c.repository },
          values: c.values,
        },
        {
          parent: this,
          import: controllerImportId(c),
          ignoreChanges: [...CONTROLLER_UNRECORDED_INPUTS],
        },
      );
    }
    this.registerOutputs({ releaseName: this.release?.name });
  }
}
