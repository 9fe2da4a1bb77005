// The service's durable record: operations, their engine events and each stack's last deployed state, in SQLite.
import * as fs from "node:fs";
import * as path from "node:path";
import Database from "better-sqlite3";
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

interface OperationRow {
  id: string;
  stack: string;
  kind: OperationKind;
  phase: string | null;
  config: string;
  from_phase: string | null;
  status: OperationStatus;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  error: string | null;
  guidance: string | null;
  summary: string | null;
  events: number;
  started_by: string | null;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS operations (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  stack TEXT NOT NULL,
  kind TEXT NOT NULL,
  phase TEXT,
  config TEXT NOT NULL,
  from_phase TEXT,
  status TEXT NOT NULL,
  created_at TEXT NOT NULL,
  started_at TEXT,
  finished_at TEXT,
  error TEXT,
  guidance TEXT,
  summary TEXT,
  events INTEGER NOT NULL DEFAULT 0,
  started_by TEXT
);
CREATE INDEX IF NOT EXISTS operations_stack ON operations (stack, seq);
CREATE INDEX IF NOT EXISTS operations_status ON operations (status);
CREATE TABLE IF NOT EXISTS events (
  op_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  at TEXT NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (op_id, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS stacks (
  stack TEXT PRIMARY KEY,
  phase TEXT,
  outputs TEXT NOT NULL,
  op_id TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
`;

export interface NewOperation {
  readonly id: string;
  readonly stack: string;
  readonly kind: OperationKind;
  readonly phase?: string;
  readonly config: Record<string, string>;
  readonly fromPhase?: string;
  readonly startedBy?: string;
}

/** Columns added after the first release, with their definitions, for databases created before them. */
const ADDED_COLUMNS: readonly (readonly [string, string])[] = [["started_by", "TEXT"]];

export class Store {
  private readonly db: Database.Database;
  private readonly stmts;

  constructor(readonly file: string) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.db = new Database(file);
    try {
      // One process owns the file: a second service would mark the first one's operations interrupted.
      this.db.pragma("locking_mode = EXCLUSIVE");
      this.db.pragma("journal_mode = WAL");
      // FULL: a record acknowledged with 202 survives a power cut too, not only a killed process.
      this.db.pragma("synchronous = FULL");
      this.db.exec(SCHEMA);
      const have = new Set(
        (this.db.pragma("table_info(operations)") as { name: string }[]).map((c) => c.name),
      );
      for (const [name, type] of ADDED_COLUMNS)
        if (!have.has(name)) this.db.exec(`ALTER TABLE operations ADD COLUMN ${name} ${type}`);
    } catch (e) {
      this.db.close();
      if ((e as { code?: string }).code === "SQLITE_BUSY") {
        throw new Error(
          `${file} is in use by another process (another \`meshlift serve\`?): stop it, or use --db/--data-dir for a separate database`,
        );
      }
      throw e;
    }
    this.stmts = {
      insert: this.db.prepare(
        `INSERT INTO operations (id, stack, kind, phase, config, from_phase, status, created_at, started_by)
         VALUES (@id, @stack, @kind, @phase, @config, @fromPhase, 'queued', @at, @startedBy)`,
      ),
      get: this.db.prepare<[string], OperationRow>(`SELECT * FROM operations WHERE id = ?`),
      start: this.db.prepare(
        `UPDATE operations SET status = 'running', started_at = ? WHERE id = ? AND status = 'queued'`,
      ),
      finish: this.db.prepare(
        `UPDATE operations SET status = @status, finished_at = @at, error = @error,
           guidance = @guidance, summary = @summary WHERE id = @id`,
      ),
      last: this.db.prepare<[string], OperationRow>(
        `SELECT * FROM operations WHERE stack = ? ORDER BY seq DESC LIMIT 1`,
      ),
      recent: this.db.prepare<[string, number, number], OperationRow>(
        `SELECT * FROM operations WHERE stack = ? AND seq < ? ORDER BY seq DESC LIMIT ?`,
      ),
      seqOf: this.db.prepare<[string, string], { seq: number }>(
        `SELECT seq FROM operations WHERE id = ? AND stack = ?`,
      ),
      count: this.db.prepare<[string], { n: number }>(
        `SELECT count(*) AS n FROM operations WHERE stack = ?`,
      ),
      list: this.db.prepare<[number], OperationRow>(
        `SELECT * FROM operations ORDER BY seq ASC LIMIT ?`,
      ),
      byStatus: this.db.prepare<[string], OperationRow>(
        `SELECT * FROM operations WHERE status = ? ORDER BY seq ASC`,
      ),
      addEvent: this.db.prepare(`INSERT INTO events (op_id, seq, at, data) VALUES (?, ?, ?, ?)`),
      countEvent: this.db.prepare(`UPDATE operations SET events = events + 1 WHERE id = ?`),
      events: this.db.prepare<[string, number], { seq: number; at: string; data: string }>(
        `SELECT seq, at, data FROM events WHERE op_id = ? AND seq > ? ORDER BY seq ASC`,
      ),
      stackState: this.db.prepare<
        [string],
        { stack: string; phase: string | null; outputs: string; op_id: string; updated_at: string }
      >(`SELECT * FROM stacks WHERE stack = ?`),
      setStackState: this.db.prepare(
        `INSERT INTO stacks (stack, phase, outputs, op_id, updated_at) VALUES (@stack, @phase, @outputs, @opId, @at)
         ON CONFLICT (stack) DO UPDATE SET phase = @phase, outputs = @outputs, op_id = @opId, updated_at = @at`,
      ),
    };
  }

  insert(op: NewOperation): OperationRecord {
    this.stmts.insert.run({
      id: op.id,
      stack: op.stack,
      kind: op.kind,
      phase: op.phase ?? null,
      config: JSON.stringify(op.config),
      fromPhase: op.fromPhase ?? null,
      at: now(),
      startedBy: op.startedBy ?? null,
    });
    return this.get(op.id) as OperationRecord;
  }

  get(id: string): OperationRecord | undefined {
    const row = this.stmts.get.get(id);
    return row && toRecord(row);
  }

  /** Marks a queued operation running; false when it was no longer queued (cancelled meanwhile). */
  start(id: string): boolean {
    return this.stmts.start.run(now(), id).changes === 1;
  }

  finish(
    id: string,
    status: OperationStatus,
    fields: {
      error?: string;
      guidance?: string;
      summary?: Record<string, unknown>;
    } = {},
  ): void {
    this.stmts.finish.run({
      id,
      status,
      at: now(),
      error: fields.error ?? null,
      guidance: fields.guidance ?? null,
      summary: fields.summary ? JSON.stringify(fields.summary) : null,
    });
  }

  lastOperation(stack: string): OperationRecord | undefined {
    const row = this.stmts.last.get(stack);
    return row && toRecord(row);
  }

  /**
   * A stack's operations, newest first: at most `limit`, older than operation `before` when given.
   * Undefined when `before` is not an operation of this stack.
   */
  recent(stack: string, limit: number, before?: string): OperationRecord[] | undefined {
    let below = Number.MAX_SAFE_INTEGER;
    if (before !== undefined) {
      const row = this.stmts.seqOf.get(before, stack);
      if (!row) return undefined;
      below = row.seq;
    }
    return this.stmts.recent.all(stack, below, limit).map(toRecord);
  }

  countOperations(stack: string): number {
    return this.stmts.count.get(stack)?.n ?? 0;
  }

  list(limit = 10_000): OperationRecord[] {
    return this.stmts.list.all(limit).map(toRecord);
  }

  withStatus(status: OperationStatus): OperationRecord[] {
    return this.stmts.byStatus.all(status).map(toRecord);
  }

  /** Appends an event with the next sequence number (1, 2, ...) and returns it as stored. */
  readonly appendEvent = (
    opId: string,
    seq: number,
    data: Record<string, unknown>,
  ): StoredEvent => {
    const at = now();
    this.db.transaction(() => {
      this.stmts.addEvent.run(opId, seq, at, JSON.stringify(data));
      this.stmts.countEvent.run(opId);
    })();
    return { seq, at, data };
  };

  events(opId: string, afterSeq = 0): StoredEvent[] {
    return this.stmts.events.all(opId, afterSeq).map((r) => ({
      seq: r.seq,
      at: r.at,
      data: JSON.parse(r.data) as Record<string, unknown>,
    }));
  }

  stackState(stack: string): StackState | undefined {
    const r = this.stmts.stackState.get(stack);
    if (!r) return undefined;
    return {
      stack: r.stack,
      phase: r.phase,
      outputs: JSON.parse(r.outputs) as Record<string, unknown>,
      operationId: r.op_id,
      updatedAt: r.updated_at,
    };
  }

  setStackState(
    stack: string,
    phase: string | null,
    redactedOutputs: Record<string, unknown>,
    opId: string,
  ): void {
    this.stmts.setStackState.run({
      stack,
      phase,
      outputs: JSON.stringify(redactedOutputs),
      opId,
      at: now(),
    });
  }

  /**
   * After a crash or restart: operations the previous process left queued or running never finished
   * here. They are marked `interrupted` with what to do, so that nothing acknowledged disappears.
   */
  recoverInterrupted(): OperationRecord[] {
    const found = [...this.withStatus("running"), ...this.withStatus("queued")];
    const tx = this.db.transaction(() => {
      for (const op of found) {
        this.finish(op.id, "interrupted", {
          error: `the service stopped while this operation was ${op.status}`,
          guidance: interruptedGuidance(op),
        });
      }
    });
    tx();
    return found.map((op) => this.get(op.id) as OperationRecord);
  }

  /** Runs `fn` as one transaction: one disk sync for many writes (seeding, imports). */
  batch<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  close(): void {
    this.db.close();
  }
}

export function interruptedGuidance(
  op: Pick<OperationRecord, "stack" | "kind" | "status">,
): string {
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

function toRecord(r: OperationRow): OperationRecord {
  return {
    id: r.id,
    stack: r.stack,
    kind: r.kind,
    phase: r.phase,
    config: JSON.parse(r.config) as Record<string, string>,
    fromPhase: r.from_phase,
    status: r.status,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    error: r.error,
    guidance: r.guidance,
    summary: r.summary ? (JSON.parse(r.summary) as Record<string, unknown>) : null,
    events: r.events,
    startedBy: r.started_by,
  };
}

function now(): string {
  return new Date().toISOString();
}
