// Findings as a readable text table (precheck), a per-severity count, and App Mesh objects per kind.
import { APPMESH_KINDS, AppMeshKind } from "./read/schema";
import { Finding, SEVERITIES, Severity } from "./types";

export function summarize(findings: readonly Finding[]): Record<Severity, number> {
  const out: Record<Severity, number> = { blocker: 0, warning: 0, info: 0 };
  for (const f of findings) out[f.severity] += 1;
  return out;
}

/**
 * App Mesh objects per kind in parsed documents (kubectl Lists opened): `appmesh.k8s.aws/*` documents
 * of the seven kinds; everything else is not counted.
 */
export function countAppMeshObjects(docs: readonly unknown[]): Record<AppMeshKind, number> {
  const out = Object.fromEntries(APPMESH_KINDS.map((k) => [k, 0])) as Record<AppMeshKind, number>;
  const visit = (d: unknown, depth: number): void => {
    if (typeof d !== "object" || d === null || Array.isArray(d) || depth > 8) return;
    const o = d as Record<string, unknown>;
    if (Array.isArray(o.items)) for (const i of o.items) visit(i, depth + 1);
    if (
      typeof o.apiVersion === "string" &&
      o.apiVersion.startsWith("appmesh.k8s.aws/") &&
      (APPMESH_KINDS as readonly unknown[]).includes(o.kind)
    ) {
      out[o.kind as AppMeshKind] += 1;
    }
  };
  for (const d of docs) visit(d, 0);
  return out;
}

/** Objects per App Mesh kind and the converter's findings, for one export (or several). */
export interface ExportSummary {
  readonly objects: Readonly<Record<AppMeshKind, number>>;
  readonly blockers: number;
  readonly warnings: number;
  readonly infos: number;
}

/** An export's objects per kind (countAppMeshObjects) beside its findings per severity. */
export function exportSummary(
  objects: Readonly<Record<AppMeshKind, number>>,
  findings: readonly Finding[],
): ExportSummary {
  const s = summarize(findings);
  return { objects, blockers: s.blocker, warnings: s.warning, infos: s.info };
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
    while (line.length > width) {
      lines.push(line.slice(0, width));
      line = line.slice(width);
    }
  }
  if (line) lines.push(line);
  return lines.length ? lines : [""];
}

/**
 * A fixed-width table grouped by severity: SEVERITY, SOURCE (with file#document below it), FIELD, REASON
 * (wrapped to the remaining width).
 */
export function renderFindingsTable(findings: readonly Finding[], width = 140): string {
  if (findings.length === 0) return "No findings: everything converts exactly.\n";
  const rows = [...findings].sort(
    (a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity),
  );
  const counts = summarize(findings);
  const where = (r: Finding) =>
    r.file
      ? `${r.file.split(/[\\/]/).pop()}${r.document !== undefined ? `#${r.document}` : ""}`
      : "";
  const sevW = 8;
  const srcW = Math.min(
    44,
    Math.max(6, ...rows.map((r) => Math.max(r.source.length, where(r).length))),
  );
  const fieldW = Math.min(44, Math.max(5, ...rows.map((r) => r.field.length)));
  const reasonW = Math.max(40, width - sevW - srcW - fieldW - 6);
  const pad = (s: string, w: number) => s.padEnd(w);
  const out: string[] = [
    `${pad("SEVERITY", sevW)}  ${pad("SOURCE", srcW)}  ${pad("FIELD", fieldW)}  REASON`,
  ];
  for (const r of rows) {
    const src = [...wrap(r.source, srcW), ...(r.file ? [where(r)] : [])];
    const fld = wrap(r.field, fieldW);
    const why = wrap(r.reason, reasonW);
    const n = Math.max(src.length, fld.length, why.length);
    for (let i = 0; i < n; i++) {
      out.push(
        `${pad(i === 0 ? r.severity.toUpperCase() : "", sevW)}  ${pad(src[i] ?? "", srcW)}  ${pad(fld[i] ?? "", fieldW)}  ${why[i] ?? ""}`.trimEnd(),
      );
    }
  }
  out.push("", `${counts.blocker} blocker(s), ${counts.warning} warning(s), ${counts.info} info`);
  return `${out.join("\n")}\n`;
}
