// File errors of the CLI's flags: one line with the flag, the path and the reason, exit 2.
import { FileError } from "../config/files";
import { CliError } from "./errors";

/** Runs `fn`; a FileError becomes a CliError that names `flag` (`--report x/y.json: no such ...`). */
export function forFlag<T>(flag: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof FileError) throw new CliError(`${flag} ${e.message}`);
    throw e;
  }
}
