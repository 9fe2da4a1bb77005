// Test helpers for the converter: fixture loading and lookups into a conversion result.
import * as fs from "node:fs";
import * as path from "node:path";
import { ConversionResult, Finding, IstioObject, K8sObject, SourceFile } from "../../appmesh";

export const FIXTURES = path.resolve(__dirname, "../fixtures/appmesh");
/** The shared real-world corpus (absent in a fresh clone: tests that need it skip with a note). */
export const EXAMPLES =
  process.env.MESHLIFT_APPMESH_EXAMPLES ??
  path.resolve(__dirname, "../../../shared/appmesh-examples");

/** The .yaml/.yml/.json files of a folder, sorted; [] when it does not exist (the corpus may be absent). */
export function inputFiles(dir: string): string[] {
  return fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((f) => /\.(ya?ml|json)$/.test(f))
        .sort()
        .map((f) => path.join(dir, f))
    : [];
}

/** The files of one folder of the shared App Mesh examples (k8s, api, invalid). */
export function exampleFiles(dir: string): string[] {
  return inputFiles(path.join(EXAMPLES, dir));
}

export function fixture(name: string): SourceFile {
  const p = path.join(FIXTURES, name);
  return { path: `fixtures/${name}`, content: fs.readFileSync(p, "utf8") };
}

export function source(p: string): SourceFile {
  return { path: p, content: fs.readFileSync(p, "utf8") };
}

export function obj(r: ConversionResult, kind: string, ns: string, name: string): IstioObject {
  const o = r.objects.find(
    (x) => x.kind === kind && x.metadata.namespace === ns && x.metadata.name === name,
  );
  if (!o) {
    const have = r.objects.map((x) => `${x.kind} ${x.metadata.namespace}/${x.metadata.name}`);
    throw new Error(`no ${kind} ${ns}/${name}; have: ${have.join(", ")}`);
  }
  return o;
}

export type HttpRoute = {
  name?: string;
  match?: Record<string, unknown>[];
  route: {
    destination: { host: string; subset?: string; port?: { number: number } };
    weight?: number;
  }[];
  timeout?: string;
  retries?: { attempts: number; perTryTimeout?: string; retryOn?: string };
  rewrite?: { uri?: string; authority?: string };
};

export function httpRoutes(o: IstioObject): HttpRoute[] {
  return (o.spec.http ?? []) as HttpRoute[];
}

export function httpRoute(o: IstioObject, name: string): HttpRoute {
  const r = httpRoutes(o).find((x) => x.name === name);
  if (!r) throw new Error(`no http route ${name} in ${o.kind} ${o.metadata.name}`);
  return r;
}

export function findingsFor(r: ConversionResult, source: string, field?: string): Finding[] {
  return r.findings.filter(
    (f) => f.source === source && (field === undefined || f.field.startsWith(field)),
  );
}

export type Rule = {
  name: string;
  matches?: Record<string, unknown>[];
  backendRefs: { name: string; namespace?: string; port: number; weight?: number; kind?: string }[];
  timeouts?: { request?: string };
  filters?: { type: string; urlRewrite: Record<string, unknown> }[];
};

export function rules(o: K8sObject): Rule[] {
  return (o.spec.rules ?? []) as Rule[];
}

export function rule(o: K8sObject, name: string): Rule {
  const r = rules(o).find((x) => x.name === name);
  if (!r) throw new Error(`no rule ${name} in ${o.kind} ${o.metadata.name}`);
  return r;
}
