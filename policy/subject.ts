// The one resource shape the mesh policies read, and how an offline plan document maps onto it (CrossGuard's mapping is in crossguard.ts).
import { COMPUTED } from "../plan/computed";

/** A resource as a policy sees it. */
export interface MeshResource {
  readonly urn: string;
  /** The Pulumi type token, e.g. `kubernetes:core/v1:NamespacePatch`. */
  readonly type: string;
  readonly name: string;
  /**
   * Its properties: the inputs offline, the outputs in a CrossGuard stack policy (for the types
   * these policies read, the inputs are carried through). Unknown values read `<computed>`.
   */
  readonly props: Readonly<Record<string, unknown>>;
  readonly protect: boolean;
}

/** Everything the policies judge: the resources and what the stack exports (phase, environment, mode). */
export interface MeshSubject {
  readonly resources: readonly MeshResource[];
  /** The root stack's outputs: `phase`, `environment`, `istioMode` ... */
  readonly outputs: Readonly<Record<string, unknown>>;
  /**
   * Whether Pulumi secrets are visible as such (offline: they read "[secret]"). CrossGuard hands
   * policies plain values, so there a value cannot be told to be a secret or not.
   */
  readonly secretsVisible: boolean;
}

/** How an unknown value (computed by the cloud, or unknown during preview) reads. */
export const UNKNOWN = COMPUTED;

export const STACK_TYPE = "pulumi:pulumi:Stack";

/** What the policies read of a plan document (plan/offline.ts PlanDocument, or one read back from a file). */
export interface PlanLike {
  readonly stack?: string;
  readonly phase: string;
  readonly outputs: Readonly<Record<string, unknown>>;
  readonly resources: readonly {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly inputs: Readonly<Record<string, unknown>>;
    readonly protect: boolean;
  }[];
}

/** The offline plan document as the policies read it: inputs as props, the document's outputs as the stack's. */
export function subjectFromPlan(doc: PlanLike): MeshSubject {
  return {
    resources: doc.resources
      .filter((r) => r.type !== STACK_TYPE)
      .map((r) => ({
        urn: r.urn,
        type: r.type,
        name: r.name,
        props: r.inputs,
        protect: r.protect,
      })),
    outputs: { ...doc.outputs, phase: doc.outputs.phase ?? doc.phase },
    secretsVisible: true,
  };
}
