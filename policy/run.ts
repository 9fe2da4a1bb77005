// Runs the mesh policies over a subject offline (`meshlift plan --policy`, `meshlift policy check`): violations, in a stable order.
import { MESH_POLICIES, MeshPolicy } from "./checks";
import { MeshSubject } from "./subject";

/** A mandatory policy the stack breaks: every mesh policy is mandatory. */
export interface Violation {
  readonly policy: string;
  readonly urn?: string;
  readonly message: string;
}

export function checkSubject(
  subject: MeshSubject,
  policies: readonly MeshPolicy[] = MESH_POLICIES,
): Violation[] {
  return policies.flatMap((p) => p.check(subject).map((f) => ({ policy: p.name, ...f })));
}

/** One line per violation: `mandatory <policy>: <urn>: <message>`. */
export function formatViolations(violations: readonly Violation[]): string[] {
  return violations.map((v) => `mandatory ${v.policy}: ${v.urn ?? "(stack)"}: ${v.message}`);
}
