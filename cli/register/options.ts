// Option parsers shared by the command registrations: commander only, so that `--help` stays cheap.

/** A repeatable flag (`-f a -f b`) collected into a list. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
