// Pure builders for AppMeshController and decommission: the release's import id, and what is left for a person to remove.
import { AppMeshControllerConfig } from "../config/sections/migration";

/** The import id of a Helm release: `<namespace>/<name>`. */
export function controllerImportId(c: AppMeshControllerConfig): string {
  return c.importId ?? `${c.namespace}/${c.releaseName}`;
}

/**
 * Release inputs Helm does not record, so an imported release never has them and an import that sets
 * them fails with "inputs to import do not match" (pulumi/pulumi-kubernetes#1818, #2136): the chart
 * repository. Ignoring it also keeps the stack from ever upgrading the controller (which would fetch
 * its chart) just because the repository was given.
 */
export const CONTROLLER_UNRECORDED_INPUTS = ["repositoryOpts"] as const;

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
