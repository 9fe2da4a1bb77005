// One list of findings with the two ways the converter names a place: a whole object, or a field inside one.
import type { Origin } from "./read/inventory";
import type { Finding, Severity } from "./types";
import { SEVERITIES } from "./types";

/** Anything findings can name: its "Kind ns/name" and where it was read. */
export interface Located {
  readonly source: string;
  readonly origin: Origin;
}

export class Findings {
  readonly findings: Finding[];

  constructor(initial: readonly Finding[] = []) {
    this.findings = [...initial];
  }

  /** A finding about a whole object. */
  on(e: Located, severity: Severity, field: string, reason: string): void {
    this.at(severity, e.source, e.origin, field, reason);
  }

  /** A finding about part of an object (a route inside a router, for instance). */
  at(severity: Severity, source: string, origin: Origin, field: string, reason: string): void {
    this.findings.push({
      severity,
      source,
      field,
      reason,
      file: origin.file,
      document: origin.document,
    });
  }
}

/**
 * Blockers first, then warnings, then info; within a severity, in the order they were found. A finding repeated
 * word for word (a backend listed twice, say) is kept once.
 */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings
    .filter((f) => {
      const k = `${f.severity}\u0000${f.source}\u0000${f.field}\u0000${f.reason}\u0000${f.file ?? ""}\u0000${f.document ?? ""}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .map((f, i) => ({ f, i }))
    .sort(
      (a, b) => SEVERITIES.indexOf(a.f.severity) - SEVERITIES.indexOf(b.f.severity) || a.i - b.i,
    )
    .map((x) => x.f);
}
