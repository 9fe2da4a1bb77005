// An operation's live event stream: Server-Sent Events over fetch (so the token goes in a header), reconnecting with Last-Event-ID.
import { EventSource } from "eventsource";
import { authHeaders } from "./api";

export interface StreamHandlers {
  onEvent(seq: number, data: Record<string, unknown>): void;
  onEnd(operation: Record<string, unknown>): void;
  onState(state: "connecting" | "live" | "reconnecting" | "failed", detail?: string): void;
}

/** The SSE event names that carry one recorded event each (the service's eventName). */
const EVENT_NAMES = ["engine", "decision", "cutover"] as const;

/**
 * Follows `/v1/operations/{id}/events` until its `end` event. EventSource semantics (the library
 * implements the WHATWG algorithm): a dropped connection reconnects and sends the last `id` seen as
 * Last-Event-ID, so the service replays only what was missed. Returns a function that stops it.
 */
export function followOperation(id: string, h: StreamHandlers): () => void {
  let ended = false;
  h.onState("connecting");
  const es = new EventSource(`/v1/operations/${encodeURIComponent(id)}/events`, {
    fetch: (input, init) =>
      fetch(input, {
        ...init,
        credentials: "omit",
        headers: { ...(init.headers as Record<string, string>), ...authHeaders() },
      }),
  });
  es.addEventListener("open", () => h.onState("live"));
  const onEvent = (m: MessageEvent<string>) => {
    const seq = Number(m.lastEventId);
    try {
      h.onEvent(seq, JSON.parse(m.data) as Record<string, unknown>);
    } catch {
      h.onEvent(seq, { unreadable: String(m.data).slice(0, 200) });
    }
  };
  // Engine events, and a progressive cutover's decisions and steps (named apart so clients can pick).
  for (const name of EVENT_NAMES) es.addEventListener(name, onEvent);
  es.addEventListener("end", (m) => {
    ended = true;
    es.close();
    try {
      h.onEnd(JSON.parse(m.data) as Record<string, unknown>);
    } catch {
      h.onEnd({});
    }
  });
  es.addEventListener("error", (e) => {
    if (ended) return;
    const detail = (e as { code?: number; message?: string }).code
      ? `HTTP ${(e as { code?: number }).code}`
      : (e as { message?: string }).message;
    // CLOSED: the library gave up (an HTTP error such as 401 or 404); otherwise it reconnects itself.
    h.onState(es.readyState === EventSource.CLOSED ? "failed" : "reconnecting", detail);
  });
  return () => {
    ended = true;
    es.close();
  };
}
