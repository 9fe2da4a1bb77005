// The offline difference between two phases of a stack: what a phase change creates and removes.
import type { PlanDocument } from "./offline";
import { Phase } from "../phases/phases";

export interface PhaseDiff {
  readonly stack: string;
  readonly from: Phase;
  readonly to: Phase;
  /** Resources in `to` and not in `from`, by URN. */
  readonly created: string[];
  /** Resources in `from` and not in `to`. */
  readonly removed: string[];
  /** Resources in both whose inputs differ (DNS weights, labels, mTLS mode...). */
  readonly changed: string[];
  /** Resources in both, changed or not. */
  readonly kept: number;
  /** Counts by type: [type, created, removed], types with a change only. */
  readonly byType: [string, number, number][];
}

export function diffPlans(a: PlanDocument, b: PlanDocument): PhaseDiff {
  const before = new Map(a.resources.map((r) => [r.urn, r.type]));
  const after = new Map(b.resources.map((r) => [r.urn, r.type]));
  const inputsBefore = new Map(a.resources.map((r) => [r.urn, JSON.stringify(r.inputs)]));
  const changed = b.resources
    .filter((r) => inputsBefore.has(r.urn) && inputsBefore.get(r.urn) !== JSON.stringify(r.inputs))
    .map((r) => r.urn)
    .sort();
  const created = [...after.keys()].filter((u) => !before.has(u)).sort();
  const removed = [...before.keys()].filter((u) => !after.has(u)).sort();
  const types = new Map<string, [number, number]>();
  for (const u of created) {
    const t = after.get(u) as string;
    types.set(t, [(types.get(t)?.[0] ?? 0) + 1, types.get(t)?.[1] ?? 0]);
  }
  for (const u of removed) {
    const t = before.get(u) as string;
    types.set(t, [types.get(t)?.[0] ?? 0, (types.get(t)?.[1] ?? 0) + 1]);
  }
  return {
    stack: b.stack,
    from: a.phase,
    to: b.phase,
    created,
    removed,
    changed,
    kept: [...after.keys()].filter((u) => before.has(u)).length,
    byType: [...types.entries()]
      .sort(([x], [y]) => x.localeCompare(y))
      .map(([t, [c, r]]) => [t, c, r]),
  };
}

/** Plans the stack at both phases (the real offline plan, twice) and compares them. */
export async function phaseDiff(opts: {
  stack: string;
  from: Phase;
  to: Phase;
  projectDir?: string;
}): Promise<{ diff: PhaseDiff; fromPlan: PlanDocument; toPlan: PlanDocument }> {
  const { runOfflinePlan } = require("./offline") as typeof import("./offline");
  const fromPlan = (
    await runOfflinePlan({ stack: opts.stack, phase: opts.from, projectDir: opts.projectDir })
  ).document;
  const toPlan = (
    await runOfflinePlan({
      stack: opts.stack,
      phase: opts.to,
      deployedPhase: opts.from,
      projectDir: opts.projectDir,
    })
  ).document;
  return { diff: diffPlans(fromPlan, toPlan), fromPlan, toPlan };
}

export function renderDiff(d: PhaseDiff): string {
  const lines = [
    `Stack ${d.stack}: phase ${d.from} -> ${d.to} (offline plan diff): ` +
      `${d.created.length} to create, ${d.removed.length} to remove, ${d.changed.length} with changed inputs, ${d.kept} kept`,
  ];
  for (const [t, c, r] of d.byType) {
    lines.push(
      `  ${[c ? `+${c}` : "", r ? `-${r}` : ""].filter(Boolean).join(" ").padEnd(8)} ${t}`,
    );
  }
  for (const u of d.changed) lines.push(`  ~        ${u.split("::").slice(-2).join(" ")}`);
  return lines.join("\n");
}
