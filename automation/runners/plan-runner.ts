// The `plan` runner: the real offline plan (runOfflinePlan), reported as engine-shaped events.
import { PHASES } from "../../phases/phases";
import type { PlanResult } from "../offline-plan";
import { CancelledError, OperationKind, Runner, RunRequest, RunResult } from "./runner";

export interface PlanRunnerOptions {
  /** @default the directory holding Pulumi.yaml */
  readonly projectDir?: string;
}

export class PlanRunner implements Runner {
  constructor(private readonly opts: PlanRunnerOptions = {}) {}

  unavailable(kind: OperationKind): Error | undefined {
    return kind === "plan"
      ? undefined
      : new Error(`the plan runner only runs "plan", not "${kind}"`);
  }

  async run(req: RunRequest): Promise<RunResult> {
    // Loaded on first use: the program and the Pulumi SDK take seconds to import, reads should not wait.
    const { runOfflinePlan } = require("../offline-plan") as typeof import("../offline-plan");
    if (req.signal.aborted) throw new CancelledError();
    const started = Date.now();
    const result = await runOfflinePlan({
      stack: req.stack,
      phase: req.phase,
      set: req.config,
      deployedPhase: req.currentPhase,
      projectDir: this.opts.projectDir,
    });
    // The plan itself cannot be interrupted (the runtime is process-global); a cancel that arrived
    // meanwhile still wins, so that a cancelled operation never reports a result.
    if (req.signal.aborted) throw new CancelledError();
    for (const e of planEvents(result, started)) req.onEvent(e);
    return { summary: planSummary(result) };
  }
}

/** The plan as engine events: a prelude, a create step per resource, a summary. */
export function planEvents(result: PlanResult, started: number): Record<string, unknown>[] {
  const doc = result.document;
  let sequence = 0;
  const at = () => ({ sequence: sequence++, timestamp: Math.floor(started / 1000) });
  const events: Record<string, unknown>[] = [
    { ...at(), preludeEvent: { config: { "meshlift:phase": doc.phase } } },
  ];
  for (const r of doc.resources) {
    const metadata = { op: "create", urn: r.urn, type: r.type, provider: r.provider ?? "" };
    events.push({ ...at(), resourcePreEvent: { metadata, planning: true } });
    events.push({ ...at(), resOutputsEvent: { metadata, planning: true } });
  }
  events.push({
    ...at(),
    summaryEvent: {
      maybeCorrupt: false,
      durationSeconds: Math.round((Date.now() - started) / 1000),
      resourceChanges: { create: doc.resources.length },
      policyPacks: {},
    },
  });
  return events;
}

export function planSummary(result: PlanResult): Record<string, unknown> {
  const doc = result.document;
  const byType: Record<string, number> = {};
  for (const r of doc.resources) byType[r.type] = (byType[r.type] ?? 0) + 1;
  return {
    offline: true,
    phase: PHASES.includes(doc.phase) ? doc.phase : String(doc.phase),
    resources: doc.resources.length,
    byType,
    phaseGuard: doc.outputs.phaseGuard,
  };
}
