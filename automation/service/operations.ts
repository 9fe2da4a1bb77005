// Operations: accept (validate, record), queue one per stack, run on a runner, record events, finish or cancel.
import * as crypto from "node:crypto";
import { redactFlatConfig } from "../../config/schema-paths";
import { redactDeep, scrubText } from "../../config/redact";
import { qualifyKey } from "../../config/stack-file";
import { isPhase, Phase } from "../../phases/phases";
import { PulumiCliMissingError } from "../prerequisites";
import { CancelledError, OperationKind, Runner, RunnerEvent } from "../runners/runner";
import { ServiceError, validation } from "./errors";
import {
  cancelGuidance,
  failureGuidance,
  isTerminal,
  OperationRecord,
  redactOutputs,
  redactValue,
  StackState,
  StoredEvent,
} from "./records";
import { Store } from "./store";
import { StackFiles } from "./stack-files";
import { StoreWriteError } from "./store-errors";
import { CutoverRunner } from "../runners/cutover-runner";

export interface OperationRequest {
  readonly kind: OperationKind;
  /** For `cutover`: the offline plan at each step instead of `up`. */
  readonly dryRun?: boolean;
  readonly phase?: Phase;
  readonly config?: Readonly<Record<string, string>>;
  /** Wait behind an operation already running on the stack. @default true */
  readonly queue?: boolean;
  /** Must equal the stack name for `destroy`. */
  readonly confirm?: string;
  /** Who submits it, as recorded: a token label or scope and hash prefix, never a token. */
  readonly startedBy?: string;
}

export interface Runners {
  /** Runs `plan`. */
  readonly plan: Runner;
  /** Runs preview, up, refresh and destroy. */
  readonly automation: Runner;
  /** Runs `cutover` (with the two above); without it, `cutover` answers 503. */
  readonly cutover?: CutoverRunner;
}

export interface OperationsOptions {
  readonly store: Store;
  readonly runners: Runners;
  readonly projectDir: string;
  /** Operations running at once, across stacks. @default 4 */
  readonly maxConcurrent?: number;
}

export type OperationMessage =
  | { readonly type: "event"; readonly event: StoredEvent }
  | { readonly type: "end"; readonly operation: OperationRecord };

type Listener = (m: OperationMessage) => void;

interface Running {
  readonly op: OperationRecord;
  readonly controller: AbortController;
  readonly done: Promise<void>;
}

export class Operations {
  private readonly store: Store;
  private readonly maxConcurrent: number;
  private readonly pending: OperationRecord[] = [];
  private readonly running = new Map<string, Running>();
  private readonly busyStacks = new Set<string>();
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly eventSeq = new Map<string, number>();
  private stopped = false;
  /** The config of each operation accepted by this process as given, secrets included; never stored. */
  private readonly configs = new Map<string, Record<string, string>>();
  /** The stack files: listed, parsed once per change, and a request's config and phase judged. */
  readonly stackFiles: StackFiles;

  constructor(private readonly opts: OperationsOptions) {
    this.store = opts.store;
    this.stackFiles = new StackFiles(opts.projectDir, opts.store);
    this.maxConcurrent = opts.maxConcurrent ?? 4;
    if (!Number.isInteger(this.maxConcurrent) || this.maxConcurrent < 1)
      throw new Error(`maxConcurrent: ${this.maxConcurrent} must be an integer >= 1`);
  }

  stackView(stack: string): Record<string, unknown> {
    this.stackFiles.requireStack(stack);
    const state: StackState | undefined = this.store.stackState(stack);
    const phase = this.stackFiles.phaseOf(stack);
    const running = [...this.running.values()].find((r) => r.op.stack === stack);
    return {
      stack,
      phase: phase.current,
      configuredPhase: phase.configured,
      deployedPhase: phase.deployed,
      ...(phase.configError ? { configError: phase.configError } : {}),
      lastOperation: this.store.lastOperation(stack) ?? null,
      runningOperation: running?.op.id ?? null,
      queuedOperations: this.pending.filter((p) => p.stack === stack).map((p) => p.id),
      outputs: state?.outputs ?? {},
      outputsFrom: state?.operationId ?? null,
    };
  }

  /** Validates, records (before the caller answers 202) and queues an operation. */
  submit(stack: string, req: OperationRequest): OperationRecord {
    if (this.stopped) throw new ServiceError(503, "the service is shutting down");
    this.stackFiles.requireStack(stack);
    if (req.kind === "destroy" && req.confirm !== stack) {
      throw validation(`destroy deletes every resource of stack "${stack}"`, [
        {
          path: "confirm",
          given: req.confirm,
          message: `must be the stack name ("${stack}") to confirm destroy`,
        },
      ]);
    }
    const config = Object.fromEntries(
      Object.entries(req.config ?? {}).map(([k, v]) => [qualifyKey(k), v]),
    );
    if (req.dryRun !== undefined && req.kind !== "cutover") {
      throw validation(`dryRun applies to kind "cutover" only`, [
        { path: "dryRun", given: req.dryRun, message: `is for kind "cutover", not "${req.kind}"` },
      ]);
    }
    const target = this.stackFiles.checkConfigAndPhase(stack, req.kind, config, req.phase);
    if (req.kind === "cutover")
      this.stackFiles.checkCutover(stack, target.loaded.config, req.dryRun === true);
    const runner = this.runnerFor(req.kind);
    const missing =
      req.kind === "cutover" && this.opts.runners.cutover
        ? this.opts.runners.cutover.stepUnavailable(req.dryRun === true)
        : runner.unavailable(req.kind);
    if (missing) {
      const missingWhat = missing instanceof PulumiCliMissingError ? "pulumi" : "runner";
      throw new ServiceError(503, missing.message, { missing: missingWhat });
    }
    if (req.queue === false && this.busy(stack)) {
      throw new ServiceError(
        409,
        `stack "${stack}" has an operation in progress; retry later or send "queue": true to wait in line`,
        { running: this.busyWith(stack) },
      );
    }
    // Only the redacted config is stored (a read token sees records); the real one stays in memory.
    const stored = redactFlatConfig(config);
    let op: OperationRecord;
    try {
      op = this.store.insert({
        id: crypto.randomUUID(),
        stack,
        kind: req.kind,
        phase: req.phase,
        config: stored.config,
        configRedacted: stored.redacted,
        fromPhase: target.move?.from,
        startedBy: req.startedBy,
        options: req.kind === "cutover" ? { dryRun: req.dryRun === true } : undefined,
      });
    } catch (e) {
      if (e instanceof StoreWriteError)
        throw new ServiceError(e.kind === "full" ? 507 : 503, e.message, { store: e.code });
      throw e;
    }
    this.configs.set(op.id, config);
    this.pending.push(op);
    this.pump();
    return this.store.get(op.id) as OperationRecord;
  }

  /**
   * Queues operations a previous process accepted but never started (their config has no
   * secrets: those were marked interrupted). One whose runner is missing here is marked with what
   * to do instead. Returns the ones marked.
   */
  resume(queued: readonly OperationRecord[]): OperationRecord[] {
    const marked: OperationRecord[] = [];
    for (const op of queued) {
      const missing = this.runnerFor(op.kind).unavailable(op.kind);
      if (missing) {
        this.store.finish(op.id, "interrupted", {
          error: "the service restarted before this operation started, and cannot run it now",
          guidance: `Not resumed: ${missing.message}. It never started and changed nothing; submit it again.`,
        });
        marked.push(this.get(op.id));
      } else {
        this.pending.push(op);
      }
    }
    this.pump();
    return marked;
  }

  get(id: string): OperationRecord {
    const op = this.store.get(id);
    if (!op) throw new ServiceError(404, `unknown operation "${id}"`, { id });
    return op;
  }

  cancel(id: string): OperationRecord {
    const op = this.get(id);
    if (isTerminal(op.status))
      throw new ServiceError(409, `operation "${id}" already ended (${op.status})`, { id });
    const i = this.pending.findIndex((p) => p.id === id);
    if (i >= 0) {
      this.pending.splice(i, 1);
      this.configs.delete(id);
      this.store.finish(id, "cancelled", { error: "cancelled before it started" });
      this.notify(id, { type: "end", operation: this.get(id) });
      return this.get(id);
    }
    this.running.get(id)?.controller.abort();
    return this.get(id);
  }

  /** Stored events after `afterSeq`, then live ones, then `end`; all in one tick, so none is missed. */
  subscribe(id: string, afterSeq: number, listener: Listener): () => void {
    const op = this.get(id);
    for (const event of this.store.events(id, afterSeq)) listener({ type: "event", event });
    if (isTerminal(op.status)) {
      listener({ type: "end", operation: op });
      return () => undefined;
    }
    const set = this.listeners.get(id) ?? new Set();
    set.add(listener);
    this.listeners.set(id, set);
    return () => set.delete(listener);
  }

  /** Resolves when nothing is queued or running. */
  async idle(): Promise<void> {
    while (this.running.size > 0 || this.pending.length > 0) {
      await Promise.race([...this.running.values()].map((r) => r.done));
    }
  }

  /** Stops taking work, cancels what runs and waits for it; queued operations stay queued in the store. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.pending.length = 0;
    for (const r of this.running.values()) r.controller.abort();
    await Promise.all([...this.running.values()].map((r) => r.done));
  }

  private busy(stack: string): boolean {
    return this.busyStacks.has(stack) || this.pending.some((p) => p.stack === stack);
  }

  private busyWith(stack: string): string | undefined {
    return (
      [...this.running.values()].find((r) => r.op.stack === stack)?.op.id ??
      this.pending.find((p) => p.stack === stack)?.id
    );
  }

  private runnerFor(kind: OperationKind): Runner {
    if (kind === "cutover") return this.opts.runners.cutover ?? NO_CUTOVER_RUNNER;
    return kind === "plan" ? this.opts.runners.plan : this.opts.runners.automation;
  }

  private pump(): void {
    for (let i = 0; i < this.pending.length && this.running.size < this.maxConcurrent;) {
      const op = this.pending[i];
      if (this.busyStacks.has(op.stack)) {
        i += 1;
        continue;
      }
      this.pending.splice(i, 1);
      this.start(op);
    }
  }

  private start(op: OperationRecord): void {
    const controller = new AbortController();
    this.busyStacks.add(op.stack);
    if (!this.store.start(op.id)) {
      this.busyStacks.delete(op.stack);
      return;
    }
    let resolveDone = () => undefined as void;
    const done = new Promise<void>((r) => (resolveDone = r));
    this.running.set(op.id, { op, controller, done });
    void this.execute(op, controller.signal).finally(() => {
      this.running.delete(op.id);
      this.busyStacks.delete(op.stack);
      this.eventSeq.delete(op.id);
      this.listeners.delete(op.id);
      this.configs.delete(op.id);
      resolveDone();
      if (!this.stopped) this.pump();
    });
  }

  private async execute(op: OperationRecord, signal: AbortSignal): Promise<void> {
    let end: Parameters<Store["finish"]>;
    const config = this.configs.get(op.id) ?? op.config;
    try {
      // Re-checked at start: an operation queued earlier may have moved the stack since this was accepted.
      const phase = isPhase(op.phase) ? op.phase : undefined;
      const target = this.stackFiles.checkConfigAndPhase(op.stack, op.kind, config, phase);
      const result = await this.runnerFor(op.kind).run({
        stack: op.stack,
        kind: op.kind,
        phase,
        config,
        loaded: target.loaded,
        currentPhase: target.move?.from,
        dryRun: op.options.dryRun,
        signal,
        onEvent: (e) => this.record(op.id, e),
      });
      if (result.outputs) {
        const outputs = redactOutputs(result.outputs);
        const deployed = op.kind === "destroy" ? null : outputs.phase;
        this.store.setStackState(op.stack, isPhase(deployed) ? deployed : null, outputs, op.id);
      }
      end = result.failure
        ? [
            op.id,
            "failed",
            { ...result.failure, summary: result.summary, error: scrubText(result.failure.error) },
          ]
        : [op.id, "succeeded", { summary: result.summary }];
    } catch (e) {
      // Engine and program errors can quote config: never store a key or token they show.
      const message = scrubText(e instanceof Error ? e.message : String(e));
      if (e instanceof CancelledError || signal.aborted) {
        end = [op.id, "cancelled", { error: message, guidance: cancelGuidance(op) }];
      } else {
        end = [op.id, "failed", { error: message, guidance: failureGuidance(op) }];
      }
    }
    try {
      this.store.finish(...end);
      this.notify(op.id, { type: "end", operation: this.get(op.id) });
    } catch (e) {
      // Not a database refusal (those are held and retried): a bug, reported but never a crash.
      process.stderr.write(`meshlift serve: could not record the end of ${op.id}: ${String(e)}\n`);
    }
  }

  private record(opId: string, data: RunnerEvent): void {
    const seq = (this.eventSeq.get(opId) ?? 0) + 1;
    this.eventSeq.set(opId, seq);
    // The engine masks secrets in events already; values that still carry Pulumi's secret marker
    // are replaced too, so that no secret reaches the database or an event stream.
    // PEM blocks and tokens that the engine did not know as secrets are replaced as well.
    const clean = redactDeep(redactValue(data)) as RunnerEvent;
    const event = this.store.appendEvent(opId, seq, clean);
    this.notify(opId, { type: "event", event });
  }

  private notify(opId: string, m: OperationMessage): void {
    for (const l of this.listeners.get(opId) ?? []) l(m);
  }
}

const NO_CUTOVER_RUNNER: Runner = {
  unavailable: () => new Error("this service was started without a cutover runner"),
  run: () => Promise.reject(new Error("this service was started without a cutover runner")),
};
