// Small plan documents built by hand, for unit tests of what reads a plan (metrics, render, diff).
import type { PlanDocument, PlanResource } from "../../plan/offline";
import type { Phase } from "../../phases/phases";

/** A resource of `type` named `name` with `inputs`; its URN is derived from both, in stack `t`. */
export function planResource(
  type: string,
  name: string,
  inputs: Record<string, unknown> = {},
  more: Partial<PlanResource> = {},
): PlanResource {
  return {
    urn: `urn:pulumi:t::meshlift::${type}::${name}`,
    type,
    name,
    parent: null,
    inputs,
    dependsOn: [],
    provider: null,
    protect: false,
    options: {},
    ...more,
  };
}

/** A plan of stack `t` at `phase` holding `resources`. */
export function planDocument(
  phase: Phase,
  resources: PlanResource[],
  outputs: Record<string, unknown> = {},
): PlanDocument {
  return { project: "meshlift", stack: "t", phase, resources, outputs };
}
