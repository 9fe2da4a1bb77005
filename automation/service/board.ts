// What the migration board reads: each stack's phase, Istio, DNS weights, namespaces, operations and discovery counts; the next phase's diff and the runbook.
import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { ConfigError } from "../../config/errors";
import { MeshliftConfig } from "../../config/load";
import { stackFilePath } from "../../config/stack-file";
import { ISTIO_VERSION } from "../../config/versions";
import { TransitionError } from "../../phases/deployed";
import { DeployGuardError } from "../../phases/guards";
import { IstioModeError } from "../../phases/istio-mode";
import { nextPhase, Phase, PHASES } from "../../phases/phases";
import type { PlanDocument, PlanOptions } from "../../plan/offline";
import { countChanges, diffPlans, protectedChanges, renderDiff } from "../../plan/diff";
import { renderRunbook } from "../../plan/runbook";
import { PhasePlan, planPhase } from "../../phases/plan";
import { OPERATION_KINDS } from "../runners/runner";
import type {
  Board,
  BoardDiff,
  BoardDiscovery,
  BoardNamespace,
  BoardOperation,
  BoardRunbook,
  BoardStack,
} from "./board-types";
import { ServiceError } from "./errors";
import { Operations } from "./operations";
import { OperationRecord } from "./records";
import { Store } from "./store";

/** Operations per stack on the board; the stack page pages through the rest. */
export const BOARD_OPERATIONS = 5;
/** An inventory.json larger than this is not read (the board shows counts, not the inventory). */
export const MAX_INVENTORY_BYTES = 8 * 1024 * 1024;

export function boardOperation(op: OperationRecord): BoardOperation {
  const started = op.startedAt ? Date.parse(op.startedAt) : NaN;
  const finished = op.finishedAt ? Date.parse(op.finishedAt) : NaN;
  return {
    id: op.id,
    kind: op.kind,
    phase: op.phase,
    fromPhase: op.fromPhase,
    status: op.status,
    createdAt: op.createdAt,
    startedAt: op.startedAt,
    finishedAt: op.finishedAt,
    durationMs: Number.isFinite(started) && Number.isFinite(finished) ? finished - started : null,
    startedBy: op.startedBy,
    error: op.error,
    events: op.events,
  };
}

/** What `phase` means for the stack's config (planPhase), the one place that decides it. */
function planAt(config: MeshliftConfig, phase: Phase): PhasePlan {
  return planPhase({ ...config, phase }, { known: false, reason: "the board reads the plan only" });
}

/** What the current phase does with each listed namespace. */
export function namespaceStatuses(config: MeshliftConfig, phase: Phase): BoardNamespace[] {
  return planAt(config, phase).namespaces.map((ns) => ({
    name: ns.name,
    state: ns.state,
    status: ns.onIstio ? "on-istio" : ns.state === "istio" ? "waiting-for-workloads" : "on-appmesh",
  }));
}

/** The weights each cutover hostname's records carry in `phase`; null where the record does not exist. */
export function dnsWeights(config: MeshliftConfig, phase: Phase): BoardStack["dns"] {
  return planAt(config, phase).dns.records.map((r) => ({
    hostname: r.record.name,
    appmesh: r.appmesh?.weight ?? null,
    istio: r.istio?.weight ?? null,
  }));
}

const count = z.number().int().nonnegative();
const severities = z.object({
  blocker: count.optional(),
  warning: count.optional(),
  info: count.optional(),
});
/**
 * The parts of `meshlift discover`'s inventory.json the board reads; everything else is ignored.
 * At-risk namespaces come from `atRisk[]` (`namespace`, `pods` as a count or a list, `restartSoon`);
 * precheck counts from a top-level `precheck` (`{blocker, warning, info}` counts, or a list of
 * findings with a `severity`), else summed over `namespaces[].precheck` (discover's own layout).
 */
const inventorySchema = z.object({
  generatedAt: z.string().max(64).optional(),
  atRisk: z
    .array(
      z.object({
        namespace: z.string().max(253),
        pods: z.union([count, z.array(z.unknown())]).optional(),
        restartSoon: z.boolean().optional(),
      }),
    )
    .max(100_000)
    .optional(),
  precheck: z
    .union([severities, z.array(z.object({ severity: z.string() })).max(1_000_000)])
    .optional(),
  namespaces: z
    .array(z.object({ precheck: severities.optional() }))
    .max(100_000)
    .optional(),
});

/**
 * Reads `<discoveryDir>/<stack>/inventory.json` when it is there. Absent: null, and the board shows
 * nothing. Present but unreadable or not the expected shape: an error the board shows instead of counts.
 */
export function readDiscovery(
  discoveryDir: string | undefined,
  stack: string,
): BoardDiscovery | { readonly error: string } | null {
  if (!discoveryDir) return null;
  const rel = path.join(stack, "inventory.json");
  const file = path.join(discoveryDir, rel);
  // A stack name is a file name in stacks/ and cannot hold a separator; refuse anything that escapes.
  if (path.dirname(path.dirname(file)) !== path.resolve(discoveryDir)) return null;
  let text: string;
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) return { error: `${rel} is not a file` };
    if (st.size > MAX_INVENTORY_BYTES)
      return {
        error: `${rel} is ${st.size} bytes; the board reads at most ${MAX_INVENTORY_BYTES}`,
      };
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    if ((e as { code?: string }).code === "ENOENT") return null;
    return { error: `${rel} cannot be read (${(e as { code?: string }).code ?? "error"})` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { error: `${rel} is not JSON` };
  }
  const parsed = inventorySchema.safeParse(json);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    return { error: `${rel}: ${i.path.join(".") || "(document)"} ${i.message}` };
  }
  const inv = parsed.data;
  const atRisk = (inv.atRisk ?? []).map((a) => ({
    namespace: a.namespace,
    pods: Array.isArray(a.pods) ? a.pods.length : (a.pods ?? 0),
    restartSoon: a.restartSoon === true,
  }));
  const precheck = { blocker: 0, warning: 0, info: 0 };
  const add = (c: z.infer<typeof severities>) => {
    precheck.blocker += c.blocker ?? 0;
    precheck.warning += c.warning ?? 0;
    precheck.info += c.info ?? 0;
  };
  if (Array.isArray(inv.precheck)) {
    for (const f of inv.precheck)
      if (f.severity === "blocker" || f.severity === "warning" || f.severity === "info")
        precheck[f.severity] += 1;
  } else if (inv.precheck) {
    add(inv.precheck);
  } else {
    for (const ns of inv.namespaces ?? []) if (ns.precheck) add(ns.precheck);
  }
  return {
    file: rel,
    generatedAt: inv.generatedAt ?? null,
    atRisk,
    atRiskPods: atRisk.reduce((n, a) => n + a.pods, 0),
    precheck,
  };
}

export interface BoardReadOptions {
  readonly operations: Operations;
  readonly store: Store;
  /** Where `meshlift discover` output lives, one directory per stack. */
  readonly discoveryDir?: string;
}

export function boardStack(
  o: BoardReadOptions,
  stack: string,
): BoardStack & { discoveryError?: string } {
  const phase = o.operations.stackFiles.phaseOf(stack);
  const config = o.operations.stackFiles.config(stack);
  const view = o.operations.stackView(stack);
  const outputs = o.store.stackState(stack)?.outputs ?? {};
  const current = phase.current;
  const ok = !(config instanceof ConfigError);
  const deployedMode = typeof outputs.istioMode === "string" ? outputs.istioMode : undefined;
  const deployedVersion =
    typeof outputs.istioVersion === "string" ? outputs.istioVersion : undefined;
  const discovery = readDiscovery(o.discoveryDir, stack);
  return {
    stack,
    phase: current,
    configuredPhase: phase.configured,
    deployedPhase: phase.deployed,
    configError: phase.configError ?? null,
    istio:
      deployedMode && deployedVersion
        ? {
            mode: deployedMode,
            version: deployedVersion,
            installed: outputs.istioInstalled === true,
            source: "deployed",
          }
        : ok && current
          ? {
              mode: config.istio.mode,
              version: ISTIO_VERSION,
              installed: planAt(config, current).istio.installed,
              source: "configured",
            }
          : null,
    dns: ok && current ? dnsWeights(config, current) : [],
    namespaces: ok && current ? namespaceStatuses(config, current) : [],
    runningOperation: view.runningOperation as string | null,
    queuedOperations: view.queuedOperations as string[],
    operations: (o.store.recent(stack, BOARD_OPERATIONS) ?? []).map(boardOperation),
    operationCount: o.store.countOperations(stack),
    discovery: discovery && "error" in discovery ? null : discovery,
    ...(discovery && "error" in discovery ? { discoveryError: discovery.error } : {}),
  };
}

export function board(o: BoardReadOptions): Board {
  return {
    generatedAt: new Date().toISOString(),
    phases: PHASES,
    operationKinds: OPERATION_KINDS,
    stacks: o.operations.stackFiles.stacks().map((s) => boardStack(o, s)),
  };
}

/** Runs the offline plan and returns its document (the plan runner's workers, or in-process). */
export type PlanDocuments = (opts: PlanOptions) => Promise<PlanDocument>;

/**
 * Errors of the offline plan that the user fixes (bad config, refused move): 422, not 500. By name,
 * because a plan run in a worker thread comes back as a name and a message.
 */
const USER_PLAN_ERRORS = new Set(
  [ConfigError, TransitionError, IstioModeError, DeployGuardError].map((k) => k.name),
);

/**
 * The offline diff of a phase change and the runbook, each from real offline plans. Results are
 * kept per stack file version and deployed phase for a minute, and one computation serves every
 * request that asks for the same thing meanwhile, so that a page refresh does not re-plan.
 */
export class PlanViews {
  private readonly cache = new Map<string, { at: number; value: Promise<unknown> }>();
  static readonly TTL_MS = 60_000;
  static readonly MAX_ENTRIES = 200;

  constructor(
    private readonly o: BoardReadOptions & {
      readonly projectDir: string;
      readonly plan: PlanDocuments;
    },
  ) {}

  /** From the stack's current phase to `to` (default: the next phase); 422 for a move the service refuses. */
  diff(stack: string, to?: Phase): Promise<BoardDiff> {
    const { from, config } = this.current(stack);
    const target = to ?? nextPhase(from) ?? from;
    const refused = planPhase(
      { ...config, phase: target },
      { known: true, outputs: { phase: from } },
    ).refused;
    if (refused instanceof TransitionError) {
      const t = refused.transition;
      throw new ServiceError(422, t.message, {
        fields: [{ path: "phase", given: target, message: t.message }],
        from: t.from,
        to: t.to,
        next: t.next ?? null,
      });
    }
    return this.cached(`diff\0${stack}\0${from}\0${target}`, stack, async () => {
      const p = { stack, projectDir: this.o.projectDir };
      const [a, b] = await Promise.all([
        this.plan({ ...p, phase: from }),
        this.plan({ ...p, phase: target, deployedPhase: from }),
      ]);
      const d = diffPlans(a, b);
      return {
        stack,
        from,
        to: target,
        changes: d.changes.map((c) => ({ ...c })),
        counts: countChanges(d),
        unchanged: d.unchanged,
        protectedChanges: protectedChanges(d, a, b, {
          targetHasIstio: planAt(config, target).istio.installed,
        }).map((v) => ({ what: v.what, urn: v.change.urn })),
        text: renderDiff(d),
      } satisfies BoardDiff;
    });
  }

  /** The runbook of the stack's configured phase. */
  runbook(stack: string): Promise<BoardRunbook> {
    const config = this.parsed(stack);
    return this.cached(`runbook\0${stack}`, stack, async () => {
      const plan = await this.plan({ stack, projectDir: this.o.projectDir });
      return {
        stack,
        phase: config.phase,
        markdown: renderRunbook({ stack, config, phase: planAt(config, config.phase), plan }),
      } satisfies BoardRunbook;
    });
  }

  private parsed(stack: string): MeshliftConfig {
    const config = this.o.operations.stackFiles.config(stack);
    if (config instanceof ConfigError)
      throw new ServiceError(422, config.message, { stack, configError: true });
    return config;
  }

  private current(stack: string): { from: Phase; config: MeshliftConfig } {
    const config = this.parsed(stack);
    return { from: this.o.operations.stackFiles.phaseOf(stack).current ?? config.phase, config };
  }

  private async plan(opts: PlanOptions): Promise<PlanDocument> {
    try {
      return await this.o.plan(opts);
    } catch (e) {
      if (e instanceof Error && USER_PLAN_ERRORS.has(e.name))
        throw new ServiceError(422, e.message, { phase: opts.phase ?? null });
      throw e;
    }
  }

  private cached<T>(key: string, stack: string, compute: () => Promise<T>): Promise<T> {
    // The stack file's version and the deployed phase are part of the key: a change re-plans.
    let version = "";
    try {
      const st = fs.statSync(stackFilePath(this.o.projectDir, stack));
      version = `${st.mtimeMs}:${st.size}`;
    } catch {
      // requireStack already ran; a file removed since simply misses the cache
    }
    const full = `${key}\0${version}\0${this.o.store.stackState(stack)?.operationId ?? ""}`;
    const now = Date.now();
    const hit = this.cache.get(full);
    if (hit && now - hit.at < PlanViews.TTL_MS) return hit.value as Promise<T>;
    for (const [k, v] of this.cache) if (now - v.at >= PlanViews.TTL_MS) this.cache.delete(k);
    if (this.cache.size >= PlanViews.MAX_ENTRIES) {
      const oldest = this.cache.keys().next();
      if (!oldest.done) this.cache.delete(oldest.value);
    }
    const value = compute();
    this.cache.set(full, { at: now, value });
    // A failed computation is not kept: the next request tries again.
    value.catch(() => this.cache.delete(full));
    return value;
  }
}
