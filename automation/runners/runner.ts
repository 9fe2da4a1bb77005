// The engine behind an operation, as an interface: the service and the CLI drive a Runner, never Pulumi directly.
import { PROJECT_ROOT } from "../../config/project";
import type { LoadedStack } from "../../config/load";
import { Phase } from "../../phases/phases";

export const OPERATION_KINDS = ["plan", "preview", "up", "refresh", "destroy", "cutover"] as const;
export type OperationKind = (typeof OPERATION_KINDS)[number];

/**
 * One engine event as JSON, shaped like the Automation API's `EngineEvent` (`resourcePreEvent`,
 * `resOutputsEvent`, `summaryEvent`, ...), so that one consumer renders events of every runner.
 */
export type RunnerEvent = Record<string, unknown>;

/** A stack output as the Automation API returns it. */
export interface StackOutput {
  readonly value: unknown;
  readonly secret: boolean;
}

export interface RunRequest {
  readonly stack: string;
  readonly kind: OperationKind;
  /** Sets `meshlift:phase` for this run. */
  readonly phase?: Phase;
  /** Extra config, `key -> value` as `pulumi config set` takes it (`meshlift:` is implied). */
  readonly config?: Readonly<Record<string, string>>;
  /** The stack as the caller loaded it with `config` and `phase` applied; the plan runner plans from it. @default read again */
  readonly loaded?: LoadedStack;
  /** The phase the stack is in now, which the transition guard checks against. */
  readonly currentPhase?: Phase;
  /** For `cutover`: run the offline plan at each step instead of `up`, applying nothing. */
  readonly dryRun?: boolean;
  readonly signal: AbortSignal;
  readonly onEvent: (event: RunnerEvent) => void;
}

export interface RunResult {
  /** What happened, for the operation record (counts by step kind, phase...). */
  readonly summary: Record<string, unknown>;
  /** The stack outputs after the run, for kinds that change deployed state (up, refresh, destroy). */
  readonly outputs?: Record<string, StackOutput>;
  /**
   * Set when the run ended on its own without reaching its goal (a cutover that rolled back or
   * stopped for lack of data): the operation is recorded as failed, with this error and the summary.
   */
  readonly failure?: { readonly error: string; readonly guidance?: string };
}

export interface Runner {
  /** Undefined when `kind` can run on this machine; otherwise the error that says what is missing. */
  unavailable(kind: OperationKind): Error | undefined;
  run(req: RunRequest): Promise<RunResult>;
  /** Releases what the runner holds (worker threads...). */
  close?(): Promise<void>;
}

/** Thrown by a runner when its run was cancelled through the request's signal. */
export class CancelledError extends Error {
  constructor(message = "cancelled on request") {
    super(message);
    this.name = "CancelledError";
  }
}

/**
 * The directory holding Pulumi.yaml: `PROJECT_DIR` of plan/offline.ts, without importing the
 * program (the service starts and answers reads before anything loads the Pulumi SDK).
 */
export const DEFAULT_PROJECT_DIR = PROJECT_ROOT;
