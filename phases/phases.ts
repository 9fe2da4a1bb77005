// The migration phases as data, and the one transition rule that the program, the CLI and the service share.

export const PHASES = ["discovery", "parallel", "workloads", "cutover", "decommission"] as const;
export type Phase = (typeof PHASES)[number];

/** What the stack deploys in a phase. Components read these flags, never the phase name. */
export interface PhaseSpec {
  readonly phase: Phase;
  /** One line for humans. */
  readonly summary: string;
  /** Istio control plane, gateway and LB controller are installed. */
  readonly istioInstalled: boolean;
  /** Namespaces marked `state: istio` are labelled for injection and get converted resources. */
  readonly workloadsMigrate: boolean;
  /** The Route 53 weighted records exist (Istio weight from config). */
  readonly dnsRecords: boolean;
  /** DNS weights follow `cutover.istioWeight`; before this phase Istio gets weight 0. */
  readonly dnsWeightsFromConfig: boolean;
  /** App Mesh is removed: Istio alone in DNS, App Mesh labels and controller gone, STRICT mTLS. */
  readonly appmeshRemoved: boolean;
  /** The stack outputs the App Mesh inventory of the configured exports (objects per kind, precheck counts). */
  readonly inventoryOutputs: boolean;
}

export const PHASE_SPECS: Readonly<Record<Phase, PhaseSpec>> = {
  discovery: {
    phase: "discovery",
    summary: "cluster only, plus the App Mesh inventory and precheck outputs",
    istioInstalled: false,
    workloadsMigrate: false,
    dnsRecords: false,
    dnsWeightsFromConfig: false,
    appmeshRemoved: false,
    inventoryOutputs: true,
  },
  parallel: {
    phase: "parallel",
    summary: "Istio installed beside App Mesh; nothing injected, no traffic",
    istioInstalled: true,
    workloadsMigrate: false,
    dnsRecords: true,
    dnsWeightsFromConfig: false,
    appmeshRemoved: false,
    inventoryOutputs: false,
  },
  workloads: {
    phase: "workloads",
    summary: "namespaces move to Istio one by one (config migration.namespaces)",
    istioInstalled: true,
    workloadsMigrate: true,
    dnsRecords: true,
    dnsWeightsFromConfig: false,
    appmeshRemoved: false,
    inventoryOutputs: false,
  },
  cutover: {
    phase: "cutover",
    summary: "DNS weight shifts from the App Mesh ingress to the Istio gateway",
    istioInstalled: true,
    workloadsMigrate: true,
    dnsRecords: true,
    dnsWeightsFromConfig: true,
    appmeshRemoved: false,
    inventoryOutputs: false,
  },
  decommission: {
    phase: "decommission",
    summary: "App Mesh removed: Istio alone serves traffic, STRICT mTLS",
    istioInstalled: true,
    workloadsMigrate: true,
    dnsRecords: true,
    dnsWeightsFromConfig: true,
    appmeshRemoved: true,
    inventoryOutputs: false,
  },
};

export function isPhase(v: unknown): v is Phase {
  return typeof v === "string" && (PHASES as readonly string[]).includes(v);
}

export function phaseIndex(p: Phase): number {
  return PHASES.indexOf(p);
}

/** The phase after `p`, or undefined at the end. */
export function nextPhase(p: Phase): Phase | undefined {
  return PHASES[phaseIndex(p) + 1];
}

/** The phase before `p`, or undefined at the start. */
export function previousPhase(p: Phase): Phase | undefined {
  return phaseIndex(p) > 0 ? PHASES[phaseIndex(p) - 1] : undefined;
}

/** Where a stack stands: the phase it last deployed when known, else the configured one. */
export interface StackPosition {
  readonly configured: Phase;
  readonly deployed?: Phase;
  /** `deployed ?? configured`: the phase the next move starts from. */
  readonly current: Phase;
  /** The one step forward from `current`. */
  readonly next?: Phase;
  /** Every phase a rollback from `current` may go to. */
  readonly rollbackTo: readonly Phase[];
}

export function stackPosition(configured: Phase, deployed?: Phase): StackPosition {
  const current = deployed ?? configured;
  return {
    configured,
    ...(deployed ? { deployed } : {}),
    current,
    next: nextPhase(current),
    rollbackTo: PHASES.slice(0, phaseIndex(current)),
  };
}

export type TransitionKind = "initial" | "unchanged" | "advance" | "rollback" | "skip";

export type Transition =
  | { readonly ok: true; readonly kind: TransitionKind; readonly from?: Phase; readonly to: Phase }
  | {
      readonly ok: false;
      readonly from: Phase;
      readonly to: Phase;
      /** The phase the stack may advance to from `from`. */
      readonly next?: Phase;
      readonly message: string;
    };

/**
 * The transition rule: forward one step at a time, back to any earlier phase, skipping forward only
 * with `allowPhaseSkip`. `from` is the phase last deployed (undefined for a new stack).
 */
export function checkTransition(
  from: Phase | undefined,
  to: Phase,
  opts: { readonly allowPhaseSkip?: boolean } = {},
): Transition {
  if (from === undefined) {
    if (to === PHASES[0] || opts.allowPhaseSkip) return { ok: true, kind: "initial", to };
    return {
      ok: false,
      from: PHASES[0],
      to,
      next: PHASES[0],
      message:
        `a new stack starts at phase "${PHASES[0]}", not "${to}": ` +
        `run \`pulumi config set meshlift:phase ${PHASES[0]}\`, or set meshlift:allowPhaseSkip true to start later`,
    };
  }
  const d = phaseIndex(to) - phaseIndex(from);
  if (d === 0) return { ok: true, kind: "unchanged", from, to };
  if (d < 0) return { ok: true, kind: "rollback", from, to };
  if (d === 1) return { ok: true, kind: "advance", from, to };
  if (opts.allowPhaseSkip) return { ok: true, kind: "skip", from, to };
  const next = nextPhase(from);
  return {
    ok: false,
    from,
    to,
    next,
    message:
      `cannot move from phase "${from}" to "${to}": phases advance one step at a time; ` +
      `the next step is "${next}" (\`pulumi config set meshlift:phase ${next}\`). ` +
      `Set meshlift:allowPhaseSkip true to skip on purpose.`,
  };
}
