// The service's operation records as callers see them: statuses, the record, its events, a stack's last state (secrets replaced), and what to do next.
import { SECRET_PLACEHOLDER } from "../../config/stack-file";
import { resumeCommand } from "../../cutover/loop";
import type { OperationKind, StackOutput } from "../runners/runner";

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
  /** Kind-specific options (cutover: dryRun). */
  readonly options: { readonly dryRun?: boolean };
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
  readonly options?: { readonly dryRun?: boolean };
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

/** What to do after cancelling an operation that may have changed resources. */
export function cancelGuidance(op: OperationRecord): string | undefined {
  if (op.kind === "plan" || op.kind === "preview") return undefined;
  if (op.kind === "cutover")
    return `The Istio weight stays where the last applied step left it (see the operation's events, or \`meshlift cutover status --stack ${op.stack}\`). Resume with \`${resumeCommand(op.stack, op.options.dryRun === true)}\` or submit {"kind":"cutover"} again.`;
  return `A cancelled ${op.kind} may leave resources half-changed: run a "refresh" operation (or \`pulumi refresh --stack ${op.stack}\`) before the next ${op.kind}.`;
}

/** What to do after an operation failed, by kind. */
export function failureGuidance(op: OperationRecord): string | undefined {
  if (op.kind === "plan") return "Fix the config or phase the error names, then submit again.";
  return `See the operation's events for the failing resource. If \`pulumi stack --stack ${op.stack}\` shows an update in progress, run \`pulumi cancel --stack ${op.stack}\`; then \`pulumi refresh --stack ${op.stack}\` before retrying.`;
}

/** The signature key Pulumi puts on serialized secret values. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/** Outputs as they may be shown and stored: every secret value replaced, at any depth. */
export function redactOutputs(outputs: Record<string, StackOutput>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, o] of Object.entries(outputs))
    out[k] = o.secret ? SECRET_PLACEHOLDER : redactValue(o.value);
  return out;
}

/** The value with every serialized Pulumi secret inside it replaced. */
export function redactValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(redactValue);
  if (typeof v === "object" && v !== null) {
    if (SECRET_SIG in v) return SECRET_PLACEHOLDER;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, redactValue(x)]));
  }
  return v;
}
