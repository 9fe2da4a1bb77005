// Bench: per phase and mesh mode, the longest chain of Helm installs and how many resources the plan registers.
import { runOfflinePlan } from "../plan/offline";
import { countByType, HELM_RELEASE, longestHelmChain } from "../plan/metrics";
import { PHASES } from "../phases/phases";
import type { Bench } from "./run";

const bench: Bench = async () => {
  const lines = [
    "stack mode     phase         resources  helm  k8s  istio-CRs  aws  longest Helm chain",
  ];
  const cases: { stack: string; mode: "sidecar" | "ambient" }[] = [
    { stack: "dev", mode: "sidecar" },
    { stack: "dev", mode: "ambient" },
    { stack: "prod", mode: "sidecar" },
  ];
  for (const c of cases) {
    for (const phase of PHASES) {
      const started = Date.now();
      const { document } = await runOfflinePlan({
        stack: c.stack,
        phase,
        set: { "istio.mode": c.mode },
      });
      const ms = Date.now() - started;
      const byType = countByType(document);
      const sum = (f: (t: string) => boolean) =>
        [...byType].filter(([t]) => f(t)).reduce((n, [, k]) => n + k, 0);
      const chain = longestHelmChain(document);
      lines.push(
        [
          c.stack.padEnd(5),
          c.mode.padEnd(8),
          phase.padEnd(13),
          String(document.resources.length).padStart(9),
          String(byType.get(HELM_RELEASE) ?? 0).padStart(5),
          String(sum((t) => t.startsWith("kubernetes:") && t !== HELM_RELEASE)).padStart(4),
          String(sum((t) => /^kubernetes:[a-z]+\.istio\.io\//.test(t))).padStart(10),
          String(sum((t) => t.startsWith("aws:"))).padStart(4),
          ` ${chain.length} (${chain.join(" -> ") || "none"}; plan ${ms} ms)`,
        ].join(" "),
      );
    }
  }
  return lines;
};

export default bench;
