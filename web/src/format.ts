// How times, durations, statuses and engine events read on the board.

export function duration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms) || ms < 0) return "-";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.round(s % 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function when(iso: string | null): string {
  if (!iso) return "-";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "medium" });
}

export const NAMESPACE_STATUS: Readonly<Record<string, string>> = {
  "on-appmesh": "on App Mesh",
  "waiting-for-workloads": "moves to Istio in workloads",
  "on-istio": "on Istio",
};

/** A field of an event as text: strings as they are, anything else as JSON. */
export function str(v: unknown, fallback = ""): string {
  if (v === undefined || v === null) return fallback;
  return typeof v === "string" ? v : JSON.stringify(v);
}

function urnName(urn: unknown): string {
  return typeof urn === "string" ? (urn.split("::").pop() ?? urn) : "";
}

function clip(s: string, n = 300): string {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}

/** One line for an engine event (the Automation API's EngineEvent shape); unknown shapes as JSON. */
export function describeEvent(data: Record<string, unknown>): string {
  const get = (k: string) => data[k] as Record<string, unknown> | undefined;
  const meta = (e: Record<string, unknown> | undefined) =>
    (e?.metadata ?? {}) as Record<string, unknown>;
  let e;
  if ((e = get("preludeEvent"))) {
    const cfg = (e.config ?? {}) as Record<string, unknown>;
    return `started${cfg["meshlift:phase"] ? ` (phase ${str(cfg["meshlift:phase"])})` : ""}`;
  }
  if ((e = get("resourcePreEvent"))) {
    const m = meta(e);
    return `${str(m.op, "step")} ${str(m.type, "")} ${urnName(m.urn)}`;
  }
  if ((e = get("resOutputsEvent"))) {
    const m = meta(e);
    return `done: ${str(m.op, "step")} ${str(m.type, "")} ${urnName(m.urn)}`;
  }
  if ((e = get("resOpFailedEvent"))) return `failed: ${urnName(meta(e).urn)}`;
  if ((e = get("diagnosticEvent")))
    return `${str(e.severity, "info")}: ${clip(str(e.message, "").trim())}`;
  if ((e = get("stdoutEvent"))) return clip(str(e.message, "").trim());
  if ((e = get("summaryEvent"))) {
    const changes = Object.entries((e.resourceChanges ?? {}) as Record<string, number>)
      .map(([k, v]) => `${v} ${k}`)
      .join(", ");
    return `summary: ${changes || "no changes"}`;
  }
  if (get("cancelEvent")) return "cancelled";
  // A progressive cutover's step, decision or end: the service sends the line the CLI prints.
  if (get("cutoverEvent") && typeof data.line === "string") return clip(data.line, 2000);
  const rest = Object.fromEntries(
    Object.entries(data).filter(([k]) => k !== "sequence" && k !== "timestamp"),
  );
  return clip(JSON.stringify(rest));
}
