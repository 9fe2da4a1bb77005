// Cutover bench: from the end of a step's interval to its decision, and queries per step, against a real Prometheus (dry-run steps).
import * as os from "node:os";
import { execFileSync } from "node:child_process";
import {
  cutoverSettings,
  metricsProvider,
  RunnerApplier,
} from "../automation/runners/cutover-runner";
import { PlanRunner } from "../automation/runners/plan";
import { DEFAULT_PROJECT_DIR } from "../automation/runners/runner";
import { DecisionEvent, runCutover } from "../cutover/loop";
import { metricsLab, prometheusBinary, stopMetricsLab } from "../test/support/prometheus";

const STEPS = [10, 25, 50, 75, 100];
const INTERVAL = 2;

function stats(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
  return `p50 ${at(50).toFixed(1)} ms, max ${s[s.length - 1].toFixed(1)} ms`;
}

export default async function bench(): Promise<string[]> {
  const bin = prometheusBinary();
  if (!bin)
    return [
      "skipped: no prometheus binary (install Debian's prometheus or set MESHLIFT_PROMETHEUS)",
    ];
  const version = execFileSync(bin, ["--version"]).toString().split("\n")[0];
  const lines = [
    `machine: ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(1)}; ${version}, scrape interval 1 s`,
    `run: dev stack, dry-run (offline plan per step), steps ${STEPS.join(", ")}, interval ${INTERVAL} s`,
  ];
  const lab = await metricsLab(bin);
  const plan = new PlanRunner({ projectDir: DEFAULT_PROJECT_DIR });
  try {
    for (const targets of [1, 4, 16]) {
      const namespaces = Array.from({ length: targets }, (_, i) => `bench-${targets}-${i}`);
      for (const ns of namespaces) lab.exporter.set(ns);
      await new Promise((r) => setTimeout(r, 2500));
      const set = {
        "meshlift:phase": "cutover",
        "meshlift:cutover.istioWeight": "0",
        "meshlift:migration.namespaces": JSON.stringify(
          namespaces.map((name) => ({ name, state: "istio", deployments: ["app"] })),
        ),
        "meshlift:cutover.progressive": JSON.stringify({
          steps: STEPS,
          interval: INTERVAL,
          analysis: { prometheus: { url: lab.prometheus.url }, minRequests: 50, maxHolds: 2 },
        }),
      };
      const settings = cutoverSettings(DEFAULT_PROJECT_DIR, "dev", set, true);
      const decisions: DecisionEvent[] = [];
      const r = await runCutover(settings, {
        applier: new RunnerApplier(plan, { stack: "dev", dryRun: true, config: set }),
        provider: metricsProvider(settings.provider),
        onEvent: (e) => {
          if (e.type === "decision") decisions.push(e);
        },
      });
      if (r.outcome !== "completed")
        lines.push(`  (${targets} target(s): ${r.outcome}: ${r.message})`);
      const holds = decisions.filter((d) => d.decision === "hold").length;
      lines.push(
        `${String(targets).padStart(2)} target(s): ${decisions[0]?.queries ?? 0} queries per step; ` +
          `end of interval -> decision ${stats(decisions.map((d) => d.analysisMs))} over ${decisions.length} decisions` +
          `${holds ? ` (${holds} hold(s))` : ""}; outcome ${r.outcome}`,
      );
    }
  } finally {
    await plan.close();
    await stopMetricsLab();
  }
  return lines;
}
