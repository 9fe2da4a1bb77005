// Turns a plan document into what people read: a resource tree, and Kubernetes/Helm files for --out.
import { makeDir, writeTextFile } from "../config/files";
import * as path from "node:path";
import YAML from "yaml";
import { COMPUTED } from "./computed";
import { PlanDocument, PlanResource } from "./offline";

/** Inputs worth a glance, per resource type; other types show their first scalar inputs. */
const KEY_INPUTS: Record<string, string[]> = {
  "eks:index:Cluster": ["name", "version", "authenticationMode", "createOidcProvider"],
  "eks:index:ManagedNodeGroup": [
    "nodeGroupName",
    "nodeGroupNamePrefix",
    "instanceTypes",
    "scalingConfig",
    "labels",
    "taints",
  ],
  "awsx:ec2:Vpc": ["cidrBlock", "numberOfAvailabilityZones", "natGateways"],
  "kubernetes:helm.sh/v3:Release": ["chart", "version", "namespace", "repositoryOpts"],
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": [
    "fromPort",
    "toPort",
    "description",
  ],
  "aws:route53/record:Record": ["name", "type", "setIdentifier", "weightedRoutingPolicies"],
};

export const OFFLINE_NOTICE =
  `Offline plan: the real program ran under mocks with this stack's config file. This is not a ` +
  `preview of live state: values the cloud computes are unknown offline and shown as ${COMPUTED}.`;

export function renderTree(doc: PlanDocument): string {
  const children = new Map<string | null, PlanResource[]>();
  for (const r of doc.resources) {
    const list = children.get(r.parent) ?? [];
    list.push(r);
    children.set(r.parent, list);
  }
  const lines: string[] = [
    OFFLINE_NOTICE,
    "",
    `Stack ${doc.project}/${doc.stack}, phase ${doc.phase}: ${doc.resources.length} resources`,
  ];
  const walk = (parent: string | null, depth: number) => {
    for (const r of children.get(parent) ?? []) {
      const flags = [r.protect ? "protected" : "", r.provider ? `provider=${tail(r.provider)}` : ""]
        .filter(Boolean)
        .join(", ");
      lines.push(`${"  ".repeat(depth)}${r.type}  ${r.name}${flags ? `  [${flags}]` : ""}`);
      for (const [k, v] of keyInputs(r)) lines.push(`${"  ".repeat(depth + 2)}${k}: ${short(v)}`);
      walk(r.urn, depth + 1);
    }
  };
  walk(null, 1);
  lines.push("", "Outputs:");
  for (const [k, v] of Object.entries(doc.outputs)) lines.push(`  ${k}: ${short(v)}`);
  return lines.join("\n");
}

function keyInputs(r: PlanResource): [string, unknown][] {
  const wanted = KEY_INPUTS[r.type];
  if (wanted) return wanted.filter((k) => r.inputs[k] !== undefined).map((k) => [k, r.inputs[k]]);
  if (r.type.startsWith("kubernetes:")) {
    const md = r.inputs.metadata as { name?: string; namespace?: string } | undefined;
    return md ? [["metadata", { name: md.name, namespace: md.namespace }]] : [];
  }
  return Object.entries(r.inputs)
    .filter(([, v]) => v === null || typeof v !== "object")
    .slice(0, 3);
}

function short(v: unknown): string {
  const s = typeof v === "string" ? v : JSON.stringify(v);
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}

function tail(urn: string): string {
  return urn.split("::").pop() ?? urn;
}

/**
 * Writes every Kubernetes object and Helm release the plan registers as YAML, one file each,
 * named `<index>-<kind>-<name>.yaml` in registration-independent (URN) order. Returns the paths.
 */
export function writeManifests(doc: PlanDocument, dir: string): string[] {
  makeDir(dir);
  const written: string[] = [];
  let i = 0;
  for (const r of doc.resources) {
    const body = manifestOf(r);
    if (!body) continue;
    i += 1;
    const file = path.join(
      dir,
      `${String(i).padStart(3, "0")}-${body.kind}-${r.name}.yaml`.replace(/[^\w.-]/g, "_"),
    );
    writeTextFile(file, YAML.stringify(body.doc, { sortMapEntries: false }));
    written.push(file);
  }
  return written;
}

function manifestOf(r: PlanResource): { kind: string; doc: unknown } | undefined {
  if (r.type === "kubernetes:helm.sh/v3:Release") {
    const repo = (r.inputs.repositoryOpts as { repo?: string } | undefined)?.repo;
    return {
      kind: "HelmRelease",
      doc: {
        release: r.inputs.name ?? r.name,
        chart: r.inputs.chart,
        version: r.inputs.version,
        repository: repo,
        namespace: r.inputs.namespace,
        values: r.inputs.values ?? {},
      },
    };
  }
  if (
    r.type.startsWith("kubernetes:") &&
    typeof r.inputs.kind === "string" &&
    r.inputs.apiVersion
  ) {
    return { kind: r.inputs.kind, doc: r.inputs };
  }
  return undefined;
}
