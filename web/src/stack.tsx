// A stack's page: its state, the actions an operate token may take (each confirmed, with the diff), the next phase's diff, the runbook, and operations with their live events.
import { useEffect, useRef, useState } from "preact/hooks";
import type {
  BoardDiff,
  BoardOperation,
  BoardRunbook,
  BoardStack,
  WhoAmI,
} from "../../automation/service/board-types";
import { PHASES } from "../../phases/phases";
import { api, ApiError } from "./api";
import { ConfirmDialog, DiffView, PendingAction } from "./dialog";
import { followOperation } from "./events";
import { describeEvent, str } from "./format";
import { usePoll } from "./hooks";
import { Markdown } from "./markdown";
import { OperationsTable, Status, StackSummary } from "./parts";

export const STACK_REFRESH_MS = 3000;
/** Events kept on screen; older ones are counted, not shown. */
const SHOWN_EVENTS = 1000;

type Stack = BoardStack & { discoveryError?: string };

let offeredKinds: Promise<string[]> | undefined;
/** The operation kinds the service documents (its OpenAPI request schema): cutover only when offered. */
function operationKinds(): Promise<string[]> {
  offeredKinds ??= fetch("/openapi.json", { credentials: "omit" })
    .then(
      (r) =>
        r.json() as Promise<{
          components?: {
            schemas?: { OperationRequest?: { properties?: { kind?: { enum?: unknown } } } };
          };
        }>,
    )
    .then((doc) => {
      const kinds = doc?.components?.schemas?.OperationRequest?.properties?.kind?.enum;
      return Array.isArray(kinds) ? kinds.map(String) : [];
    })
    .catch(() => []);
  return offeredKinds;
}

function useOnce<T>(load: () => Promise<T>, deps: readonly unknown[]) {
  const [state, setState] = useState<{ data?: T; error?: string }>({});
  useEffect(() => {
    let live = true;
    setState({});
    load().then(
      (data) => live && setState({ data }),
      (e: unknown) => live && setState({ error: e instanceof ApiError ? e.message : String(e) }),
    );
    return () => {
      live = false;
    };
  }, deps);
  return state;
}

export function StackPage(props: {
  stack: string;
  who: WhoAmI | null;
  onAuthError: (e: ApiError) => void;
}) {
  const { stack, who } = props;
  const view = usePoll<Stack>(() => api.stack(stack), STACK_REFRESH_MS, [stack], props.onAuthError);
  const ops = usePoll(() => api.operations(stack), STACK_REFRESH_MS, [stack]);
  const [older, setOlder] = useState<{ list: BoardOperation[]; next: string | null } | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [pending, setPending] = useState<PendingAction | null>(null);
  const [notice, setNotice] = useState<{ text: string; error: boolean } | null>(null);
  const [kinds, setKinds] = useState<string[]>([]);
  const s = view.data;

  useEffect(() => {
    void operationKinds().then(setKinds);
  }, []);
  useEffect(() => {
    setSelected(null);
    setOlder(null);
    setNotice(null);
  }, [stack]);
  // Follow what runs now, else the latest operation, until the user picks one.
  useEffect(() => {
    if (selected === null && ops.data?.operations[0]) setSelected(ops.data.operations[0].id);
  }, [ops.data, selected]);

  if (view.error && !s) {
    return (
      <>
        <p>
          <a href="/">← All stacks</a>
        </p>
        <h1 tabIndex={-1}>{stack}</h1>
        <p class="error-text" role="alert">
          {view.error.message}
        </p>
      </>
    );
  }
  if (!s) {
    return (
      <>
        <h1 tabIndex={-1}>{stack}</h1>
        <p role="status">Loading…</p>
      </>
    );
  }

  const canOperate = who !== null && who.scope !== "read";
  const allOps = [...(ops.data?.operations ?? []), ...(older?.list ?? [])];
  const nextPage = older ? older.next : (ops.data?.next ?? null);
  const running = allOps.find((o) => o.id === s.runningOperation);

  const submit = async (action: PendingAction) => {
    setPending(null);
    try {
      const r = await api.submit(stack, action.body);
      setNotice({
        text: `${String(action.body.kind)} accepted (${r.status}): operation ${r.id}`,
        error: false,
      });
      setSelected(r.id);
      ops.refresh();
      view.refresh();
    } catch (e) {
      setNotice({ text: `Refused: ${e instanceof ApiError ? e.message : String(e)}`, error: true });
    }
  };
  const cancel = async (id: string) => {
    try {
      await api.cancel(id);
      setNotice({ text: `Cancel requested for operation ${id}`, error: false });
      ops.refresh();
      view.refresh();
    } catch (e) {
      setNotice({
        text: `Cancel refused: ${e instanceof ApiError ? e.message : String(e)}`,
        error: true,
      });
    }
  };

  return (
    <>
      <p class="crumbs">
        <a href="/">← All stacks</a>
      </p>
      <h1 tabIndex={-1}>{stack}</h1>
      <section class="card" aria-label="State">
        <StackSummary s={s} />
      </section>
      {canOperate && s.phase && (
        <Actions
          s={s}
          kinds={kinds}
          running={running}
          onAction={setPending}
          onStopCutover={(id) =>
            setPending({
              title: `Stop the cutover of ${stack}?`,
              description:
                "The cutover stops after its current step; the DNS weight stays where it is.",
              body: { cancel: id },
              needsDiff: false,
              confirmLabel: "Stop cutover",
            })
          }
        />
      )}
      {notice && (
        <p class={notice.error ? "error-text" : "notice"} role={notice.error ? "alert" : "status"}>
          {notice.text}
        </p>
      )}
      {pending && (
        <ConfirmDialog
          stack={stack}
          action={pending}
          onCancel={() => setPending(null)}
          onConfirm={() => {
            const id = pending.body.cancel;
            if (typeof id === "string") {
              setPending(null);
              void cancel(id);
            } else void submit(pending);
          }}
        />
      )}
      <div class="columns">
        <section aria-labelledby="ops-h" class="card">
          <h2 id="ops-h">Operations</h2>
          <OperationsTable
            ops={allOps}
            caption={`${s.operationCount} operation${s.operationCount === 1 ? "" : "s"}, newest first`}
            selected={selected}
            onSelect={setSelected}
            onCancel={canOperate ? (id) => void cancel(id) : undefined}
          />
          {nextPage && (
            <button
              type="button"
              onClick={() =>
                void api
                  .operations(stack, nextPage)
                  .then((p) =>
                    setOlder({ list: [...(older?.list ?? []), ...p.operations], next: p.next }),
                  )
              }
            >
              Older operations
            </button>
          )}
          {selected && (
            <EventStream
              key={selected}
              id={selected}
              onEnd={() => {
                ops.refresh();
                view.refresh();
              }}
            />
          )}
        </section>
        <NextPhaseDiff stack={stack} phase={s.phase} configOk={!s.configError} />
      </div>
      <Runbook stack={stack} phase={s.configuredPhase} />
    </>
  );
}

function Actions(props: {
  s: Stack;
  kinds: string[];
  running: BoardOperation | undefined;
  onAction: (a: PendingAction) => void;
  onStopCutover: (id: string) => void;
}) {
  const { s } = props;
  const phases = PHASES as readonly string[];
  const at = phases.indexOf(s.phase ?? "");
  const next = phases[at + 1];
  const earlier = phases.slice(0, at);
  const [planTo, setPlanTo] = useState(next ?? s.phase ?? phases[0]);
  const [backTo, setBackTo] = useState(earlier[earlier.length - 1] ?? "");
  useEffect(() => {
    setPlanTo(next ?? s.phase ?? phases[0]);
    setBackTo(earlier[earlier.length - 1] ?? "");
  }, [s.phase]);
  const cutover = props.kinds.includes("cutover");
  const runningCutover = props.running?.kind === "cutover" ? props.running : undefined;

  return (
    <section aria-labelledby="actions-h" class="card actions">
      <h2 id="actions-h">Actions</h2>
      <form
        class="action"
        onSubmit={(e) => {
          e.preventDefault();
          props.onAction({
            title: `Plan ${s.stack} at phase ${planTo}?`,
            description:
              "An offline plan: it runs the program under mocks and changes nothing in AWS or the cluster.",
            body: { kind: "plan", phase: planTo },
            diffTo: planTo !== s.phase ? planTo : undefined,
            needsDiff: false,
            confirmLabel: `Start plan of ${planTo}`,
          });
        }}
      >
        <label for="plan-phase">Plan phase</label>
        <select id="plan-phase" value={planTo} onChange={(e) => setPlanTo(e.currentTarget.value)}>
          {phases.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
        <button type="submit">Plan</button>
      </form>
      <div class="action">
        <button
          type="button"
          disabled={!next}
          onClick={() =>
            next &&
            props.onAction({
              title: `Advance ${s.stack} to ${next}?`,
              description: `Runs \`pulumi up\` with meshlift:phase=${next}. Read what changes below before you confirm.`,
              body: { kind: "up", phase: next },
              diffTo: next,
              needsDiff: true,
              confirmLabel: `Run up: advance to ${next}`,
            })
          }
        >
          {next ? `Advance to ${next}` : "Last phase reached"}
        </button>
      </div>
      {earlier.length > 0 && (
        <form
          class="action"
          onSubmit={(e) => {
            e.preventDefault();
            props.onAction({
              title: `Roll ${s.stack} back to ${backTo}?`,
              description: `Runs \`pulumi up\` with meshlift:phase=${backTo}: that phase's DNS weights, labels and resources come back.`,
              body: { kind: "up", phase: backTo },
              diffTo: backTo,
              needsDiff: true,
              confirmLabel: `Run up: roll back to ${backTo}`,
            });
          }}
        >
          <label for="back-phase">Roll back to</label>
          <select id="back-phase" value={backTo} onChange={(e) => setBackTo(e.currentTarget.value)}>
            {earlier.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
          <button type="submit">Roll back</button>
        </form>
      )}
      {cutover && (
        <div class="action">
          {runningCutover ? (
            <button
              type="button"
              class="danger"
              onClick={() => props.onStopCutover(runningCutover.id)}
            >
              Stop cutover
            </button>
          ) : (
            <button
              type="button"
              onClick={() =>
                props.onAction({
                  title: `Start the progressive cutover of ${s.stack}?`,
                  description:
                    "Shifts DNS weight to Istio step by step (meshlift:cutover.progressive), judged by live metrics; a failing gate rolls the weight back.",
                  body: { kind: "cutover" },
                  needsDiff: false,
                  confirmLabel: "Start cutover",
                })
              }
            >
              Start cutover
            </button>
          )}
        </div>
      )}
    </section>
  );
}

function NextPhaseDiff(props: { stack: string; phase: string | null; configOk: boolean }) {
  const phases = PHASES as readonly string[];
  const next = props.phase ? phases[phases.indexOf(props.phase) + 1] : undefined;
  const d = useOnce<BoardDiff | null>(
    () => (next && props.configOk ? api.diff(props.stack, next) : Promise.resolve(null)),
    [props.stack, next, props.configOk],
  );
  return (
    <section aria-labelledby="diff-h" class="card" aria-busy={!d.data && !d.error}>
      <h2 id="diff-h">{next ? `What ${next} changes (offline diff)` : "Next phase"}</h2>
      {!next ? (
        <p>This is the last phase.</p>
      ) : d.error ? (
        <p class="error-text">{d.error}</p>
      ) : d.data ? (
        <DiffView diff={d.data} />
      ) : d.data === null ? (
        <p>No diff: the stack file does not parse.</p>
      ) : (
        <p role="status">Computing the offline diff…</p>
      )}
    </section>
  );
}

function Runbook(props: { stack: string; phase: string | null }) {
  const r = useOnce<BoardRunbook>(() => api.runbook(props.stack), [props.stack, props.phase]);
  return (
    <section aria-labelledby="runbook-h" class="card runbook">
      <h2 id="runbook-h">Runbook</h2>
      {r.error ? (
        <p class="error-text">{r.error}</p>
      ) : r.data ? (
        <Markdown source={r.data.markdown} level={2} />
      ) : (
        <p role="status">Rendering the runbook…</p>
      )}
    </section>
  );
}

function EventStream(props: { id: string; onEnd: () => void }) {
  const [events, setEvents] = useState<{ seq: number; text: string }[]>([]);
  const [state, setState] = useState<string>("connecting");
  const [final, setFinal] = useState<Record<string, unknown> | null>(null);
  const buffer = useRef<{ seq: number; text: string }[]>([]);
  const onEnd = useRef(props.onEnd);
  onEnd.current = props.onEnd;

  useEffect(() => {
    let frame = 0;
    const flush = () => {
      frame = 0;
      const add = buffer.current;
      buffer.current = [];
      setEvents((prev) => [...prev, ...add]);
    };
    const stop = followOperation(props.id, {
      onEvent: (seq, data) => {
        buffer.current.push({ seq, text: describeEvent(data) });
        frame ||= requestAnimationFrame(flush);
      },
      onEnd: (op) => {
        if (frame) cancelAnimationFrame(frame);
        flush();
        setFinal(op);
        setState("ended");
        onEnd.current();
      },
      onState: (st, detail) => setState(detail ? `${st} (${detail})` : st),
    });
    return () => {
      if (frame) cancelAnimationFrame(frame);
      stop();
    };
  }, [props.id]);

  const hidden = Math.max(0, events.length - SHOWN_EVENTS);
  return (
    <section class="events" aria-labelledby="events-h" data-operation={props.id}>
      <h3 id="events-h">Events of operation {props.id}</h3>
      <p>
        Stream: <span data-field="stream">{state}</span>
        {final && (
          <>
            {" "}
            · Result: <Status status={str(final.status)} />
          </>
        )}
      </p>
      {final?.error ? <p class="error-text">{str(final.error)}</p> : null}
      {final?.guidance ? <p class="notice">{str(final.guidance)}</p> : null}
      <p class="muted" aria-live="polite">
        {events.length} event{events.length === 1 ? "" : "s"}
        {hidden ? ` (the first ${hidden} not shown)` : ""}
      </p>
      <ol class="event-list" aria-label="Events" tabIndex={0}>
        {events.slice(hidden).map((e) => (
          <li key={e.seq} value={e.seq} data-seq={e.seq}>
            {e.text}
          </li>
        ))}
      </ol>
    </section>
  );
}
