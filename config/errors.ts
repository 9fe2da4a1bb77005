// Config errors: one error that lists every bad key, what was given and what is allowed.

/** One bad key in the stack config. */
export interface ConfigProblem {
  /** Full key as a user types it, e.g. `meshlift:cluster.nodeGroups.core.minSize`. */
  readonly key: string;
  /** What the stack file gave (JSON-ish rendering), or undefined when the key is missing. */
  readonly given?: unknown;
  /** What is allowed, in words. */
  readonly message: string;
}

/** Thrown before any resource is registered when the stack config is invalid. */
export class ConfigError extends Error {
  constructor(
    readonly stack: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(formatProblems(stack, problems));
    this.name = "ConfigError";
  }
}

export function formatProblems(stack: string, problems: readonly ConfigProblem[]): string {
  const lines = problems.map((p) => {
    const given = p.given === undefined ? "" : ` (given: ${render(p.given)})`;
    return `  - ${p.key}${given}: ${p.message}`;
  });
  const n = problems.length;
  return `invalid config for stack "${stack}" (${n} problem${n === 1 ? "" : "s"}); nothing was created:\n${lines.join("\n")}`;
}

function render(v: unknown): string {
  const s = JSON.stringify(v);
  if (s === undefined) return String(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/** Levenshtein distance, for "did you mean". */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

/** The closest candidate to `word`, if it is close enough to be a likely typo. */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  const limit = Math.max(2, Math.floor(word.length / 3));
  return bestD <= limit ? best : undefined;
}
