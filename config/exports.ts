// Reads each namespace's App Mesh export for config/load.ts; a file that is missing or does not parse is a config problem naming the entry.
import * as fs from "node:fs";
import * as path from "node:path";
import YAML from "yaml";
import { countAppMeshObjects } from "../appmesh/report";
import type { AppMeshKind } from "../appmesh/read/schema";
import { ConfigProblem } from "./errors";
import { NAMESPACE } from "./load";
import { NamespaceConfig } from "./sections/migration";

/** One export file as the converter takes it. */
export interface ExportFile {
  /** The path as configured (relative to the project directory). */
  readonly path: string;
  readonly content: string;
}

/** A listed namespace with what its export says. */
export interface NamespaceInputs {
  readonly index: number;
  readonly config: NamespaceConfig;
  /** The export, when one is configured. */
  readonly files: readonly ExportFile[];
  /**
   * Deployments to restart, in the order they restart: config `deployments` as listed, then the
   * export's plain Deployment documents in file order, each once.
   */
  readonly deployments: readonly string[];
  /** App Mesh mesh names the export mentions (for `aws appmesh delete-mesh`). */
  readonly meshes: readonly string[];
  /** The export's App Mesh custom resources per kind (API JSON documents are not counted); absent without an export. */
  readonly appmeshObjects?: Readonly<Record<AppMeshKind, number>>;
  /** What the export's Deployment documents say about availability during a restart. @default [] */
  readonly deploymentFacts: readonly DeploymentFacts[];
  /** The export's PodDisruptionBudgets in this namespace. @default [] */
  readonly disruptionBudgets: readonly DisruptionBudgetFacts[];
}

/** A Deployment document's fields that decide whether its restart drops requests. */
export interface DeploymentFacts {
  readonly name: string;
  /** `spec.replicas`; absent means 1. */
  readonly replicas?: number;
  /** `spec.strategy.type`; absent means RollingUpdate. */
  readonly strategy?: string;
  /** `spec.template.spec.terminationGracePeriodSeconds`; absent means 30. */
  readonly terminationGracePeriodSeconds?: number;
  /** `spec.template.metadata.labels`. */
  readonly podLabels: Readonly<Record<string, string>>;
}

/** A PodDisruptionBudget document's name and `spec.selector.matchLabels`. */
export interface DisruptionBudgetFacts {
  readonly name: string;
  readonly matchLabels: Readonly<Record<string, string>>;
}

/** The config key of a namespace entry's field, as users type it. */
export function namespaceKey(index: number, field: string): string {
  return `${NAMESPACE}:migration.namespaces.${index}.${field}`;
}

/**
 * Reads and parses every configured export, collecting a problem per entry that is missing or does
 * not parse (that entry then has no files), so that one ConfigError can name them all.
 */
export function readExports(
  namespaces: readonly NamespaceConfig[],
  projectDir: string,
): { inputs: NamespaceInputs[]; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const inputs = namespaces.map((ns, index): NamespaceInputs => {
    const fromConfig = [...ns.deployments];
    if (!ns.appmeshExport) {
      return { index, config: ns, files: [], ...noFacts(fromConfig) };
    }
    const key = namespaceKey(index, "appmeshExport");
    const file = path.resolve(projectDir, ns.appmeshExport);
    let content: string;
    try {
      content = fs.readFileSync(file, "utf8");
    } catch (e) {
      problems.push({
        key,
        given: ns.appmeshExport,
        message: `namespace "${ns.name}": cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? String(e)})`,
      });
      return { index, config: ns, files: [], ...noFacts(fromConfig) };
    }
    const parsed = parseExport(ns.appmeshExport, content);
    if ("error" in parsed) {
      problems.push({
        key,
        given: ns.appmeshExport,
        message: `namespace "${ns.name}": ${parsed.error}`,
      });
      return { index, config: ns, files: [], ...noFacts(fromConfig) };
    }
    const docs = parsed.docs.filter(isObject);
    return {
      index,
      config: ns,
      files: [{ path: ns.appmeshExport, content }],
      deployments: [...new Set([...fromConfig, ...deploymentsOf(docs, ns.name)])],
      meshes: uniq(docs.flatMap(meshesOf)),
      appmeshObjects: countAppMeshObjects(docs),
      deploymentFacts: deploymentFactsOf(docs, ns.name),
      disruptionBudgets: disruptionBudgetsOf(docs, ns.name),
    };
  });
  return { inputs, problems };
}

/** Parses an export: JSON for `.json` files (AWS API documents), multi-document YAML otherwise. */
export function parseExport(
  name: string,
  content: string,
): { readonly docs: unknown[] } | { readonly error: string } {
  if (name.toLowerCase().endsWith(".json")) {
    try {
      return { docs: [JSON.parse(content) as unknown] };
    } catch (e) {
      return { error: `does not parse as JSON: ${(e as Error).message}` };
    }
  }
  const docs = YAML.parseAllDocuments(content);
  const docList = Array.isArray(docs) ? docs : [docs];
  for (const [i, d] of docList.entries()) {
    if (d.errors.length) {
      return {
        error: `does not parse as YAML (document ${i + 1}): ${d.errors[0].message.split("\n")[0]}`,
      };
    }
  }
  const values = docList.map((d) => d.toJS() as unknown).filter((v) => v !== null);
  if (values.length === 0) return { error: "holds no YAML documents" };
  const bad = values.findIndex((v) => !isObject(v));
  if (bad >= 0) {
    return {
      error: `document ${bad + 1} is not a mapping (an App Mesh export holds Kubernetes objects or API documents)`,
    };
  }
  return { docs: values };
}

function noFacts(fromConfig: string[]) {
  return {
    deployments: [...new Set(fromConfig)],
    meshes: [],
    deploymentFacts: [],
    disruptionBudgets: [],
  };
}

/** Plain string-to-string entries of a labels map; anything else is not a label. */
function stringMap(v: unknown): Record<string, string> {
  if (!isObject(v)) return {};
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) if (typeof x === "string") out[k] = x;
  return out;
}

function count(v: unknown): number | undefined {
  return Number.isSafeInteger(v) && (v as number) >= 0 ? (v as number) : undefined;
}

/** In this namespace (an unset namespace means the namespace applied to). */
function inNs(
  md: Record<string, unknown>,
  ns: string,
): md is Record<string, unknown> & { name: string } {
  return typeof md.name === "string" && (md.namespace === undefined || md.namespace === ns);
}

function deploymentFactsOf(docs: Record<string, unknown>[], ns: string): DeploymentFacts[] {
  return docs.flatMap((d) => {
    if (d.kind !== "Deployment" || !isObject(d.metadata) || !inNs(d.metadata, ns)) return [];
    const spec = isObject(d.spec) ? d.spec : {};
    const template = isObject(spec.template) ? spec.template : {};
    const podSpec = isObject(template.spec) ? template.spec : {};
    const replicas = count(spec.replicas);
    const grace = count(podSpec.terminationGracePeriodSeconds);
    const strategy = isObject(spec.strategy) ? spec.strategy.type : undefined;
    return [
      {
        name: d.metadata.name,
        ...(replicas !== undefined ? { replicas } : {}),
        ...(typeof strategy === "string" ? { strategy: strategy.slice(0, 63) } : {}),
        ...(grace !== undefined ? { terminationGracePeriodSeconds: grace } : {}),
        podLabels: stringMap(isObject(template.metadata) ? template.metadata.labels : undefined),
      },
    ];
  });
}

function disruptionBudgetsOf(docs: Record<string, unknown>[], ns: string): DisruptionBudgetFacts[] {
  return docs.flatMap((d) => {
    if (d.kind !== "PodDisruptionBudget" || !isObject(d.metadata) || !inNs(d.metadata, ns))
      return [];
    const spec = isObject(d.spec) ? d.spec : {};
    const selector = isObject(spec.selector) ? spec.selector : {};
    return [{ name: d.metadata.name, matchLabels: stringMap(selector.matchLabels) }];
  });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function uniq(xs: readonly string[]): string[] {
  return [...new Set(xs)].sort();
}

/** Plain Deployment documents of the namespace (an unset namespace means the namespace applied to). */
function deploymentsOf(docs: Record<string, unknown>[], ns: string): string[] {
  return docs.flatMap((d) => {
    if (d.kind !== "Deployment" || !isObject(d.metadata)) return [];
    const { name, namespace } = d.metadata;
    if (typeof name !== "string" || (namespace !== undefined && namespace !== ns)) return [];
    return [name];
  });
}

/** Mesh names: a Mesh CR (its awsName when set), or an API document's `meshName`. */
function meshesOf(d: Record<string, unknown>): string[] {
  if (d.kind === "Mesh" && isObject(d.metadata)) {
    const aws = isObject(d.spec) ? d.spec.awsName : undefined;
    const name = typeof aws === "string" ? aws : d.metadata.name;
    return typeof name === "string" ? [name] : [];
  }
  if (typeof d.meshName === "string") return [d.meshName];
  return [];
}
