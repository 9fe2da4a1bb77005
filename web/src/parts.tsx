// The pieces a stack is shown with, on the board and on its page: phase track, Istio, DNS bars, namespaces, operations, discovery.
import type { BoardOperation, BoardStack } from "../../automation/service/board-types";
import { PHASES } from "../../phases/phases";
import { duration, NAMESPACE_STATUS, when } from "./format";

export function stackHref(stack: string): string {
  return `/stacks/${encodeURIComponent(stack)}`;
}

/** The five phases in order; the current one marked for sight and for screen readers. */
export function PhaseTrack(props: { s: BoardStack }) {
  const { s } = props;
  const at = s.phase ? (PHASES as readonly string[]).indexOf(s.phase) : -1;
  return (
    <div class="phase">
      <ol class="track" aria-label={`Phases of ${s.stack}`}>
        {PHASES.map((p, i) => {
          const cls = i < at ? "done" : i === at ? "current" : "todo";
          return (
            <li key={p} class={cls} aria-current={i === at ? "step" : undefined}>
              <span class="dot" aria-hidden="true" />
              <span class="name">{p}</span>
              {i < at && <span class="sr-only"> (passed)</span>}
              {i === at && <span class="sr-only"> (current)</span>}
            </li>
          );
        })}
      </ol>
      <p class="phase-detail">
        Deployed: <strong data-field="deployed">{s.deployedPhase ?? "nothing yet"}</strong> ·
        Configured: <strong data-field="configured">{s.configuredPhase ?? "invalid config"}</strong>
      </p>
    </div>
  );
}

export function IstioLine(props: { s: BoardStack }) {
  const i = props.s.istio;
  if (!i) return null;
  return (
    <p class="istio">
      Istio <strong>{i.version}</strong>, {i.mode} mode
      {i.source === "configured"
        ? i.installed
          ? " (configured)"
          : " (not installed in this phase)"
        : " (deployed)"}
    </p>
  );
}

/** A bar per hostname: App Mesh weight on the left, Istio weight on the right, with the numbers as text. */
export function DnsBars(props: { s: BoardStack }) {
  const { dns } = props.s;
  if (dns.length === 0) return null;
  return (
    <div class="dns">
      <h3>DNS weights</h3>
      <ul>
        {dns.map((r) => {
          const appmesh = r.appmesh ?? 0;
          const istio = r.istio ?? 0;
          const total = appmesh + istio || 1;
          const label = `${r.hostname}: App Mesh ${r.appmesh ?? "no record"}, Istio ${r.istio ?? "no record"}`;
          return (
            <li key={r.hostname}>
              <span class="host">{r.hostname}</span>
              <span class="bar" role="img" aria-label={label}>
                <span class="appmesh" style={{ width: `${(100 * appmesh) / total}%` }} />
                <span class="istio" style={{ width: `${(100 * istio) / total}%` }} />
              </span>
              <span class="weights" aria-hidden="true">
                <span class="key appmesh" />
                App Mesh {r.appmesh ?? "no record"} · <span class="key istio" />
                Istio {r.istio ?? "no record"}
              </span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

export function Namespaces(props: { s: BoardStack }) {
  const { namespaces } = props.s;
  if (namespaces.length === 0) return null;
  return (
    <div class="namespaces">
      <h3>Namespaces</h3>
      <ul>
        {namespaces.map((n) => (
          <li key={n.name} class={`ns ${n.status}`}>
            <span class="ns-name">{n.name}</span>{" "}
            <span class="ns-status">{NAMESPACE_STATUS[n.status] ?? n.status}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function Discovery(props: { s: BoardStack & { discoveryError?: string } }) {
  const { discovery: d, discoveryError } = props.s;
  if (discoveryError) return <p class="warning">Discovery data: {discoveryError}</p>;
  if (!d) return null;
  return (
    <div class="discovery">
      <h3>Discovery</h3>
      <p>
        At risk: <strong data-field="at-risk">{d.atRisk.length}</strong> namespace
        {d.atRisk.length === 1 ? "" : "s"} with <strong>{d.atRiskPods}</strong> App Mesh Envoy pod
        {d.atRiskPods === 1 ? "" : "s"} · Precheck:{" "}
        <strong data-field="blockers">{d.precheck.blocker}</strong> blocker
        {d.precheck.blocker === 1 ? "" : "s"}, {d.precheck.warning} warning
        {d.precheck.warning === 1 ? "" : "s"}, {d.precheck.info} info
      </p>
      {d.atRisk.length > 0 && (
        <ul class="at-risk">
          {d.atRisk.slice(0, 10).map((a, i) => (
            <li key={i}>
              {a.namespace}: {a.pods} pod{a.pods === 1 ? "" : "s"}
              {a.restartSoon && <strong class="soon"> (restarts soon)</strong>}
            </li>
          ))}
          {d.atRisk.length > 10 && <li>and {d.atRisk.length - 10} more</li>}
        </ul>
      )}
      {d.generatedAt && <p class="muted">Inventory of {when(d.generatedAt)}</p>}
    </div>
  );
}

export function Status(props: { status: string }) {
  return <span class={`status status-${props.status}`}>{props.status}</span>;
}

export function OperationsTable(props: {
  ops: readonly BoardOperation[];
  caption: string;
  onSelect?: (id: string) => void;
  selected?: string | null;
  onCancel?: (id: string) => void;
}) {
  if (props.ops.length === 0) return <p class="muted">No operations yet.</p>;
  return (
    <div class="table-scroll">
      <table class="ops">
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">Operation</th>
            <th scope="col">Status</th>
            <th scope="col">Duration</th>
            <th scope="col">Started by</th>
            <th scope="col">Submitted</th>
            {(props.onSelect || props.onCancel) && (
              <th scope="col">
                <span class="sr-only">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {props.ops.map((o) => (
            <tr key={o.id} class={o.id === props.selected ? "selected" : undefined} data-op={o.id}>
              <td>
                {o.kind}
                {o.phase ? ` → ${o.phase}` : ""}
                {o.error && <div class="error-text">{o.error}</div>}
              </td>
              <td>
                <Status status={o.status} />
              </td>
              <td>{duration(o.durationMs)}</td>
              <td>{o.startedBy ?? "-"}</td>
              <td>{when(o.createdAt)}</td>
              {(props.onSelect || props.onCancel) && (
                <td class="row-actions">
                  {props.onSelect && (
                    <button
                      type="button"
                      class="link"
                      onClick={() => props.onSelect?.(o.id)}
                      aria-pressed={o.id === props.selected}
                    >
                      Events
                      <span class="sr-only">
                        {" "}
                        of {o.kind} {o.id}
                      </span>
                    </button>
                  )}
                  {props.onCancel && (o.status === "running" || o.status === "queued") && (
                    <button
                      type="button"
                      class="link danger"
                      onClick={() => props.onCancel?.(o.id)}
                    >
                      Cancel
                      <span class="sr-only">
                        {" "}
                        {o.kind} {o.id}
                      </span>
                    </button>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Everything the board card and the stack page share. */
export function StackSummary(props: { s: BoardStack & { discoveryError?: string } }) {
  const { s } = props;
  return (
    <>
      <PhaseTrack s={s} />
      {s.configError && (
        <div class="error" role="note">
          <p>The stack file does not parse:</p>
          <pre>{s.configError}</pre>
        </div>
      )}
      <IstioLine s={s} />
      <DnsBars s={s} />
      <Namespaces s={s} />
      <Discovery s={s} />
    </>
  );
}
