// planPhase over the dev example stack at a phase, with the test converter and nothing known of a deployment (the offline case).
import { loadStack } from "../../config/load";
import type { MeshliftConfig } from "../../config/load";
import { PROJECT_DIR } from "../../plan/offline";
import type { DeployedState } from "../../phases/deployed";
import type { Phase } from "../../phases/phases";
import { PhasePlan, planPhase } from "../../phases/plan";
import { tinyConvert } from "./phases";

export const UNKNOWN_DEPLOYMENT: DeployedState = { known: false, reason: "test" };

/** The dev stack's config at `phase`, with `set` applied as `--set` would. */
export function devConfig(phase: Phase, set: Record<string, string> = {}): MeshliftConfig {
  return loadStack("dev", { projectDir: PROJECT_DIR, phase, set, convert: tinyConvert }).config;
}

/** The dev stack's PhasePlan at `phase`. */
export function devPlan(
  phase: Phase,
  set: Record<string, string> = {},
  deployed: DeployedState = UNKNOWN_DEPLOYMENT,
): PhasePlan {
  return planPhase(devConfig(phase, set), deployed);
}
