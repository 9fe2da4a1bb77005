// What moving between two phases changes, as the PhasePlan's removes, rollback and advance list it (planPhase compares the phases' parts).
import type { PhasePlan } from "./plan";

/** The parts of a plan that depend on the phase and the config only (no deployed state). */
export type PhaseParts = Pick<
  PhasePlan,
  "phase" | "spec" | "security" | "namespaces" | "dns" | "appmesh" | "prePull"
>;

/** One thing a move between two phases changes. */
export interface PhaseChange {
  readonly kind: "create" | "update" | "remove";
  readonly what: string;
}

/** What changes when a stack moves from the parts `a` to the parts `b`, in a stable order. */
export function changesBetween(a: PhaseParts, b: PhaseParts): PhaseChange[] {
  const out: PhaseChange[] = [];
  const add = (kind: PhaseChange["kind"], what: string) => out.push({ kind, what });
  if (a.spec.istioInstalled !== b.spec.istioInstalled) {
    add(
      b.spec.istioInstalled ? "create" : "remove",
      "Istio (LB controller, control plane, gateway)",
    );
  }
  if (
    a.spec.istioInstalled &&
    b.spec.istioInstalled &&
    a.security.mtlsMode !== b.security.mtlsMode
  ) {
    add("update", `mesh mTLS ${a.security.mtlsMode} -> ${b.security.mtlsMode}`);
  }
  for (const [i, nb] of b.namespaces.entries()) {
    const na = a.namespaces[i];
    for (const k of Object.keys(na.labels).filter((k) => !(k in nb.labels))) {
      add("remove", `namespace ${nb.name}: label ${k}`);
    }
    for (const [k, v] of Object.entries(nb.labels)) {
      if (na.labels[k] === undefined) add("create", `namespace ${nb.name}: label ${k}=${v}`);
      else if (na.labels[k] !== v)
        add("update", `namespace ${nb.name}: label ${k}=${na.labels[k]} -> ${v}`);
    }
    if (na.convertedResources !== nb.convertedResources) {
      add(
        nb.convertedResources ? "create" : "remove",
        `namespace ${nb.name}: converted Istio resources`,
      );
    }
    if (!na.restart !== !nb.restart) {
      // Ambient restarts do something other than the sidecar restart people know: say what.
      const why = nb.dataplane === "ambient" ? ` ${nb.restartReason}` : "";
      add(
        nb.restart ? "create" : "remove",
        `namespace ${nb.name}: restart of its Deployments${why}`,
      );
    }
  }
  for (const [i, rb] of b.dns.records.entries()) {
    const ra = a.dns.records[i];
    for (const side of ["appmesh", "istio"] as const) {
      const x = ra[side];
      const y = rb[side];
      const what = `${rb.record.name}: ${side} record`;
      if (!x && y) add("create", `${what} (weight ${y.weight})`);
      else if (x && !y) add("remove", what);
      else if (x && y && x.weight !== y.weight)
        add("update", `${what} weight ${x.weight} -> ${y.weight}`);
    }
  }
  if (!a.prePull !== !b.prePull) {
    const image = (a.prePull ?? b.prePull)?.image ?? "";
    add(b.prePull ? "create" : "remove", `proxy image pre-pull DaemonSet (${image})`);
  }
  if (a.appmesh.controllerRelease !== b.appmesh.controllerRelease) {
    add(b.appmesh.controllerRelease ? "create" : "remove", "App Mesh controller release");
  }
  return out;
}
