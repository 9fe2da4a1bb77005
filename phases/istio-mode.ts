// The guard that refuses to switch an installed mesh between sidecar and ambient mode.
import { ISTIO_MODES, IstioMode } from "../config/sections/istio";
import { DeployedState } from "./deployed";

export class IstioModeError extends Error {
  constructor(
    readonly deployedMode: IstioMode,
    readonly targetMode: IstioMode,
  ) {
    super(
      `meshlift:istio.mode is "${targetMode}" but the installed mesh runs in "${deployedMode}" mode: ` +
        `switching an installed mesh between sidecar and ambient is refused (every workload would ` +
        `lose or change its data plane at once). Set meshlift:istio.mode back to "${deployedMode}", ` +
        `or roll back to phase "discovery" (which uninstalls Istio) before changing it.`,
    );
    this.name = "IstioModeError";
  }
}

function isMode(v: unknown): v is IstioMode {
  return typeof v === "string" && (ISTIO_MODES as readonly string[]).includes(v);
}

/**
 * Checks the configured mode against the deployed `istioMode` stack output (set only while Istio is
 * installed). Returns a one-line summary; throws IstioModeError on a switch.
 */
export function guardIstioMode(
  deployed: DeployedState,
  target: IstioMode,
  installing: boolean,
): string {
  if (!installing) return `not installed in this phase (mode "${target}" applies when it is)`;
  if (!deployed.known) {
    return (
      `not checked (${deployed.reason}); \`pulumi up\` refuses to switch an installed mesh ` +
      `away from its deployed mode`
    );
  }
  const was = deployed.outputs.istioMode;
  if (!isMode(was)) return `new install: ${target}`;
  if (was !== target) throw new IstioModeError(was, target);
  return `unchanged: ${target}`;
}
