// Resources changed per phase transition of the dev stack (adjacent pairs, both directions), from two offline plans each.
import { PlanDocument, runOfflinePlan } from "../plan/offline";
import { countChanges, diffPlans } from "../plan/diff";
import { Phase, PHASES } from "../phases/phases";

/** The dev stack plus the adopted App Mesh controller, so that decommission has its uninstall. */
const SET = { appmesh: JSON.stringify({ controller: { version: "1.13.1" } }) };

export default async function bench(): Promise<string[]> {
  const plans = new Map<Phase, PlanDocument>();
  const ms: number[] = [];
  for (const p of PHASES) {
    const t = Date.now();
    const { document } = await runOfflinePlan({ stack: "dev", phase: p, set: SET });
    ms.push(Date.now() - t);
    plans.set(p, document);
  }
  const lines = [
    "dev stack (2 namespaces on istio, 1 cutover record with health check, adopted App Mesh controller);",
    "counts leave out meshlift component groupings.",
    "",
    "| transition | resources before -> after | create | update | replace | delete |",
    "|---|---|---|---|---|---|",
  ];
  for (let i = 1; i < PHASES.length; i++) {
    for (const [from, to] of [
      [PHASES[i - 1], PHASES[i]],
      [PHASES[i], PHASES[i - 1]],
    ] as [Phase, Phase][]) {
      const a = plans.get(from) as PlanDocument;
      const b = plans.get(to) as PlanDocument;
      const n = countChanges(diffPlans(a, b));
      lines.push(
        `| ${from} -> ${to} | ${a.resources.length} -> ${b.resources.length} | ${n.create} | ${n.update} | ${n.replace} | ${n.delete} |`,
      );
    }
  }
  lines.push(
    "",
    `offline plan time per phase (ms): ${PHASES.map((p, i) => `${p} ${ms[i]}`).join(", ")}`,
  );
  return lines;
}
