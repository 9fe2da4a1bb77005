// The service's operation records as callers see them: statuses, the record, its events, a stack's last state, and what to do after an interruption.
import type { OperationKind } from "../runners/runner";

export const OPERATION_STATUSES = [
  "queued",
  "running",
  "succeeded",
  "failed",
  "cancelled",
  "interrupted",
] as const;
export type OperationStatus = (typeof OPERATION_STATUSES)[number];

export function isTerminal(s: OperationStatus): boolean {
  return s !== "queued" && s !== "running";
}

export interface OperationRecord {
  readonly id: string;
  readonly stack: string;
  readonly kind: OperationKind;
  /** The phase the operation sets, when it sets one. */
  readonly phase: string | null;
  readonly config: Record<string, string>;
  /** The stack's phase when the operation was accepted. */
  readonly fromPhase: string | null;
  readonly status: OperationStatus;
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly error: string | null;
  /** What to do next, for interrupted and failed operations. */
  readonly guidance: string | null;
  readonly summary: Record<string, unknown> | null;
  /** How many events were recorded. */
  readonly events: number;
  /** Who submitted it: the token's label, or its scope and hash prefix (never the token). */
  readonly startedBy: string | null;
  /**
   * True when secret config values were replaced before storing: the record never holds them, so
   * an operation that did not run before a restart cannot be resumed and must be submitted again.
   */
  readonly configRedacted: boolean;
}

export interface StoredEvent {
  readonly seq: number;
  readonly at: string;
  readonly data: Record<string, unknown>;
}

export interface StackState {
  readonly stack: string;
  /** The phase last deployed through this service, or null when unknown or destroyed. */
  readonly phase: string | null;
  /** Outputs with secret values already replaced; secrets are never written to the database. */
  readonly outputs: Record<string, unknown>;
  readonly operationId: string;
  readonly updatedAt: string;
}

export interface NewOperation {
  readonly id: string;
  readonly stack: string;
  readonly kind: OperationKind;
  readonly phase?: string;
  /** Already redacted: the store writes what it is given. */
  readonly config: Record<string, string>;
  readonly fromPhase?: string;
  readonly startedBy?: string;
  /** Whether `config` had secret values replaced. @default false */
  readonly configRedacted?: boolean;
}

/** What to do about an operation a stopped service left queued or running, by kind and status. */
export function interruptedGuidance(
  op: Pick<OperationRecord, "stack" | "kind" | "status"> & { configRedacted?: boolean },
): string {
  if (op.status === "queued" && op.configRedacted)
    return "It never started and changed nothing. Its config held secret values, which are never stored, so it was not resumed: submit it again.";
  if (op.status === "queued")
    return "It never started and changed nothing; submit it again when ready.";
  if (op.kind === "plan")
    return "An offline plan changes nothing; submit it again to get its result.";
  if (op.kind === "preview")
    return `A preview changes no resources; if \`pulumi stack --stack ${op.stack}\` shows an update in progress, run \`pulumi cancel --stack ${op.stack}\`, then submit it again.`;
  return (
    `The ${op.kind} may have stopped half-way. If \`pulumi stack --stack ${op.stack}\` shows an update in progress, ` +
    `run \`pulumi cancel --stack ${op.stack}\` to release the lock; then \`pulumi refresh --stack ${op.stack}\` ` +
    `(or operation kind "refresh") to bring the state in line with what exists, and submit the ${op.kind} again.`
  );
}
