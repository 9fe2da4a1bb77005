// The durable cutover journal: one JSON line per event in <data dir>/cutover/<stack>.jsonl (dir 0700, file 0600), and a per-stack run lock.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { CutoverEvent } from "./loop";

type Env = Readonly<Record<string, string | undefined>>;

/** `$MESHLIFT_HOME/cutover`, else `~/.meshlift/cutover`: beside the service's database. */
export function defaultJournalDir(env: Env = process.env, home = os.homedir()): string {
  return path.join(
    env.MESHLIFT_HOME ? path.resolve(env.MESHLIFT_HOME) : path.join(home, ".meshlift"),
    "cutover",
  );
}

/** Pulumi stack names: letters, digits, `-`, `_`, `.`; anything else never becomes a file name. */
const STACK_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export type JournalEntry = CutoverEvent & { readonly runId: string };

export class Journal {
  readonly file: string;
  private readonly lockFile: string;

  constructor(
    readonly dir: string,
    readonly stack: string,
  ) {
    if (!STACK_NAME.test(stack) || stack.includes("..")) {
      throw new Error(
        `stack ${JSON.stringify(stack)}: not a stack name (letters, digits, '.', '_', '-')`,
      );
    }
    this.file = path.join(dir, `${stack}.jsonl`);
    this.lockFile = path.join(dir, `${stack}.lock`);
  }

  private ensureDir(): void {
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    // An existing directory keeps its mode through mkdir: tighten it, it holds run history.
    fs.chmodSync(this.dir, 0o700);
  }

  append(entry: JournalEntry): void {
    this.ensureDir();
    const fd = fs.openSync(this.file, "a", 0o600);
    try {
      fs.fchmodSync(fd, 0o600);
      fs.writeSync(fd, `${JSON.stringify(entry, jsonSafe)}\n`);
      // A decision acknowledged on screen survives a crash of this process.
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  }

  /** Every entry, oldest first; lines that do not parse (a torn last write) are skipped. */
  read(): JournalEntry[] {
    let text: string;
    try {
      text = fs.readFileSync(this.file, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw e;
    }
    const out: JournalEntry[] = [];
    for (const line of text.split("\n")) {
      if (!line.trim()) continue;
      try {
        const v = JSON.parse(line) as JournalEntry;
        if (typeof v === "object" && v !== null && typeof v.type === "string") out.push(v);
      } catch {
        // torn line: skipped
      }
    }
    return out;
  }

  /**
   * Takes the stack's run lock, so that a CLI run and a service run never step one stack at once.
   * A lock left by a process that is gone is taken over. Returns the release function.
   */
  lock(runId: string): () => void {
    this.ensureDir();
    const holder = this.lockHolder();
    if (holder && alive(holder.pid)) {
      throw new CutoverBusyError(
        `a progressive cutover of stack "${this.stack}" is already running (run ${holder.runId}, pid ${holder.pid}, since ${holder.at}); wait for it, or stop it with Ctrl-C / a cancel`,
      );
    }
    if (holder) fs.rmSync(this.lockFile, { force: true });
    try {
      fs.writeFileSync(
        this.lockFile,
        JSON.stringify({ runId, pid: process.pid, at: new Date().toISOString() }),
        { flag: "wx", mode: 0o600 },
      );
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "EEXIST") {
        throw new CutoverBusyError(
          `a progressive cutover of stack "${this.stack}" started just now; try again`,
        );
      }
      throw e;
    }
    return () => {
      if (this.lockHolder()?.runId === runId) fs.rmSync(this.lockFile, { force: true });
    };
  }

  /** The run holding the lock, if a live process holds it. */
  runningRun(): { runId: string; pid: number; at: string } | undefined {
    const h = this.lockHolder();
    return h && alive(h.pid) ? h : undefined;
  }

  private lockHolder(): { runId: string; pid: number; at: string } | undefined {
    try {
      const v = JSON.parse(fs.readFileSync(this.lockFile, "utf8")) as {
        runId?: unknown;
        pid?: unknown;
        at?: unknown;
      };
      if (typeof v.pid === "number" && typeof v.runId === "string")
        return { runId: v.runId, pid: v.pid, at: String(v.at) };
      return { runId: "unknown", pid: -1, at: "unknown" };
    } catch {
      return undefined;
    }
  }
}

export class CutoverBusyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CutoverBusyError";
  }
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** JSON has no Infinity: a p99 beyond the last histogram bucket is written as "+Inf". */
export function jsonSafe(_key: string, v: unknown): unknown {
  if (typeof v === "number" && !Number.isFinite(v))
    return Number.isNaN(v) ? "NaN" : v > 0 ? "+Inf" : "-Inf";
  return v;
}
