// The board's read API shapes, shared by the service and the browser bundle (types only: no imports, no runtime).

/** One operation as the board lists it. */
export interface BoardOperation {
  readonly id: string;
  readonly kind: string;
  readonly phase: string | null;
  readonly fromPhase: string | null;
  readonly status: string;
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  /** finishedAt - startedAt; null while it runs or when it never started. */
  readonly durationMs: number | null;
  /** A token label, or scope and hash prefix; null for operations recorded before it was kept. */
  readonly startedBy: string | null;
  readonly error: string | null;
  readonly events: number;
}

/** The DNS weights of one cutover hostname in the stack's current phase; null: no such record. */
export interface BoardDnsRecord {
  readonly hostname: string;
  readonly appmesh: number | null;
  readonly istio: number | null;
}

export interface BoardNamespace {
  readonly name: string;
  /** The configured target: which mesh injects it from `workloads` on. */
  readonly state: "appmesh" | "istio";
  /** What the current phase does with it. */
  readonly status: "on-appmesh" | "waiting-for-workloads" | "on-istio";
}

/** Counts from `meshlift discover`'s inventory.json, when one is there for the stack. */
export interface BoardDiscovery {
  /** Where it was read, relative to the discovery directory. */
  readonly file: string;
  readonly generatedAt: string | null;
  /** Namespaces whose pods still run the App Mesh Envoy, with their pod counts. */
  readonly atRisk: readonly {
    readonly namespace: string;
    readonly pods: number;
    /** A controller will restart these pods soon (rollout, autoscaler, drained node). */
    readonly restartSoon: boolean;
  }[];
  readonly atRiskPods: number;
  readonly precheck: { readonly blocker: number; readonly warning: number; readonly info: number };
}

export interface BoardStack {
  readonly stack: string;
  /** Deployed, else configured; null when neither is known (the stack file does not parse). */
  readonly phase: string | null;
  readonly configuredPhase: string | null;
  readonly deployedPhase: string | null;
  readonly configError: string | null;
  /** Deployed outputs when there are some, else what the config will install. */
  readonly istio: {
    readonly mode: string;
    readonly version: string;
    readonly installed: boolean;
    readonly source: "deployed" | "configured";
  } | null;
  readonly dns: readonly BoardDnsRecord[];
  readonly namespaces: readonly BoardNamespace[];
  readonly runningOperation: string | null;
  readonly queuedOperations: readonly string[];
  /** The last operations, newest first. */
  readonly operations: readonly BoardOperation[];
  readonly operationCount: number;
  readonly discovery: BoardDiscovery | null;
}

export interface Board {
  readonly generatedAt: string;
  readonly phases: readonly string[];
  /** Operation kinds the service accepts (the board offers cutover only when `cutover` is one). */
  readonly operationKinds: readonly string[];
  readonly stacks: readonly BoardStack[];
}

export interface WhoAmI {
  readonly scope: "read" | "operate" | "admin";
  readonly identity: string;
}

/** One resource change of the offline diff between two phases. */
export interface BoardChange {
  readonly kind: "create" | "update" | "replace" | "delete";
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly changedInputs: readonly string[];
  readonly replaceBecause: readonly string[];
}

export interface BoardDiff {
  readonly stack: string;
  readonly from: string;
  readonly to: string;
  readonly changes: readonly BoardChange[];
  readonly counts: Readonly<Record<BoardChange["kind"], number>>;
  readonly unchanged: number;
  /** Replacements or deletions of the cluster, node groups, LB controller or istiod. */
  readonly protectedChanges: readonly { readonly what: string; readonly urn: string }[];
  /** The diff as `meshlift plan --diff-phase` prints it. */
  readonly text: string;
}

export interface BoardRunbook {
  readonly stack: string;
  readonly phase: string;
  readonly markdown: string;
}
