// What the stack last deployed (its own previous outputs), and the guard that checks a phase change against it.
import { isPhase, checkTransition, Phase, Transition } from "./phases";

/**
 * The previous deployment as the program sees it. `known: false` means there is no way to know (the
 * offline plan), so the guard reports what it would check instead of failing.
 */
export type DeployedState =
  | { readonly known: true; readonly outputs: Readonly<Record<string, unknown>> }
  | { readonly known: false; readonly reason: string };

export class TransitionError extends Error {
  constructor(readonly transition: Extract<Transition, { ok: false }>) {
    super(transition.message);
    this.name = "TransitionError";
  }
}

export interface GuardResult {
  /** The deployed phase, when known. */
  readonly deployedPhase?: Phase;
  /** One line for the plan and the stack output. */
  readonly summary: string;
  readonly transition?: Transition;
}

/** Checks `target` against the deployed phase; throws TransitionError when the move is not allowed. */
export function guardPhase(
  deployed: DeployedState,
  target: Phase,
  allowPhaseSkip: boolean,
): GuardResult {
  if (!deployed.known) {
    return {
      summary:
        `not checked (${deployed.reason}); \`pulumi up\` checks that the last deployed phase ` +
        `may move to "${target}" (one step forward, or back to any earlier phase)`,
    };
  }
  const raw = deployed.outputs.phase;
  const deployedPhase = isPhase(raw) ? raw : undefined;
  const t = checkTransition(deployedPhase, target, { allowPhaseSkip });
  if (!t.ok) throw new TransitionError(t);
  const from = deployedPhase ?? "(new stack)";
  return { deployedPhase, transition: t, summary: `${t.kind}: ${from} -> ${target}` };
}
