// Test helpers over the offline plan: run a stack, find resources, follow dependencies.
import { PlanDocument, PlanOptions, PlanResource, runOfflinePlan } from "../../plan/offline";

export async function plan(opts: PlanOptions): Promise<PlanDocument> {
  return (await runOfflinePlan(opts)).document;
}

export function ofType(doc: PlanDocument, type: string): PlanResource[] {
  return doc.resources.filter((r) => r.type === type);
}

export function named(doc: PlanDocument, name: string): PlanResource {
  const r = doc.resources.find((x) => x.name === name);
  if (!r)
    throw new Error(
      `no resource named ${name}; have: ${doc.resources.map((x) => x.name).join(", ")}`,
    );
  return r;
}

/** Every URN `r` depends on, directly or through other resources, in the plan. */
export function transitiveDeps(doc: PlanDocument, r: PlanResource): Set<string> {
  const byUrn = new Map(doc.resources.map((x) => [x.urn, x]));
  const seen = new Set<string>();
  const stack = [...r.dependsOn];
  while (stack.length) {
    const u = stack.pop() as string;
    if (seen.has(u)) continue;
    seen.add(u);
    stack.push(...(byUrn.get(u)?.dependsOn ?? []));
  }
  return seen;
}
