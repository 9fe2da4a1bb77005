// Measurements over a plan document: the longest chain of Helm installs, resource counts by type.
import { PlanDocument, PlanResource } from "./offline";

export const HELM_RELEASE = "kubernetes:helm.sh/v3:Release";

/**
 * The longest chain of Helm releases that must install one after another, following `dependsOn`
 * through any other resources (namespaces, ServiceAccounts, node groups) without counting them.
 * Returns the chain as release names, first to last.
 */
export function longestHelmChain(doc: PlanDocument): string[] {
  const byUrn = new Map(doc.resources.map((r) => [r.urn, r]));
  const memo = new Map<string, string[]>();
  const visiting = new Set<string>();
  const chainTo = (r: PlanResource): string[] => {
    const hit = memo.get(r.urn);
    if (hit) return hit;
    if (visiting.has(r.urn)) throw new Error(`dependency cycle through ${r.urn}`);
    visiting.add(r.urn);
    let best: string[] = [];
    for (const u of r.dependsOn) {
      const dep = byUrn.get(u);
      if (!dep) continue;
      const c = chainTo(dep);
      if (c.length > best.length) best = c;
    }
    visiting.delete(r.urn);
    const release = typeof r.inputs.name === "string" ? r.inputs.name : r.name;
    const own = r.type === HELM_RELEASE ? [...best, release] : best;
    memo.set(r.urn, own);
    return own;
  };
  let longest: string[] = [];
  for (const r of doc.resources) {
    const c = chainTo(r);
    if (c.length > longest.length) longest = c;
  }
  return longest;
}

/** Number of custom resources (not components) the plan registers. */
export function countByType(doc: PlanDocument): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of doc.resources) out.set(r.type, (out.get(r.type) ?? 0) + 1);
  return out;
}
