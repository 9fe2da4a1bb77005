// Exit codes and the user error type, with no imports, so that every command registration and main can use them cheaply.

export const EXIT = {
  ok: 0,
  internal: 1,
  /** Invalid input: bad config, bad file, bad flag. */
  invalid: 2,
  /** precheck found blockers, or a mandatory policy was violated. */
  blocked: 3,
  /** A prerequisite is missing on this machine (the Pulumi CLI): `meshlift doctor` says what to install. */
  prerequisite: 4,
} as const;

/** An error the user can act on, with the exit code to use. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.invalid,
  ) {
    super(message);
    this.name = "CliError";
  }
}
