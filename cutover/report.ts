// Text for people: one line per decision and per event, the status of a stack's cutover from its journal, and resume guidance.
import { fmt, MetricName, MetricResult } from "./decide";
import { JournalEntry } from "./journal";
import { CutoverEvent, DecisionEvent, EndEvent, resumeCommand } from "./loop";

/**
 * `step 2/4 weight 25: advance: every gate passes | shop: requests 612 >= 100 ok, 5xx 0.10% <= 1.00% ok, ...`
 * One line, every metric of every target with its threshold and verdict (n/j: not judged).
 */
export function formatDecision(e: DecisionEvent): string {
  const head = `step ${e.step}/${e.of} weight ${e.weight}: ${e.decision}${e.rollbackTo !== undefined ? ` to ${e.rollbackTo}` : ""}`;
  const targets = [...new Set(e.metrics.map((m) => m.target))];
  const parts = targets.map((t) => {
    const ms = e.metrics.filter((m) => m.target === t);
    const gated = ms.filter((m) => m.threshold !== null).map(formatGate);
    const info = ms
      .filter((m) => m.threshold === null)
      .map((m) => `${LABELS[m.metric]} ${fmt(m.metric, m.value)}`);
    return `${t}: ${gated.join(", ")}${info.length ? ` (${info.join(", ")})` : ""}`;
  });
  return `${head}: ${e.reason} | ${parts.join(" | ")}`;
}

const LABELS: Readonly<Record<MetricName, string>> = {
  istioRequests: "requests",
  istioErrorRate: "5xx",
  istioP99Ms: "p99",
  errorRateIncrease: "5xx increase",
  appmeshRequests: "App Mesh requests",
  appmeshErrorRate: "App Mesh 5xx",
  appmeshP99Ms: "App Mesh p99",
};

function formatGate(m: MetricResult): string {
  const verdict = m.pass === null ? "not judged" : m.pass ? "ok" : "FAIL";
  return `${LABELS[m.metric]} ${fmt(m.metric, m.value)} ${m.comparison ?? ""} ${fmt(m.metric, m.threshold)} ${verdict}`;
}

/** The line an event prints on the progress stream (stderr); decisions print on stdout. */
export function formatEvent(e: CutoverEvent): string {
  switch (e.type) {
    case "start":
      return (
        `Progressive cutover of stack ${e.stack}${e.dryRun ? " (dry-run: offline plan, nothing applied)" : ""}: ` +
        `steps ${e.remaining.join(" -> ") || "none left"} from weight ${e.fromWeight}, ${e.interval} s each, ` +
        `judged by ${e.provider}; targets: ${e.targets.join(", ")}`
      );
    case "baseline": {
      const b = Object.entries(e.baselines);
      return b.length
        ? `App Mesh baseline over the last ${e.windowSeconds} s: ${b.map(([t, x]) => `${t} 5xx ${fmt("appmeshErrorRate", x.errorRate)}`).join(", ")}`
        : `no App Mesh baseline over the last ${e.windowSeconds} s (too few requests): the first steps measure it in their own window`;
    }
    case "applying":
      return e.rollback
        ? `rolling back: setting Istio weight ${e.weight}...`
        : `step ${e.step}/${e.of}: setting Istio weight ${e.weight}${e.dryRun ? " (offline plan)" : " (up)"}...`;
    case "applied":
      return e.rollback
        ? `rolled back: Istio weight ${e.weight} (${e.detail ?? ""})`
        : `step ${e.step}/${e.of}: Istio weight ${e.weight} set (${e.detail ?? ""}); observing`;
    case "decision":
      return formatDecision(e);
    case "end":
      return e.message;
    default: {
      const never: never = e;
      throw new Error(`unknown event ${JSON.stringify(never)}`);
    }
  }
}

export interface CutoverStatus {
  readonly stack: string;
  /** cutover.istioWeight in the stack config: where the next run starts. */
  readonly configWeight: number;
  /** The weight the last real run applied, from the journal. */
  readonly applied?: { readonly weight: number; readonly at: string; readonly runId: string };
  readonly lastRun?: {
    readonly runId: string;
    readonly dryRun: boolean;
    readonly startedAt: string;
    readonly steps: readonly number[];
    readonly fromWeight: number;
    /** "running", "unfinished" (no end recorded and no live process: it was killed), or the outcome. */
    readonly state: string;
    readonly end?: EndEvent;
  };
  readonly decisions: readonly DecisionEvent[];
  readonly journal: string;
}

/** The status of a stack's cutover from its journal entries. */
export function cutoverStatus(o: {
  stack: string;
  configWeight: number;
  entries: readonly JournalEntry[];
  runningRunId?: string;
  journal: string;
  lastDecisions?: number;
}): CutoverStatus {
  const latest = [...o.entries].reverse();
  const applied = latest.find(
    (e): e is Extract<JournalEntry, { type: "applying" | "applied" }> =>
      e.type === "applied" && !e.dryRun,
  );
  const start = latest.find(
    (e): e is Extract<JournalEntry, { type: "start" }> => e.type === "start",
  );
  const run = start ? o.entries.filter((e) => e.runId === start.runId) : [];
  const end = run.find((e): e is Extract<JournalEntry, { type: "end" }> => e.type === "end");
  const decisions = run.filter(
    (e): e is Extract<JournalEntry, { type: "decision" }> => e.type === "decision",
  );
  return {
    stack: o.stack,
    configWeight: o.configWeight,
    applied: applied && { weight: applied.weight, at: applied.at, runId: applied.runId },
    lastRun: start && {
      runId: start.runId,
      dryRun: start.dryRun,
      startedAt: start.at,
      steps: start.steps,
      fromWeight: start.fromWeight,
      state: end ? end.outcome : o.runningRunId === start.runId ? "running" : "unfinished",
      end,
    },
    decisions: decisions.slice(-(o.lastDecisions ?? 10)),
    journal: o.journal,
  };
}

export function renderStatus(s: CutoverStatus): string {
  const lines = [
    `Stack ${s.stack}: cutover.istioWeight ${s.configWeight} in the stack config (App Mesh ${100 - s.configWeight}); the next run starts there`,
  ];
  lines.push(
    s.applied
      ? `  last weight applied by a run: ${s.applied.weight} at ${s.applied.at} (run ${s.applied.runId})`
      : "  no run has applied a weight yet (dry runs apply nothing)",
  );
  const r = s.lastRun;
  if (!r) lines.push("  no progressive cutover has run on this stack");
  else {
    const state =
      r.state === "running"
        ? "running now"
        : r.state === "unfinished"
          ? `unfinished: no end recorded and no process runs it (killed?); check \`pulumi stack --stack ${s.stack}\`, then resume with ${resumeCommand(s.stack, r.dryRun)}`
          : `${r.state} (exit ${r.end?.exitCode ?? "?"}) at ${r.end?.at ?? "?"}: ${r.end?.message ?? ""}`;
    lines.push(
      `  last run ${r.runId}${r.dryRun ? " (dry-run)" : ""}, started ${r.startedAt}, steps ${r.steps.join(", ")} from ${r.fromWeight}: ${state}`,
    );
  }
  if (s.decisions.length) {
    lines.push("  last decisions:");
    for (const d of s.decisions) lines.push(`    ${d.at} ${formatDecision(d)}`);
  }
  lines.push(`  journal: ${s.journal}`);
  return lines.join("\n");
}

/**
 * What to tell the user about a cutover operation that a restart cut short, from its recorded
 * events: the last weight applied, whether an update was in flight, and the command to resume.
 */
export function interruptedCutoverGuidance(
  stack: string,
  dryRun: boolean,
  events: readonly CutoverEvent[],
): string {
  const applied = [...events].reverse().find((e) => e.type === "applied");
  const lastApply = [...events]
    .reverse()
    .find((e) => e.type === "applying" || e.type === "applied");
  const resume = `Resume with \`${resumeCommand(stack, dryRun)}\` or submit {"kind":"cutover"${dryRun ? ',"dryRun":true' : ""}} again: it continues from the stack's cutover.istioWeight.`;
  if (dryRun) {
    return `The dry-run stopped when the service did; nothing was applied${applied?.type === "applied" ? ` (the plan had reached weight ${applied.weight})` : ""}. ${resume}`;
  }
  const last =
    applied?.type === "applied"
      ? `Last Istio weight applied: ${applied.weight}${applied.rollback ? " (a rollback)" : ""}, at ${applied.at}.`
      : "No weight was applied by this operation.";
  const flight =
    lastApply?.type === "applying"
      ? ` An \`up\` to weight ${lastApply.weight} was in flight: if \`pulumi stack --stack ${stack}\` shows an update in progress, run \`pulumi cancel --stack ${stack}\`, then \`pulumi refresh --stack ${stack}\`.`
      : "";
  return `The progressive cutover stopped when the service did. ${last}${flight} ${resume}`;
}
