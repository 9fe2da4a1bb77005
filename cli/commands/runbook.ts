// `meshlift runbook` at work: the Markdown runbook of a stack's configured phase, from its offline plan.
import { loadStack } from "../../config/load";
import { PROJECT_DIR, runOfflinePlan } from "../../plan/offline";
import { renderRunbook } from "../../plan/runbook";
import { planPhase } from "../../phases/plan";
import { parseSet } from "./plan";

export interface RunbookFlags {
  readonly stack: string;
  readonly set: string[];
}

export async function runRunbook(o: RunbookFlags): Promise<void> {
  // Read and parsed once: the plan and the runbook work from the same loaded stack.
  const loaded = loadStack(o.stack, { projectDir: PROJECT_DIR, set: parseSet(o.set) });
  const { document } = await runOfflinePlan({ stack: o.stack, loaded });
  const phase = planPhase(loaded.config, {
    known: false,
    reason: "runbook: the offline plan knows no deployed state",
  });
  process.stdout.write(
    `${renderRunbook({ stack: o.stack, config: loaded.config, phase, plan: document })}\n`,
  );
}
