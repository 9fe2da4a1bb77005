// The `plan` runner: the real offline plan (runOfflinePlan), in-process or in worker threads, as engine-shaped events.
import { Worker } from "node:worker_threads";
import { PHASES } from "../../phases/phases";
import type { PlanDocument, PlanOptions } from "../../plan/offline";
import type { PlanJob, PlanReply } from "./plan-worker";
import { CancelledError, OperationKind, Runner, RunRequest, RunResult } from "./runner";

export interface PlanRunnerOptions {
  /** @default the directory holding Pulumi.yaml */
  readonly projectDir?: string;
  /**
   * Worker threads that run plans. A plan resolves thousands of promises in one go, which starves
   * the event loop for about a second; in a worker, the HTTP server keeps answering meanwhile, and
   * plans of different stacks run in parallel (each worker has its own Pulumi runtime).
   * 0 runs plans on the calling thread, one at a time. @default 0
   */
  readonly workers?: number;
}

export class PlanRunner implements Runner {
  private readonly pool?: WorkerPool;

  constructor(private readonly opts: PlanRunnerOptions = {}) {
    const n = opts.workers ?? 0;
    if (!Number.isInteger(n) || n < 0) throw new Error(`workers: ${n} must be an integer >= 0`);
    if (n > 0) this.pool = new WorkerPool(n);
  }

  unavailable(kind: OperationKind): Error | undefined {
    return kind === "plan"
      ? undefined
      : new Error(`the plan runner only runs "plan", not "${kind}"`);
  }

  async run(req: RunRequest): Promise<RunResult> {
    if (req.signal.aborted) throw new CancelledError();
    const started = Date.now();
    // The service hands over the stack it loaded and checked: the plan reads and parses nothing again.
    const document = await this.document(
      req.loaded
        ? { stack: req.stack, loaded: req.loaded, deployedPhase: req.currentPhase }
        : {
            stack: req.stack,
            phase: req.phase,
            set: req.config,
            deployedPhase: req.currentPhase,
          },
    );
    // The plan itself cannot be interrupted (the runtime is process-global); a cancel that arrived
    // meanwhile still wins, so that a cancelled operation never reports a result.
    if (req.signal.aborted) throw new CancelledError();
    for (const e of planEvents(document, started)) req.onEvent(e);
    return { summary: planSummary(document) };
  }

  /** The plan document itself, on the same workers (the board's diff and runbook read it). */
  async document(opts: PlanOptions): Promise<PlanDocument> {
    const o = { ...opts, projectDir: opts.projectDir ?? this.opts.projectDir };
    if (this.pool) return this.pool.run(o);
    // Loaded on first use: the program and the Pulumi SDK take seconds to import, reads should not wait.
    const { runOfflinePlan } = require("../../plan/offline") as typeof import("../../plan/offline");
    return (await runOfflinePlan(o)).document;
  }

  /** Starts every worker and waits until each has loaded the program, so no plan pays for it. */
  async warmUp(): Promise<void> {
    await this.pool?.warmUp();
  }

  async close(): Promise<void> {
    await this.pool?.close();
  }
}

interface Slot {
  worker?: Worker;
  busy: boolean;
}

/** A fixed set of plan workers, started on first use; a job waits for a free one. */
class WorkerPool {
  private readonly slots: Slot[];
  private readonly waiting: (() => void)[] = [];
  private nextId = 1;
  /** Set by close(): the workers' exit is then the shutdown, not a crash of the plan they ran. */
  private closing = false;

  constructor(size: number) {
    this.slots = Array.from({ length: size }, () => ({ busy: false }));
  }

  async warmUp(): Promise<void> {
    await Promise.all(this.slots.map(() => this.run(undefined)));
  }

  run(opts: PlanOptions): Promise<PlanDocument>;
  run(opts: undefined): Promise<unknown>;
  async run(opts: PlanOptions | undefined): Promise<unknown> {
    if (this.closing) throw new CancelledError("the plan runner is shutting down");
    let slot = this.slots.find((s) => !s.busy);
    while (!slot) {
      await new Promise<void>((r) => this.waiting.push(r));
      if (this.closing) throw new CancelledError("the plan runner is shutting down");
      slot = this.slots.find((s) => !s.busy);
    }
    slot.busy = true;
    try {
      return await this.send(slot, opts);
    } finally {
      slot.busy = false;
      this.waiting.shift()?.();
    }
  }

  private send(slot: Slot, opts: PlanOptions | undefined): Promise<PlanDocument> {
    const worker = (slot.worker ??= startWorker());
    const id = this.nextId++;
    worker.ref();
    return new Promise<PlanDocument>((resolve, reject) => {
      const done = () => {
        worker.off("message", onMessage);
        worker.off("error", onError);
        worker.off("exit", onExit);
        worker.unref();
      };
      const onMessage = (m: PlanReply) => {
        if (m.id !== id) return;
        done();
        if (m.ok) resolve(m.document as PlanDocument);
        else reject(Object.assign(new Error(m.message), { name: m.name }));
      };
      const onError = (e: Error) => {
        done();
        slot.worker = undefined;
        reject(e);
      };
      const onExit = (code: number) => {
        done();
        slot.worker = undefined;
        reject(
          this.closing
            ? new CancelledError("the plan runner is shutting down")
            : new Error(`plan worker exited with code ${code}`),
        );
      };
      worker.on("message", onMessage);
      worker.on("error", onError);
      worker.on("exit", onExit);
      worker.postMessage({ id, opts } satisfies PlanJob);
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const wake of this.waiting.splice(0)) wake();
    await Promise.all(this.slots.map((s) => s.worker?.terminate() ?? Promise.resolve(0)));
    for (const s of this.slots) s.worker = undefined;
  }
}

function startWorker(): Worker {
  const entry = require.resolve("./plan-worker");
  // Sources run through tsx: a worker starts with a fresh module system, so it registers tsx itself.
  const code = entry.endsWith(".ts")
    ? `require(${JSON.stringify(require.resolve("tsx/cjs"))}); require(${JSON.stringify(entry)});`
    : `require(${JSON.stringify(entry)});`;
  const w = new Worker(code, { eval: true });
  w.unref();
  return w;
}

/** The plan as engine events: a prelude, a create step per resource, a summary. */
export function planEvents(doc: PlanDocument, started: number): Record<string, unknown>[] {
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

export function planSummary(doc: PlanDocument): Record<string, unknown> {
  const byType: Record<string, number> = {};
  for (const r of doc.resources) byType[r.type] = (byType[r.type] ?? 0) + 1;
  return {
    offline: true,
    phase: PHASES.includes(doc.phase) ? doc.phase : String(doc.phase),
    resources: doc.resources.length,
    byType,
    phaseGuard: doc.outputs.phaseGuard,
    // What a cutover --dry-run checks: the weights this plan gives the two Route 53 records.
    dnsWeights: doc.outputs.dnsWeights ?? null,
  };
}
