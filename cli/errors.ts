// Exit codes and the one place that turns errors into a one-line message (never a stack trace for user errors).
import { ConfigError } from "../config/errors";
import { FileError, fsReason } from "../config/files";
import { StackFileError, StackNotFoundError } from "../config/stack-file";
import { TransitionError } from "../phases/deployed";
import { DeployGuardError } from "../phases/guards";
import { IstioModeError } from "../phases/istio-mode";
import { FleetError } from "../fleet/stack";
import { PlanFileError } from "../policy/plan-file";
import { CutoverBusyError } from "../cutover/journal";

import { CliError, EXIT } from "./exit";

export { CliError, EXIT };

/** Known errors whose message is already written for the user: invalid input, exit 2. */
const USER_ERRORS = [
  ConfigError,
  StackNotFoundError,
  StackFileError,
  FileError,
  TransitionError,
  IstioModeError,
  DeployGuardError,
  FleetError,
  PlanFileError,
  CutoverBusyError,
] as const;

export function exitCodeFor(e: unknown): { code: number; message: string } {
  if (e instanceof CliError) return { code: e.exitCode, message: e.message };
  if (USER_ERRORS.some((k) => e instanceof k)) {
    return { code: EXIT.invalid, message: (e as Error).message };
  }
  // A filesystem error on a path the user named (a flag, a stack file): their input, not a bug.
  const errno = e as NodeJS.ErrnoException;
  if (e instanceof Error && typeof errno.code === "string" && typeof errno.path === "string")
    return { code: EXIT.invalid, message: `${errno.path}: ${fsReason(e)}` };
  const detail = e instanceof Error ? (e.stack ?? e.message) : String(e);
  return { code: EXIT.internal, message: `internal error (please report it): ${detail}` };
}
