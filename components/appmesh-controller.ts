// AppMeshController: the App Mesh controller Helm release, adopted with `import` so that `decommission` can uninstall it.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AppMeshControllerConfig } from "../config/sections/migration";
import { PhaseSpec } from "../phases/phases";
import { CONTROLLER_UNRECORDED_INPUTS, controllerImportId } from "../builders/appmesh-controller";

export interface AppMeshControllerArgs {
  /** The validated `meshlift:appmesh.controller` handle. */
  readonly controller: AppMeshControllerConfig;
  /** The phase being deployed: the release is kept until App Mesh is removed. */
  readonly phase: PhaseSpec;
  /** The cluster's Kubernetes provider. */
  readonly provider: k8s.Provider;
}

export class AppMeshController extends pulumi.ComponentResource {
  /** The adopted release, absent once App Mesh is removed (its absence is the uninstall). */
  public readonly release?: k8s.helm.v3.Release;

  constructor(name: string, args: AppMeshControllerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("meshlift:appmesh:AppMeshController", name, {}, opts);
    const c = args.controller;
    if (!args.phase.appmeshRemoved) {
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
          provider: args.provider,
          import: controllerImportId(c),
          ignoreChanges: [...CONTROLLER_UNRECORDED_INPUTS],
        },
      );
    }
    this.registerOutputs({ releaseName: this.release?.name });
  }
}
