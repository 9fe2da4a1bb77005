// The service's durable record: operations, their engine events and each stack's last deployed state, in SQLite.
import * as fs from "node:fs";
import * as path from "node:path";
import Database from "better-sqlite3";
import { fsReason } from "../../config/files";
import type { OperationKind } from "../runners/runner";
import type { CutoverEvent } from "../../cutover/loop";
import { interruptedCutoverGuidance } from "../../cutover/report";
import {
  interruptedGuidance,
  NewOperation,
  OperationRecord,
  OperationStatus,
  StackState,
  StoredEvent,
} from "./records";
import { sqliteReason, StoreOpenError, StoreWriteError, writeError } from "./store-errors";

interface OperationRow {
  id: string;
  stack: string;
  kind: OperationKind;
  phase: string | null;
  config: string;
  from_phase: string | null;
  options: string | null;
  status: OperationStatus;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  error: string | null;
  guidance: string | null;
  summary: string | null;
  events: number;
  started_by: string | null;
  config_redacted: number;
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
  started_by TEXT,
  options TEXT
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

/** Columns added after the first release, with their definitions, for databases created before them. */
const ADDED_COLUMNS: readonly (readonly [string, string])[] = [
  ["started_by", "TEXT"],
  ["options", "TEXT"],
  ["config_redacted", "INTEGER NOT NULL DEFAULT 0"],
];

/** Writes held while the database cannot take them; a later write or read retries them in order. */
const MAX_DEFERRED = 100_000;

/** SQLite's own ceiling for max_page_count (no limit). */
const NO_PAGE_LIMIT = 4294967294;

export class Store {
  private readonly db: Database.Database;
  private readonly stmts;

  /** Background writes (events, starts, ends) held while the database refuses them. */
  private readonly deferred: { opId: string; run: () => void }[] = [];
  /** What the held writes will change, so that reads show it meanwhile. */
  private readonly overlay = new Map<string, Partial<OperationRow>>();
  private readonly overlayEvents = new Map<string, StoredEvent[]>();
  private droppedEvents = 0;

  constructor(readonly file: string) {
    try {
      // The records hold operation config and outputs: only the service's user may read them.
      fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      fs.closeSync(fs.openSync(file, "a", 0o600));
      makePrivate(file, 0o600);
    } catch (e) {
      throw new StoreOpenError(file, fsReason(e));
    }
    let db: Database.Database;
    try {
      db = new Database(file);
    } catch (e) {
      throw new StoreOpenError(file, sqliteReason(e));
    }
    this.db = db;
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
      throw new StoreOpenError(file, sqliteReason(e));
    }
    this.stmts = {
      insert: this.db.prepare(
        `INSERT INTO operations (id, stack, kind, phase, config, from_phase, options, status, created_at, started_by, config_redacted)
         VALUES (@id, @stack, @kind, @phase, @config, @fromPhase, @options, 'queued', @at, @startedBy, @redacted)`,
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

  /** Records a new operation; a StoreWriteError when the database cannot take it (nothing is recorded). */
  insert(op: NewOperation): OperationRecord {
    this.write(`operation ${op.id}`, () =>
      this.stmts.insert.run({
        id: op.id,
        stack: op.stack,
        kind: op.kind,
        phase: op.phase ?? null,
        config: JSON.stringify(op.config),
        fromPhase: op.fromPhase ?? null,
        options: op.options ? JSON.stringify(op.options) : null,
        at: now(),
        startedBy: op.startedBy ?? null,
        redacted: op.configRedacted ? 1 : 0,
      }),
    );
    return this.get(op.id) as OperationRecord;
  }

  get(id: string): OperationRecord | undefined {
    this.retryDeferred();
    const row = this.stmts.get.get(id);
    return row && this.toRecord(row);
  }

  /** Marks a queued operation running; false when it was no longer queued (cancelled meanwhile). */
  start(id: string): boolean {
    const at = now();
    let changed = false;
    this.writeOrDefer(
      id,
      () => {
        changed = this.stmts.start.run(at, id).changes === 1;
      },
      { status: "running", started_at: at },
    );
    // Held for later: the caller knows the operation is still queued (it holds it).
    return changed || this.overlay.get(id)?.status === "running";
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
    const row = {
      id,
      status,
      at: now(),
      error: fields.error ?? null,
      guidance: fields.guidance ?? null,
      summary: fields.summary ? JSON.stringify(fields.summary) : null,
    };
    this.writeOrDefer(id, () => this.stmts.finish.run(row), {
      status,
      finished_at: row.at,
      error: row.error,
      guidance: row.guidance,
      summary: row.summary,
    });
  }

  lastOperation(stack: string): OperationRecord | undefined {
    this.retryDeferred();
    const row = this.stmts.last.get(stack);
    return row && this.toRecord(row);
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
    this.retryDeferred();
    return this.stmts.list.all(limit).map((r) => this.toRecord(r));
  }

  withStatus(status: OperationStatus): OperationRecord[] {
    this.retryDeferred();
    return this.stmts.byStatus.all(status).map((r) => this.toRecord(r));
  }

  /** Appends an event with the next sequence number (1, 2, ...) and returns it as stored (or held). */
  readonly appendEvent = (
    opId: string,
    seq: number,
    data: Record<string, unknown>,
  ): StoredEvent => {
    const at = now();
    const event = { seq, at, data };
    const text = JSON.stringify(data);
    const held = this.writeOrDefer(opId, () =>
      this.db.transaction(() => {
        this.stmts.addEvent.run(opId, seq, at, text);
        this.stmts.countEvent.run(opId);
      })(),
    );
    if (held) this.overlayEvents.set(opId, [...(this.overlayEvents.get(opId) ?? []), event]);
    return event;
  };

  events(opId: string, afterSeq = 0): StoredEvent[] {
    this.retryDeferred();
    const stored = this.stmts.events.all(opId, afterSeq).map((r) => ({
      seq: r.seq,
      at: r.at,
      data: JSON.parse(r.data) as Record<string, unknown>,
    }));
    const held = (this.overlayEvents.get(opId) ?? []).filter((e) => e.seq > afterSeq);
    return [...stored, ...held];
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
    const row = { stack, phase, outputs: JSON.stringify(redactedOutputs), opId, at: now() };
    this.writeOrDefer(opId, () => this.stmts.setStackState.run(row));
  }

  /** What to do about an operation a restart cut short; a running cutover says where its weight was. */
  private interruptedGuidanceFor(op: OperationRecord): string {
    if (op.kind !== "cutover" || op.status !== "running") return interruptedGuidance(op);
    const events = this.events(op.id).flatMap((e) => {
      const c = e.data.cutoverEvent as CutoverEvent | undefined;
      return c ? [c] : [];
    });
    return interruptedCutoverGuidance(op.stack, op.options.dryRun === true, events);
  }

  /**
   * After a crash or restart: operations the previous process left running never finished here;
   * they are marked `interrupted` with what to do. Queued ones are returned to be resumed, except
   * those whose config had secrets (not stored), which are marked with what to do too. Nothing
   * acknowledged disappears.
   */
  recoverInterrupted(): { interrupted: OperationRecord[]; queued: OperationRecord[] } {
    const running = this.withStatus("running");
    const queued = this.withStatus("queued");
    const stale = [...running, ...queued.filter((op) => op.configRedacted)];
    this.write("recovered operations", () =>
      this.db.transaction(() => {
        for (const op of stale) {
          this.stmts.finish.run({
            id: op.id,
            status: "interrupted",
            at: now(),
            error: `the service stopped while this operation was ${op.status}`,
            guidance: this.interruptedGuidanceFor(op),
            summary: null,
          });
        }
      })(),
    );
    return {
      interrupted: stale.map((op) => this.get(op.id) as OperationRecord),
      queued: queued.filter((op) => !op.configRedacted),
    };
  }

  /**
   * Caps the database at about `bytes` (SQLite's max_page_count), or lifts the cap with undefined.
   * A cap below the current size holds it where it is: writes that need a new page fail as full.
   */
  setMaxBytes(bytes: number | undefined): void {
    const pageSize = this.db.pragma("page_size", { simple: true }) as number;
    const pages = bytes === undefined ? NO_PAGE_LIMIT : Math.max(1, Math.floor(bytes / pageSize));
    this.db.pragma(`max_page_count = ${pages}`);
  }

  /** Writes held because the database refused them, and events dropped beyond the hold limit. */
  backlog(): { deferred: number; droppedEvents: number } {
    return { deferred: this.deferred.length, droppedEvents: this.droppedEvents };
  }

  /** Runs `fn` as one transaction: one disk sync for many writes (seeding, imports). */
  batch<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  close(): void {
    this.retryDeferred();
    this.db.close();
  }

  /** Runs a write after any held ones; a StoreWriteError when the database refuses it. */
  private write(what: string, run: () => void): void {
    this.retryDeferred();
    if (this.deferred.length > 0) {
      throw new StoreWriteError("full", "SQLITE_FULL", `${what} (earlier writes are still held)`);
    }
    try {
      run();
    } catch (e) {
      throw writeError(e, what);
    }
  }

  /**
   * Runs a background write, or holds it (in order, with what it changes shown to reads) while the
   * database refuses writes, so that a full disk never loses an operation's end. True when held.
   */
  private writeOrDefer(opId: string, run: () => void, change?: Partial<OperationRow>): boolean {
    this.retryDeferred();
    if (this.deferred.length === 0) {
      try {
        run();
        return false;
      } catch (e) {
        if (!(writeError(e, "") instanceof StoreWriteError)) throw e;
      }
    }
    if (this.deferred.length >= MAX_DEFERRED && !change) {
      this.droppedEvents += 1;
      return false;
    }
    this.deferred.push({ opId, run });
    if (change) this.overlay.set(opId, { ...this.overlay.get(opId), ...change });
    return true;
  }

  /** Replays held writes in order, stopping at the first the database still refuses. */
  private retryDeferred(): void {
    while (this.deferred.length > 0) {
      try {
        this.deferred[0].run();
      } catch (e) {
        if (writeError(e, "") instanceof StoreWriteError) return;
        throw e;
      }
      const done = this.deferred.shift() as { opId: string };
      if (!this.deferred.some((d) => d.opId === done.opId)) {
        this.overlay.delete(done.opId);
        this.overlayEvents.delete(done.opId);
      }
    }
  }

  private toRecord(r: OperationRow): OperationRecord {
    const o = this.overlay.get(r.id);
    const held = this.overlayEvents.get(r.id)?.length ?? 0;
    return toRecord(
      o ? { ...r, ...o, events: r.events + held } : { ...r, events: r.events + held },
    );
  }
}

/**
 * Sets `mode` on a file or directory this user owns (an existing 0644 database from an older
 * version becomes 0600); one owned by someone else is left as its owner set it.
 */
export function makePrivate(p: string, mode: number): void {
  if (fs.statSync(p).uid === process.getuid?.()) fs.chmodSync(p, mode);
}

function toRecord(r: OperationRow): OperationRecord {
  return {
    id: r.id,
    stack: r.stack,
    kind: r.kind,
    phase: r.phase,
    config: JSON.parse(r.config) as Record<string, string>,
    fromPhase: r.from_phase,
    options: r.options ? (JSON.parse(r.options) as OperationRecord["options"]) : {},
    status: r.status,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    error: r.error,
    guidance: r.guidance,
    summary: r.summary ? (JSON.parse(r.summary) as Record<string, unknown>) : null,
    events: r.events,
    startedBy: r.started_by,
    configRedacted: r.config_redacted === 1,
  };
}

function now(): string {
  return new Date().toISOString();
}
