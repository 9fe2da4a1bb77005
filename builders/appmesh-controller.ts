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

/** The App Mesh controller's two admission webhook configurations (eks-charts appmesh-controller). */
export const APPMESH_WEBHOOKS = {
  mutating: "appmesh-mutating-webhook-configuration",
  validating: "appmesh-validating-webhook-configuration",
} as const;

/** The namespaced App Mesh custom resources, dependents first. */
const NAMESPACED_KINDS = [
  "gatewayroutes",
  "virtualgateways",
  "virtualservices",
  "virtualrouters",
  "virtualnodes",
].map((k) => `${k}.appmesh.k8s.aws`);

/**
 * Shell steps that delete every App Mesh custom resource without waiting on the controller: the
 * finalizers (finalizers.appmesh.k8s.aws/*) are stripped first, because after App Mesh's end of life
 * the controller cannot delete the AWS side they wait for, and the resources would hang in
 * Terminating. With the controller running, its validating webhook admits the patches.
 */
export function appmeshResourceDeletion(): string[] {
  const strip = `--type=merge -p '{"metadata":{"finalizers":null}}'`;
  return [
    `kubectl get ${NAMESPACED_KINDS.join(",")} -A -o custom-columns=KIND:.kind,NS:.metadata.namespace,NAME:.metadata.name --no-headers | while read -r kind ns name; do kubectl patch -n "$ns" "$kind.appmesh.k8s.aws/$name" ${strip}; done   # strip finalizers.appmesh.k8s.aws/*`,
    `kubectl delete ${NAMESPACED_KINDS.join(",")} -A --all`,
    `kubectl get meshes.appmesh.k8s.aws -o name | xargs -r -I{} kubectl patch {} ${strip} && kubectl delete meshes.appmesh.k8s.aws --all`,
  ];
}

/** Deletes both App Mesh webhook configurations; done before the controller goes, never after. */
export function appmeshWebhookDeletion(): string {
  return `kubectl delete mutatingwebhookconfiguration ${APPMESH_WEBHOOKS.mutating} --ignore-not-found && kubectl delete validatingwebhookconfiguration ${APPMESH_WEBHOOKS.validating} --ignore-not-found`;
}

/**
 * What `decommission` leaves for a person to remove, in the order that works after App Mesh's end
 * of life (2026-09-30). Nothing here calls AWS: `aws appmesh delete-mesh` is gone from the list,
 * because App Mesh's API no longer answers, so the call can only fail and there is nothing left in
 * AWS to delete from here. With an adopted controller the stack has already uninstalled it: the
 * webhooks go first (a leftover one with failurePolicy Fail, now without a service behind it,
 * would refuse every patch of an App Mesh resource), then the resources.
 */
export function manualCleanup(args: {
  /** The adopted controller release, when the stack uninstalls it. */
  readonly controllerAdopted: boolean;
  /** App Mesh mesh names found in the namespaces' exports (named in the note on delete-mesh). */
  readonly meshes: readonly string[];
  /** Namespaces that ran on App Mesh. */
  readonly namespaces: readonly string[];
}): string[] {
  const steps = args.controllerAdopted
    ? [appmeshWebhookDeletion(), ...appmeshResourceDeletion()]
    : [
        // The controller still runs: its webhook admits the finalizer patches; it goes after them.
        ...appmeshResourceDeletion(),
        appmeshWebhookDeletion(),
        "helm uninstall appmesh-controller -n appmesh-system   # the App Mesh controller (set meshlift:appmesh.controller to let the stack do it)",
      ];
  steps.push(
    "kubectl get crd -o name | grep appmesh.k8s.aws | xargs -r kubectl delete   # App Mesh CRDs (Helm never removes CRDs)",
  );
  const meshes = args.meshes.length ? ` (${args.meshes.join(", ")})` : "";
  steps.push(
    `# no \`aws appmesh delete-mesh\`${meshes}: App Mesh reached end of life on 2026-09-30 and its API no longer answers`,
  );
  return steps;
}
