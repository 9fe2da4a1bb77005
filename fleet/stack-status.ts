// Pure rules for driving a pulumi.com/v1 Stack: the config patch of a phase change or weight step, and what its status says of that update.
/** Setting this annotation to a new value makes the operator run an update even when nothing else changed. */
export const RECONCILE_REQUEST = "pulumi.com/reconciliation-request";
/** Which meshlift operation patched the Stack last. */
export const OPERATION_ANNOTATION = "meshlift.io/operation";

/** An update that cannot be asked of the operator, or that it did not carry out; the message says why. */
export class OperatorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OperatorError";
  }
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A config value as the program reads it: JSON when it parses (numbers, objects), else the string. */
function parsed(v: string): unknown {
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return v;
  }
}

const FORBIDDEN = new Set(["__proto__", "prototype", "constructor"]);

/**
 * The `spec.config` part of a JSON merge patch that sets `changes` (`meshlift:phase`,
 * `meshlift:cutover.istioWeight` ...) on a Stack whose inline config is `current`. A dotted key
 * changes one field inside its top-level key, which must be inline already: the operator sets
 * whole keys, so patching a key the Stack does not carry would replace the stack file's value.
 */
export function configPatch(current: unknown, changes: Readonly<Record<string, string>>): Obj {
  const config = isObj(current) ? current : {};
  const patch: Obj = {};
  for (const [key, value] of Object.entries(changes)) {
    const ns = key.indexOf(":");
    const [top, ...path] = key.slice(ns + 1).split(".");
    const topKey = `${key.slice(0, ns + 1)}${top}`;
    if (ns <= 0 || [top, ...path].some((s) => s === "" || FORBIDDEN.has(s))) {
      throw new OperatorError(`config key "${key}" is not a config key the Stack can carry`);
    }
    if (path.length === 0) {
      // Scalars stay strings, as stack files hold them; objects and lists are structured config.
      const v = parsed(value);
      patch[topKey] = isObj(v) || Array.isArray(v) ? v : value;
      continue;
    }
    if (!isObj(config[topKey])) {
      throw new OperatorError(
        `cannot set ${key}: the Stack does not carry ${topKey} inline (it comes from the stack file); re-render the fleet with meshlift fleet render`,
      );
    }
    let node: Obj = isObj(patch[topKey]) ? patch[topKey] : {};
    patch[topKey] = node;
    for (const seg of path.slice(0, -1)) {
      const next: Obj = isObj(node[seg]) ? node[seg] : {};
      node[seg] = next;
      node = next;
    }
    node[path[path.length - 1]] = parsed(value);
  }
  return patch;
}

export interface Condition {
  readonly type: string;
  readonly status: string;
  readonly reason?: string;
  readonly message?: string;
}

/** What the operator reports of a Stack: conditions, last update, outputs. */
export interface StackStatusView {
  readonly generation: number;
  readonly observedGeneration?: number;
  readonly conditions: Condition[];
  readonly lastUpdate?: {
    readonly name?: string;
    readonly generation?: number;
    readonly reconcileRequest?: string;
    readonly state?: string;
    readonly message?: string;
    readonly failures?: number;
    readonly permalink?: string;
  };
  readonly outputs: Obj;
}

export function statusView(stack: unknown): StackStatusView {
  const o = isObj(stack) ? stack : {};
  const md = isObj(o.metadata) ? o.metadata : {};
  const st = isObj(o.status) ? o.status : {};
  const conditions = (Array.isArray(st.conditions) ? st.conditions : []).filter(isObj).map((c) => ({
    type: String(c.type),
    status: String(c.status),
    ...(typeof c.reason === "string" ? { reason: c.reason } : {}),
    ...(typeof c.message === "string" ? { message: c.message } : {}),
  }));
  return {
    generation: typeof md.generation === "number" ? md.generation : 0,
    ...(typeof st.observedGeneration === "number"
      ? { observedGeneration: st.observedGeneration }
      : {}),
    conditions,
    ...(isObj(st.lastUpdate) ? { lastUpdate: st.lastUpdate } : {}),
    outputs: isObj(st.outputs) ? st.outputs : {},
  };
}

/** One line of what the Stack says now, e.g. `Ready=False (NotReadyInProgress) Reconciling=True (StackProcessing: stack is being processed)`. */
export function statusLine(v: StackStatusView): string {
  const conds = v.conditions.map(
    (c) =>
      `${c.type}=${c.status}${c.reason ? ` (${c.reason}${c.message ? `: ${c.message}` : ""})` : ""}`,
  );
  const lu = v.lastUpdate;
  const last = lu?.state
    ? [`last update ${lu.name ?? "?"} ${lu.state}${lu.message ? `: ${lu.message}` : ""}`]
    : [];
  return [...conds, ...last].join("; ") || "no status yet (the operator has not seen the Stack)";
}

export type UpdateOutcome =
  | { readonly done: false }
  | {
      readonly done: true;
      readonly ok: true;
      readonly outputs: Obj;
      readonly update?: string;
      readonly permalink?: string;
    }
  | { readonly done: true; readonly ok: false; readonly message: string };

/**
 * Whether the update asked for (the Stack's `generation` after the patch, and the reconcile request
 * the patch set) has ended, and how. Only the operator's record of that very update counts: a Ready
 * condition left from an earlier update does not.
 */
export function updateOutcome(
  v: StackStatusView,
  want: { readonly generation: number; readonly request: string },
): UpdateOutcome {
  const lu = v.lastUpdate;
  if (lu && (lu.generation ?? 0) >= want.generation && lu.reconcileRequest === want.request) {
    if (lu.state === "succeeded") {
      return { done: true, ok: true, outputs: v.outputs, update: lu.name, permalink: lu.permalink };
    }
    if (lu.state === "failed") {
      const retry = lu.failures
        ? ` (failure ${lu.failures}; the operator retries with backoff)`
        : "";
      return {
        done: true,
        ok: false,
        message: `the operator's update ${lu.name ?? ""} failed: ${lu.message ?? "no message"}${retry}`,
      };
    }
  }
  const stalled = v.conditions.find((c) => c.type === "Stalled" && c.status === "True");
  if (stalled && (v.observedGeneration ?? 0) >= want.generation) {
    return {
      done: true,
      ok: false,
      message: `the operator stalled on the Stack (${stalled.reason ?? "Stalled"}: ${stalled.message ?? ""}); fix it and run again`,
    };
  }
  return { done: false };
}

/** Stack outputs as the Automation API gives them: the operator replaces secret values by "[secret]". */
export function operatorOutputs(outputs: Obj): Record<string, { value: unknown; secret: boolean }> {
  return Object.fromEntries(
    Object.entries(outputs).map(([k, v]) => [k, { value: v, secret: v === "[secret]" }]),
  );
}
