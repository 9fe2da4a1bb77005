// The board: every stack at a glance, refreshed every few seconds.
import type { Board } from "../../automation/service/board-types";
import { api, ApiError } from "./api";
import { usePoll } from "./hooks";
import { OperationsTable, stackHref, StackSummary } from "./parts";

export const BOARD_REFRESH_MS = 5000;

export function BoardPage(props: { onAuthError: (e: ApiError) => void }) {
  const { data, error } = usePoll<Board>(api.board, BOARD_REFRESH_MS, [], props.onAuthError);
  return (
    <>
      <h1 tabIndex={-1}>Migration board</h1>
      <p class="muted" role="status">
        {data
          ? `${data.stacks.length} stack${data.stacks.length === 1 ? "" : "s"} · updated ${new Date(data.generatedAt).toLocaleTimeString()}`
          : error
            ? ""
            : "Loading…"}
      </p>
      {error && (
        <p class="error-text" role="alert">
          The board could not be loaded: {error.message}
        </p>
      )}
      {data && (
        <ul class="cards" aria-label="Stacks">
          {data.stacks.map((s, i) => (
            <li key={s.stack}>
              <article class="card" aria-labelledby={`stack-${i}`} data-stack={s.stack}>
                <h2 id={`stack-${i}`}>
                  <a href={stackHref(s.stack)}>{s.stack}</a>
                  {s.runningOperation && <span class="badge live">running</span>}
                  {s.queuedOperations.length > 0 && (
                    <span class="badge">{s.queuedOperations.length} queued</span>
                  )}
                </h2>
                <StackSummary s={s} />
                <OperationsTable
                  ops={s.operations}
                  caption={`Last operations (${s.operationCount} in all)`}
                />
              </article>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
