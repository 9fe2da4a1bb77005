// The confirmation before an operation: what it does, the offline diff of the phase change, then Cancel or go.
import { useEffect, useRef, useState } from "preact/hooks";
import type { BoardDiff } from "../../automation/service/board-types";
import { api, ApiError } from "./api";

export interface PendingAction {
  readonly title: string;
  readonly description: string;
  /** The operation request to submit. */
  readonly body: Record<string, unknown>;
  /** The phase whose diff is shown; none for actions that change no phase. */
  readonly diffTo?: string;
  /** An `up` must not start before its diff was shown. */
  readonly needsDiff: boolean;
  readonly confirmLabel: string;
}

export function DiffView(props: { diff: BoardDiff; headingLevel?: 3 | 4 }) {
  const { diff } = props;
  const H = `h${props.headingLevel ?? 3}` as "h3";
  const c = diff.counts;
  return (
    <div class="diff">
      <H>
        {diff.from} → {diff.to}
      </H>
      <p data-field="diff-counts">
        {c.create} to create, {c.update} to update, {c.replace} to replace, {c.delete} to delete,{" "}
        {diff.unchanged} unchanged
      </p>
      {diff.protectedChanges.length > 0 && (
        <div class="warning" role="note">
          <p>This change replaces or deletes protected resources:</p>
          <ul>
            {diff.protectedChanges.map((p) => (
              <li key={p.urn}>
                {p.what}: {p.urn}
              </li>
            ))}
          </ul>
        </div>
      )}
      {diff.changes.length > 0 ? (
        <div class="table-scroll" tabIndex={0}>
          <table class="changes">
            <caption class="sr-only">
              Resource changes from {diff.from} to {diff.to}
            </caption>
            <thead>
              <tr>
                <th scope="col">Change</th>
                <th scope="col">Type</th>
                <th scope="col">Name</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {diff.changes.map((ch) => (
                <tr key={ch.urn} class={`change-${ch.kind}`}>
                  <td>{ch.kind}</td>
                  <td>{ch.type}</td>
                  <td>{ch.name}</td>
                  <td>
                    {ch.kind === "replace"
                      ? `replace: ${ch.replaceBecause.join(", ")} changed`
                      : ch.changedInputs.join(", ")}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p>No resource changes.</p>
      )}
    </div>
  );
}

/** A modal dialog (the native one: focus stays inside, Escape cancels) that shows the diff before confirming. */
export function ConfirmDialog(props: {
  stack: string;
  action: PendingAction;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const [diff, setDiff] = useState<BoardDiff | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { action } = props;

  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  useEffect(() => {
    if (!action.diffTo) return;
    let live = true;
    api.diff(props.stack, action.diffTo).then(
      (x) => live && setDiff(x),
      (e: unknown) => live && setError(e instanceof ApiError ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [props.stack, action.diffTo]);

  const ready = !action.needsDiff || diff !== null;
  return (
    <dialog
      ref={ref}
      class="confirm"
      aria-labelledby="confirm-title"
      aria-describedby="confirm-desc"
      onCancel={(e) => {
        e.preventDefault();
        props.onCancel();
      }}
    >
      <h2 id="confirm-title">{action.title}</h2>
      <p id="confirm-desc">{action.description}</p>
      {action.diffTo && (
        <section aria-label="Offline diff" aria-busy={!diff && !error}>
          {diff ? (
            <DiffView diff={diff} />
          ) : error ? (
            <p class="error-text" role="alert">
              The offline diff failed: {error}
            </p>
          ) : (
            <p role="status">Computing the offline diff…</p>
          )}
        </section>
      )}
      <div class="dialog-buttons">
        <button type="button" onClick={props.onCancel} autofocus>
          Cancel
        </button>
        <button type="button" class="primary" disabled={!ready} onClick={props.onConfirm}>
          {action.confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
