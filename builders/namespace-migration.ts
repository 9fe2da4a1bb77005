// Pure builders for NamespaceMigration: injection labels, the restart annotation and whether converted resources apply, per namespace and phase.
import { NamespaceState } from "../config/sections/migration";
import { PhaseSpec } from "../phases/phases";

/** The label Istio's sidecar injector selects namespaces by. */
export const ISTIO_INJECTION_LABEL = "istio-injection";

/** The label App Mesh's sidecar injector webhook selects namespaces by. */
export const APPMESH_INJECTION_LABEL = "appmesh.k8s.aws/sidecarInjectorWebhook";

/**
 * Injection labels of a listed namespace (an App Mesh namespace) in a phase. Exactly one injector is
 * ever `enabled`. Before `workloads`, and for namespaces still in state `appmesh`, the App Mesh label
 * keeps the value it has today and Istio's is explicitly `disabled`. The patch exists from the first
 * phase on (asserting what is already there), so every later move and every rollback, even straight
 * back to `discovery`, is an update that sets the labels back; deleting a patch would instead drop
 * the labels it owns and leave the namespace with no injector at all.
 * Once App Mesh is removed its label is dropped (the field manager lets go of it).
 */
export function namespaceLabels(state: NamespaceState, spec: PhaseSpec): Record<string, string> {
  const onIstio = spec.workloadsMigrate && state === "istio";
  switch (state) {
    case "appmesh":
      if (spec.appmeshRemoved) {
        throw new Error(
          `namespace state "appmesh" is not allowed in phase "${spec.phase}": App Mesh is removed there`,
        );
      }
      return { [APPMESH_INJECTION_LABEL]: "enabled", [ISTIO_INJECTION_LABEL]: "disabled" };
    case "istio":
      if (!onIstio)
        return { [APPMESH_INJECTION_LABEL]: "enabled", [ISTIO_INJECTION_LABEL]: "disabled" };
      if (spec.appmeshRemoved) return { [ISTIO_INJECTION_LABEL]: "enabled" };
      return { [ISTIO_INJECTION_LABEL]: "enabled", [APPMESH_INJECTION_LABEL]: "disabled" };
    default: {
      const never: never = state;
      throw new Error(`unknown namespace state ${JSON.stringify(never)}`);
    }
  }
}

/** True when a label set would have both sidecar injectors inject. */
export function bothInjectors(labels: Readonly<Record<string, string>>): boolean {
  return (
    labels[ISTIO_INJECTION_LABEL] === "enabled" && labels[APPMESH_INJECTION_LABEL] === "enabled"
  );
}

/** The pod-template annotation whose change restarts a Deployment's pods. */
export const RESTART_ANNOTATION = "meshlift.io/sidecar-restart";

/**
 * The restart annotation of a namespace's Deployments, or undefined when they are not restarted.
 * Its value only depends on the state and the token, so a re-run changes nothing and restarts nothing;
 * a new token restarts once more.
 */
export function restartAnnotations(
  state: NamespaceState,
  spec: PhaseSpec,
  restartToken?: string,
): Record<string, string> | undefined {
  if (!(spec.workloadsMigrate && state === "istio")) return undefined;
  return { [RESTART_ANNOTATION]: restartToken ? `istio-${restartToken}` : "istio" };
}

/** Whether a namespace gets its converted Istio resources in a phase. */
export function convertedResourcesIn(state: NamespaceState, spec: PhaseSpec): boolean {
  return spec.workloadsMigrate && state === "istio";
}
