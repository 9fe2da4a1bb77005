// `meshlift policy check PLAN.json` at work: the mesh policies on a plan document, offline; exit 3 on a mandatory violation.
import { MESH_POLICIES } from "../../policy/checks";
import { readPlanFile } from "../../policy/plan-file";
import { checkSubject, formatViolations } from "../../policy/run";
import { PlanLike, subjectFromPlan } from "../../policy/subject";
import { CliError, EXIT } from "../errors";

/**
 * Checks a plan: the line to print when it passes; a CliError with exit 3 listing each violation
 * (policy, resource URN, message) when it does not.
 */
export function policyReport(doc: PlanLike): string {
  const violations = checkSubject(subjectFromPlan(doc));
  if (violations.length > 0) {
    throw new CliError(
      `${violations.length} mandatory policy violation(s) in stack ${doc.stack ?? "?"} at phase ${doc.phase}:\n${formatViolations(
        violations,
      )
        .map((l) => `  - ${l}`)
        .join("\n")}`,
      EXIT.blocked,
    );
  }
  return `Policy: ${MESH_POLICIES.length} mandatory mesh policies pass on ${doc.resources.length} resources (phase ${doc.phase})`;
}

export function runPolicyCheck(file: string): void {
  process.stdout.write(`${policyReport(readPlanFile(file))}\n`);
}

export function runPolicyList(): void {
  for (const p of MESH_POLICIES) process.stdout.write(`${p.name}: ${p.description}\n`);
}
