// The mesh policies as CrossGuard stack policies: CrossGuard's resources mapped onto policy/subject.ts, unknowns read as <computed>.
import {
  PolicyResource,
  StackValidationArgs,
  StackValidationPolicy,
  UnknownValueError,
} from "@pulumi/policy";
import { MESH_POLICIES, MeshPolicy } from "./checks";
import { MeshSubject, STACK_TYPE, UNKNOWN } from "./subject";

/**
 * A plain copy of CrossGuard's props. They come wrapped in a proxy that throws on a value unknown
 * during preview, which would turn the whole policy into an advisory "cannot run during preview";
 * the policies instead see <computed>, as offline, and judge only what is known.
 */
export function plainProps(props: unknown, depth = 0): unknown {
  if (depth > 64 || typeof props !== "object" || props === null) return props;
  const read = (get: () => unknown): unknown => {
    try {
      return plainProps(get(), depth + 1);
    } catch (e) {
      if (e instanceof UnknownValueError) return UNKNOWN;
      throw e;
    }
  };
  // Element by element: Array.prototype.map would read every element through the proxy before the
  // callback runs, and one unknown element would make the whole array <computed>.
  if (Array.isArray(props)) {
    const arr = props as unknown[];
    return Array.from({ length: arr.length }, (_, i) => read(() => arr[i]));
  }
  const o = props as Record<string, unknown>;
  return Object.fromEntries(Object.keys(o).map((k) => [k, read(() => o[k])]));
}

/** A CrossGuard stack (outputs of every resource, the root stack's are the stack outputs) as a mesh subject. */
export function subjectFromCrossGuard(resources: readonly PolicyResource[]): MeshSubject {
  const root = resources.find((r) => r.type === STACK_TYPE);
  return {
    resources: resources
      .filter((r) => r.type !== STACK_TYPE)
      .map((r) => ({
        urn: r.urn,
        type: r.type,
        name: r.name,
        props: plainProps(r.props) as Record<string, unknown>,
        protect: r.opts.protect,
      })),
    outputs: root ? (plainProps(root.props) as Record<string, unknown>) : {},
    secretsVisible: false,
  };
}

export function toStackPolicy(p: MeshPolicy): StackValidationPolicy {
  return {
    name: p.name,
    description: p.description,
    enforcementLevel: "mandatory",
    validateStack: (args: StackValidationArgs, reportViolation) => {
      for (const f of p.check(subjectFromCrossGuard(args.resources)))
        reportViolation(f.message, f.urn);
    },
  };
}

export function crossGuardPolicies(): StackValidationPolicy[] {
  return MESH_POLICIES.map(toStackPolicy);
}
