// Compares two offline plans resource by resource (by URN): what moving between them would create, update, replace and delete.
import { isDeepStrictEqual } from "node:util";
import { COMPUTED } from "./computed";
import { PlanDocument, PlanResource } from "./offline";

export type ChangeKind = "create" | "update" | "replace" | "delete";
export const CHANGE_KINDS: readonly ChangeKind[] = ["create", "update", "replace", "delete"];

/**
 * Inputs whose change makes the provider replace the resource instead of updating it in place, per
 * type (dotted paths into the inputs). Offline there is no provider to ask, so this table is the
 * plan's knowledge; it lists what meshlift's resources can change, not every provider rule.
 * - EKS cluster: its name and VPC cannot change (EKS CreateCluster only).
 * - Managed node group: name (or name prefix), subnets, disk size, instance types are create-only in EKS.
 * - Helm release: name and namespace identify the release.
 * - Route 53 record: zone, name, type and set identifier identify the record set.
 * - Route 53 health check: its type is create-only.
 * - Kubernetes objects (any `kubernetes:` type): name, namespace and kind identify the object.
 * - IAM role: its name. VPC: its CIDR block.
 */
export const REPLACE_KEYS: Readonly<Record<string, readonly string[]>> = {
  "eks:index:Cluster": ["name", "vpcId"],
  "eks:index:ManagedNodeGroup": [
    "nodeGroupName",
    "nodeGroupNamePrefix",
    "subnetIds",
    "diskSize",
    "instanceTypes",
  ],
  "kubernetes:helm.sh/v3:Release": ["name", "namespace"],
  "aws:route53/record:Record": ["zoneId", "name", "type", "setIdentifier"],
  "aws:route53/healthCheck:HealthCheck": ["type"],
  "aws:iam/role:Role": ["name"],
  "awsx:ec2:Vpc": ["cidrBlock"],
};
const KUBERNETES_REPLACE_KEYS = ["metadata.name", "metadata.namespace", "kind"];

export function replaceKeysFor(type: string): readonly string[] {
  if (REPLACE_KEYS[type]) return REPLACE_KEYS[type];
  if (type.startsWith("kubernetes:") && !type.startsWith("kubernetes:helm.sh/"))
    return KUBERNETES_REPLACE_KEYS;
  return [];
}

export interface ResourceChange {
  readonly kind: ChangeKind;
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** Top-level inputs that differ (update, replace). */
  readonly changedInputs: readonly string[];
  /** The replace-forcing inputs that differ (replace only). */
  readonly replaceBecause: readonly string[];
}

export interface PlanDiff {
  readonly from: string;
  readonly to: string;
  readonly changes: readonly ResourceChange[];
  readonly unchanged: number;
}

/** Component types of this project: grouping only, they hold no state of their own. */
export function isOwnComponent(type: string): boolean {
  return type.startsWith("meshlift:");
}

function valueAt(o: unknown, dotted: string): unknown {
  let node = o;
  for (const seg of dotted.split(".")) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string, unknown>)[seg];
  }
  return node;
}

/** Diffs `from` -> `to`. Changes come in URN order. */
export function diffPlans(from: PlanDocument, to: PlanDocument): PlanDiff {
  const before = new Map(from.resources.map((r) => [r.urn, r]));
  const after = new Map(to.resources.map((r) => [r.urn, r]));
  const changes: ResourceChange[] = [];
  let unchanged = 0;
  const urns = [...new Set([...before.keys(), ...after.keys()])].sort();
  for (const urn of urns) {
    const a = before.get(urn);
    const b = after.get(urn);
    if (!a && b) changes.push(change("create", b));
    else if (a && !b) changes.push(change("delete", a));
    else if (a && b) {
      const changedInputs = [...new Set([...Object.keys(a.inputs), ...Object.keys(b.inputs)])]
        .filter((k) => !isDeepStrictEqual(a.inputs[k], b.inputs[k]))
        .sort();
      if (changedInputs.length === 0 && a.provider === b.provider) {
        if (!isOwnComponent(b.type)) unchanged += 1;
        continue;
      }
      const replaceBecause = replaceKeysFor(b.type).filter(
        (k) => !isDeepStrictEqual(valueAt(a.inputs, k), valueAt(b.inputs, k)),
      );
      changes.push({
        ...change(replaceBecause.length ? "replace" : "update", b),
        changedInputs,
        replaceBecause,
      });
    }
  }
  return { from: from.phase, to: to.phase, changes, unchanged };
}

function change(kind: ChangeKind, r: PlanResource): ResourceChange {
  return { kind, urn: r.urn, type: r.type, name: r.name, changedInputs: [], replaceBecause: [] };
}

/** Counts per kind, leaving out this project's component resources (they carry no state). */
export function countChanges(d: PlanDiff): Record<ChangeKind, number> {
  const counts: Record<ChangeKind, number> = { create: 0, update: 0, replace: 0, delete: 0 };
  for (const c of d.changes) if (!isOwnComponent(c.type)) counts[c.kind] += 1;
  return counts;
}

const SIGN: Record<ChangeKind, string> = { create: "+", update: "~", replace: "+-", delete: "-" };

/** The diff as people read it: one line per resource, then the counts. */
export function renderDiff(d: PlanDiff): string {
  const lines = [
    `Moving from phase ${d.from} to ${d.to} (offline: inputs the cloud computes read ${COMPUTED} on both sides and compare equal):`,
    "",
  ];
  if (d.changes.length === 0) lines.push("  no changes");
  for (const c of d.changes) {
    const why =
      c.kind === "replace"
        ? `  (replace: ${c.replaceBecause.join(", ")} changed)`
        : c.kind === "update"
          ? `  (${c.changedInputs.join(", ")})`
          : "";
    lines.push(`  ${SIGN[c.kind].padEnd(2)} ${c.kind.padEnd(7)} ${c.type}  ${c.name}${why}`);
  }
  const n = countChanges(d);
  lines.push(
    "",
    `Resources: ${n.create} to create, ${n.update} to update, ${n.replace} to replace, ${n.delete} to delete, ${d.unchanged} unchanged` +
      " (component groupings not counted)",
  );
  return lines.join("\n");
}

/** Resources a phase change must never replace or delete, recognised by type or Helm chart. */
export const PROTECTED_RESOURCES: readonly {
  readonly what: string;
  /** True when Istio's removal (rolling back to a phase without Istio) may delete it. */
  readonly istioPart: boolean;
  readonly matches: (r: PlanResource) => boolean;
}[] = [
  { what: "EKS cluster", istioPart: false, matches: (r) => r.type === "eks:index:Cluster" },
  {
    what: "node group",
    istioPart: false,
    matches: (r) => r.type === "eks:index:ManagedNodeGroup",
  },
  {
    what: "AWS Load Balancer Controller",
    istioPart: true,
    matches: (r) => isChart(r, /aws-load-balancer-controller/),
  },
  { what: "istiod", istioPart: true, matches: (r) => isChart(r, /(^|[/:])istiod(\b|$)/) },
];

function isChart(r: PlanResource, re: RegExp): boolean {
  if (!r.type.startsWith("kubernetes:helm.sh/")) return false;
  const { chart, name } = r.inputs;
  return (
    (typeof chart === "string" && re.test(chart)) || (typeof name === "string" && re.test(name))
  );
}

export interface ProtectedViolation {
  readonly what: string;
  readonly change: ResourceChange;
}

/**
 * Replacements and deletions of protected resources in a diff. The one allowed deletion is the
 * rollback rule's: going back to a phase without Istio (discovery) removes istiod and the LB controller.
 */
export function protectedChanges(
  d: PlanDiff,
  from: PlanDocument,
  to: PlanDocument,
  opts: { readonly targetHasIstio: boolean },
): ProtectedViolation[] {
  const byUrn = new Map([...from.resources, ...to.resources].map((r) => [r.urn, r]));
  const out: ProtectedViolation[] = [];
  for (const c of d.changes) {
    if (c.kind !== "replace" && c.kind !== "delete") continue;
    const r = byUrn.get(c.urn);
    const p = r && PROTECTED_RESOURCES.find((x) => x.matches(r));
    if (!p) continue;
    if (c.kind === "delete" && p.istioPart && !opts.targetHasIstio) continue;
    out.push({ what: p.what, change: c });
  }
  return out;
}
