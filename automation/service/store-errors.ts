// The service database's errors: a write it cannot take (the service answers 507 or 503) and a file it cannot open.
import { fsReason } from "../../config/files";

/**
 * The database cannot take a write: `full` (SQLITE_FULL: disk or size limit), or `unavailable`
 * (read-only, I/O error, locked). Reads keep working; the service answers 507 or 503.
 */
export class StoreWriteError extends Error {
  constructor(
    readonly kind: "full" | "unavailable",
    readonly code: string,
    what: string,
  ) {
    super(
      kind === "full"
        ? `the service's database is full (${code}) and cannot record ${what}: free disk space or raise --db-max-bytes; reads still work`
        : `the service's database cannot be written (${code}) to record ${what}; reads still work`,
    );
    this.name = "StoreWriteError";
  }
}

/** A StoreWriteError for SQLite's write failures; anything else as it is. */
export function writeError(e: unknown, what: string): unknown {
  const code = (e as { code?: unknown } | undefined)?.code;
  if (typeof code !== "string" || !code.startsWith("SQLITE_")) return e;
  return new StoreWriteError(code.startsWith("SQLITE_FULL") ? "full" : "unavailable", code, what);
}

/** The database file cannot be opened as the service's store: in use, read-only, not SQLite, unreadable. */
export class StoreOpenError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`cannot use ${file} as the service's database: ${reason}`);
    this.name = "StoreOpenError";
  }
}

/** Why SQLite would not open the file, in words that say what to do. */
export function sqliteReason(e: unknown): string {
  const code = (e as { code?: unknown } | undefined)?.code;
  switch (code) {
    case "SQLITE_BUSY":
    case "SQLITE_LOCKED":
      return "it is in use by another process (another `meshlift serve`?): stop it, or use --db/--data-dir for a separate database";
    case "SQLITE_READONLY":
    case "SQLITE_READONLY_DIRECTORY":
    case "SQLITE_READONLY_RECOVERY":
    case "SQLITE_READONLY_CANTINIT":
      return `it is read-only (${code}): make it and its directory writable by this user, or use --db elsewhere`;
    case "SQLITE_CANTOPEN":
      return "it cannot be opened (SQLITE_CANTOPEN): check the path and that its directory is writable";
    case "SQLITE_NOTADB":
    case "SQLITE_CORRUPT":
      return `it is not a meshlift database (${code}): move it away or use --db elsewhere`;
    case "SQLITE_FULL":
      return "the disk is full (SQLITE_FULL)";
    default:
      return typeof code === "string" ? `${code}: ${(e as Error).message}` : fsReason(e);
  }
}
