// Guards that compare this run with what the stack last deployed: moves that would hurt live traffic or a cluster are refused before anything is registered.
import { PhaseSpec } from "./phases";
import { DeployedState } from "./deployed";

/** A move the program refuses; the message says what to do instead. */
export class DeployGuardError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DeployGuardError";
  }
}

function deployedNumber(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

/**
 * Entering a phase that removes App Mesh while the adopted App Mesh records still carry weight is
 * refused: those records are retained on delete (they served traffic before the stack), so leaving
 * the program would strand them at their weight beside the Istio records. Reads the stack output
 * `dnsWeights` of the last deployment; returns a one-line summary.
 */
export function guardDecommissionTraffic(deployed: DeployedState, target: PhaseSpec): string {
  if (!target.appmeshRemoved) return "not removing App Mesh records in this phase";
  if (!deployed.known) {
    return `not checked (${deployed.reason}); \`pulumi up\` refuses to remove the App Mesh records while they carry weight`;
  }
  const weights = deployed.outputs.dnsWeights as { appmesh?: unknown } | null | undefined;
  const appmesh = deployedNumber(weights?.appmesh);
  if (appmesh === undefined || appmesh === 0) return "App Mesh records carry no weight";
  throw new DeployGuardError(
    `phase "${target.phase}" removes the App Mesh DNS records, but they still carry weight ${appmesh} ` +
      "(deployed stack output dnsWeights): they are retained on delete, so they would keep serving " +
      "beside the Istio records. Move all traffic first, in phase cutover: " +
      "`pulumi config set --path meshlift:cutover.istioWeight 100 && pulumi up`, then advance.",
  );
}
