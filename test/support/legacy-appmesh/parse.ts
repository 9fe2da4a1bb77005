// Reads App Mesh input (k8s CRD YAML, kubectl Lists, AWS API JSON, CloudFormation) into one checked inventory.
import * as jsyaml from "js-yaml";
import * as YAML from "yaml";
import { cfnToApiDocuments } from "./cloudformation";
import {
  APPMESH_KINDS,
  AppMeshKind,
  BackendGroupSpec,
  checkSpec,
  GatewayRouteSpec,
  MeshSpec,
  Route,
  SchemaKind,
  VirtualGatewaySpec,
  VirtualNodeSpec,
  VirtualRouterSpec,
  VirtualServiceSpec,
} from "./schema";
import { Finding, InputError, Severity, SourceFile } from "./types";

/** Where an object came from, for findings and errors. */
export interface Origin {
  readonly file: string;
  readonly document: number;
  /** Path of the object inside the document when it is not the document itself (List items, CFN resources). */
  readonly at?: string;
}

export interface Entity<S> {
  readonly kind: AppMeshKind;
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly spec: S;
  readonly origin: Origin;
  /** Read from AWS API / CloudFormation shapes (no pod selectors, names are App Mesh names). */
  readonly fromApi: boolean;
}

export interface RouteEntry {
  readonly route: Route;
  readonly origin: Origin;
  /** Field path of the route in its source object, e.g. "spec.routes[2]" or "spec" for an API route. */
  readonly field: string;
  readonly source: string;
}

export interface RouterEntity extends Entity<VirtualRouterSpec> {
  readonly routes: RouteEntry[];
  /** Made up because routes named a router that the input does not define. */
  readonly synthetic: boolean;
}

export interface K8sService {
  readonly name: string;
  readonly namespace: string;
  readonly selector?: Readonly<Record<string, string>>;
  readonly ports: readonly {
    port: number;
    targetPort?: number | string;
    name?: string;
    appProtocol?: string;
  }[];
}

export interface K8sWorkload {
  readonly name: string;
  readonly namespace: string;
  readonly podLabels: Readonly<Record<string, string>>;
  readonly serviceAccount: string;
}

export interface Inventory {
  meshes: Entity<MeshSpec>[];
  nodes: Entity<VirtualNodeSpec>[];
  services: Entity<VirtualServiceSpec>[];
  routers: RouterEntity[];
  gateways: Entity<VirtualGatewaySpec>[];
  gatewayRoutes: Entity<GatewayRouteSpec>[];
  backendGroups: Entity<BackendGroupSpec>[];
  k8sServices: K8sService[];
  workloads: K8sWorkload[];
  findings: Finding[];
}

export function sourceOf(e: { kind: string; namespace: string; name: string }): string {
  // Meshes are cluster-scoped: no namespace in their name.
  return e.kind === "Mesh" ? `Mesh ${e.name}` : `${e.kind} ${e.namespace}/${e.name}`;
}

/** A DNS-1123 name from an App Mesh name (API names may hold capitals and underscores). */
export function k8sName(s: string): string {
  const labels = s
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, "-")
    .split(".")
    .map((l) =>
      l
        .replace(/-+/g, "-")
        .replace(/^-+|-+$/g, "")
        .slice(0, 63)
        .replace(/-+$/, ""),
    )
    .filter((l) => l !== "");
  const out = labels
    .join(".")
    .slice(0, 253)
    .replace(/[^a-z0-9]+$/, "");
  return out === "" ? "unnamed" : out;
}

const KIND_BY_API_KEY: Record<string, AppMeshKind | "Route"> = {
  virtualNodeName: "VirtualNode",
  virtualServiceName: "VirtualService",
  virtualRouterName: "VirtualRouter",
  virtualGatewayName: "VirtualGateway",
};
const DESCRIBE_KEYS: Record<string, AppMeshKind | "Route"> = {
  mesh: "Mesh",
  virtualNode: "VirtualNode",
  virtualService: "VirtualService",
  virtualRouter: "VirtualRouter",
  route: "Route",
  virtualGateway: "VirtualGateway",
  gatewayRoute: "GatewayRoute",
};

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function stringRecord(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObject(v)) return out;
  for (const [k, x] of Object.entries(v)) {
    // Label values are strings; YAML may type `version: 1` or `enabled: true` as scalars.
    if (typeof x === "string" || typeof x === "number" || typeof x === "boolean")
      out[k] = String(x);
  }
  return out;
}

/** Rewrites AWS API spellings into the CRD ones (names become references, Arn becomes ARN). */
export function apiSpecToCrd(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(apiSpecToCrd);
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === "virtualNode" && typeof v === "string") out.virtualNodeRef = { name: k8sName(v) };
    else if (k === "virtualNodeName" && typeof v === "string")
      out.virtualNodeRef = { name: k8sName(v) };
    else if (k === "virtualRouterName" && typeof v === "string")
      out.virtualRouterRef = { name: k8sName(v) };
    else if (k === "virtualServiceName" && typeof v === "string")
      out.virtualServiceRef = { name: k8sName(v) };
    else if (k === "virtualNodeArn") out.virtualNodeARN = v;
    else if (k === "virtualServiceArn") out.virtualServiceARN = v;
    else if (k === "virtualRouterArn") out.virtualRouterARN = v;
    else if (k === "certificateArn") out.certificateARN = v;
    else if (k === "certificateAuthorityArns") out.certificateAuthorityARNs = v;
    else out[k] = apiSpecToCrd(v);
  }
  return out;
}

/**
 * YAML 1.2 core schema as the `yaml` package reads it: js-yaml's CORE_SCHEMA also reads `0b101` as a number,
 * which YAML 1.2 (and so the reference parser) keeps as a string.
 */
const INT_12 = new jsyaml.Type("tag:yaml.org,2002:int", {
  kind: "scalar",
  resolve: (d) => !(typeof d === "string" && /^[-+]?0b/.test(d)) && jsyaml.types.int.resolve(d),
  construct: (d) => {
    const n = jsyaml.types.int.construct(d);
    return n === 0 && typeof d === "string" && d.startsWith("-") ? -0 : n;
  },
  ...(jsyaml.types.int.predicate ? { predicate: jsyaml.types.int.predicate } : {}),
  ...(jsyaml.types.int.represent ? { represent: jsyaml.types.int.represent } : {}),
  ...(jsyaml.types.int.defaultStyle ? { defaultStyle: jsyaml.types.int.defaultStyle } : {}),
});
const SCHEMA_12 = jsyaml.FAILSAFE_SCHEMA.extend({
  implicit: [jsyaml.types.null, jsyaml.types.bool, INT_12, jsyaml.types.float],
});

/** An anchor (`&name`) where a node may start: only then can the input hold aliases. */
const ANCHOR = /(?:^|[\s[{,])&[^\s,[\]{}]/m;

/**
 * Alias nodes allowed per document on the fast path. js-yaml hands aliases on as shared (unexpanded) objects,
 * so a few cannot blow up later walks (at most 2^5 = 32x); more go to the reference parser, whose
 * maxAliasCount rejects alias bombs as before.
 */
const MAX_FAST_ALIASES = 10;

/** Counts alias nodes per document: js-yaml leaves `kind` unset only for aliases and empty nodes. */
function aliasCounter(counts: number[]) {
  return (event: "open" | "close", state: unknown) => {
    const s = state as { kind: string | null; result: unknown; documents: unknown[] };
    if (event === "close" && s.kind === null && s.result !== null) {
      const i = s.documents.length;
      counts[i] = (counts[i] ?? 0) + 1;
    }
  };
}

/**
 * One value per document (null for empty ones). js-yaml is the fast path (the `yaml` package is ~20x slower on
 * large exports); the `yaml` package stays the reference for anything unusual, so behaviour does not change:
 * - syntax errors: it names the first broken document and its line, which js-yaml cannot (it stops at the
 *   first error with no document index);
 * - many aliases: its maxAliasCount guards against alias bombs;
 * - tags js-yaml's core schema does not know (CloudFormation `!Ref`...), which the `yaml` package keeps as
 *   plain values.
 */
function parseDocuments(f: SourceFile): unknown[] {
  const aliases: number[] = [];
  try {
    const docs = jsyaml.loadAll(f.content, null, {
      filename: f.path,
      schema: SCHEMA_12,
      // Only inputs with anchors can hold aliases: the others skip the per-node callback.
      ...(ANCHOR.test(f.content) ? { listener: aliasCounter(aliases) } : {}),
    });
    if (aliases.every((n) => n <= MAX_FAST_ALIASES)) return docs;
  } catch (e) {
    if (!(e instanceof jsyaml.YAMLException)) throw e;
    // Fall through: the reference parser gives the error (or the value) with its document index.
  }
  return parseDocumentsReference(f);
}

function parseDocumentsReference(f: SourceFile): unknown[] {
  const docs = YAML.parseAllDocuments(f.content);
  const list = Array.isArray(docs) ? docs : [];
  // Syntax errors anywhere in the file come first: they say the file is not what the user thinks it is.
  list.forEach((doc, i) => {
    if (doc.errors.length > 0) {
      const e = doc.errors[0];
      const where = e.linePos?.[0]
        ? ` at line ${e.linePos[0].line}, column ${e.linePos[0].col}`
        : "";
      const msg = e.message.split("\n")[0].replace(/ at line \d+, column \d+:?\s*$/, "");
      throw new InputError(f.path, i, `not valid YAML/JSON${where}: ${msg}`);
    }
  });
  return list.map((doc, i) => {
    try {
      return doc.toJS({ maxAliasCount: 100 }) as unknown;
    } catch (e) {
      // Unresolved aliases and alias bombs (maxAliasCount) surface here, not in doc.errors.
      if (!(e instanceof ReferenceError)) throw e;
      throw new InputError(f.path, i, `not valid YAML/JSON: ${e.message}`);
    }
  });
}

class Reader {
  readonly inv: Inventory = {
    meshes: [],
    nodes: [],
    services: [],
    routers: [],
    gateways: [],
    gatewayRoutes: [],
    backendGroups: [],
    k8sServices: [],
    workloads: [],
    findings: [],
  };
  private readonly apiRoutes: { router: string; namespace: string; entry: RouteEntry }[] = [];
  /** Kubernetes objects read so far (apiVersion/kind/namespace/name -> the document as JSON). */
  private readonly seen = new Map<string, string>();

  constructor(private readonly defaultNamespace: string) {}

  finding(severity: Severity, source: string, field: string, reason: string, origin?: Origin) {
    this.inv.findings.push({
      severity,
      source,
      field,
      reason,
      ...(origin ? { file: origin.file, document: origin.document } : {}),
    });
  }

  readFile(f: SourceFile): void {
    parseDocuments(f).forEach((value, i) => {
      if (value === null || value === undefined) return;
      this.readValue(value, { file: f.path, document: i });
    });
  }

  private readValue(value: unknown, origin: Origin): void {
    if (!isObject(value)) {
      throw new InputError(
        origin.file,
        origin.document,
        `expected a mapping (object), got ${typeName(value)}`,
      );
    }
    if (typeof value.apiVersion === "string" && typeof value.kind === "string") {
      this.readK8s(value, origin);
      return;
    }
    if (isObject(value.Resources) || typeof value.AWSTemplateFormatVersion === "string") {
      const { docs, findings } = cfnToApiDocuments(value);
      for (const f of findings) this.finding(f.severity, f.source, f.field, f.reason, origin);
      for (const d of docs)
        this.readApi(d.kind, d.body, { ...origin, at: `Resources.${d.logicalId}` });
      return;
    }
    for (const [key, kind] of Object.entries(DESCRIBE_KEYS)) {
      const inner = value[key];
      if (Object.keys(value).length === 1 && isObject(inner) && "spec" in inner) {
        this.readApi(kind, inner, origin);
        return;
      }
    }
    if (typeof value.meshName === "string" && "spec" in value) {
      let kind: AppMeshKind | "Route" = "Mesh";
      if (typeof value.routeName === "string") kind = "Route";
      else if (typeof value.gatewayRouteName === "string") kind = "GatewayRoute";
      else {
        for (const [k, kk] of Object.entries(KIND_BY_API_KEY))
          if (typeof value[k] === "string") kind = kk;
      }
      this.readApi(kind, value, origin);
      return;
    }
    throw new InputError(
      origin.file,
      origin.document,
      "not an App Mesh document: expected apiVersion appmesh.k8s.aws/v1beta2 (or a v1 List, Service, Deployment), " +
        "an AWS App Mesh API JSON document (meshName + spec, or describe-* output) or a CloudFormation template",
    );
  }

  private readK8s(value: Record<string, unknown>, origin: Origin): void {
    const apiVersion = value.apiVersion as string;
    const kind = value.kind as string;
    const at = origin.at ? `${origin.at}.` : "";
    if (kind === "List" || (kind.endsWith("List") && Array.isArray(value.items))) {
      const items = Array.isArray(value.items) ? value.items : [];
      items.forEach((item, i) => this.readValue(item, { ...origin, at: `${at}items[${i}]` }));
      return;
    }
    const meta = isObject(value.metadata) ? value.metadata : {};
    const name = typeof meta.name === "string" ? meta.name : "";
    const namespace =
      typeof meta.namespace === "string" && meta.namespace !== ""
        ? meta.namespace
        : this.defaultNamespace;
    // The same object twice (a Mesh or a shared Service in several per-namespace exports read together)
    // is one object, as it is for `kubectl apply -f`: read it once.
    if (name !== "") {
      const id = `${apiVersion}|${kind}|${namespace}|${name}`;
      const doc = JSON.stringify(value);
      if (this.seen.get(id) === doc) return;
      if (!this.seen.has(id)) this.seen.set(id, doc);
    }
    if (apiVersion.startsWith("appmesh.k8s.aws/")) {
      if (apiVersion !== "appmesh.k8s.aws/v1beta2") {
        throw new InputError(
          origin.file,
          origin.document,
          `${at}apiVersion "${apiVersion}" is unsupported: upgrade to appmesh.k8s.aws/v1beta2 ` +
            "(the App Mesh controller v1.0+ API) and convert that",
        );
      }
      if (!(APPMESH_KINDS as readonly string[]).includes(kind)) {
        throw new InputError(
          origin.file,
          origin.document,
          `${at}kind "${kind}" is not an App Mesh kind; allowed: ${APPMESH_KINDS.join(", ")}`,
        );
      }
      if (name === "") {
        throw new InputError(
          origin.file,
          origin.document,
          `${at}metadata.name is required for ${kind}`,
        );
      }
      this.addEntity(
        kind as AppMeshKind,
        name,
        namespace,
        stringRecord(meta.labels),
        value.spec,
        origin,
        false,
      );
      return;
    }
    if (apiVersion === "v1" && kind === "Service") {
      const spec = isObject(value.spec) ? value.spec : {};
      const ports = Array.isArray(spec.ports) ? spec.ports.filter(isObject) : [];
      this.inv.k8sServices.push({
        name,
        namespace,
        ...(isObject(spec.selector) ? { selector: stringRecord(spec.selector) } : {}),
        ports: ports
          .filter((p) => typeof p.port === "number")
          .map((p) => ({
            port: p.port as number,
            ...(typeof p.targetPort === "number" || typeof p.targetPort === "string"
              ? { targetPort: p.targetPort }
              : {}),
            ...(typeof p.name === "string" ? { name: p.name } : {}),
            ...(typeof p.appProtocol === "string" ? { appProtocol: p.appProtocol } : {}),
          })),
      });
      return;
    }
    if (apiVersion === "apps/v1" && ["Deployment", "StatefulSet", "DaemonSet"].includes(kind)) {
      const spec = isObject(value.spec) ? value.spec : {};
      const template = isObject(spec.template) ? spec.template : {};
      const tmeta = isObject(template.metadata) ? template.metadata : {};
      const tspec = isObject(template.spec) ? template.spec : {};
      this.inv.workloads.push({
        name,
        namespace,
        podLabels: stringRecord(tmeta.labels),
        serviceAccount:
          typeof tspec.serviceAccountName === "string" ? tspec.serviceAccountName : "default",
      });
      return;
    }
    // Namespaces, ConfigMaps, ServiceAccounts...: not mesh configuration; say so rather than drop silently.
    this.finding(
      "info",
      `${kind} ${namespace}/${name}`,
      "kind",
      `${apiVersion} ${kind} is not mesh configuration; ignored`,
      origin,
    );
  }

  private readApi(
    kind: AppMeshKind | "Route",
    body: Record<string, unknown>,
    origin: Origin,
  ): void {
    const nameKey: Record<AppMeshKind | "Route", string> = {
      Mesh: "meshName",
      VirtualNode: "virtualNodeName",
      VirtualService: "virtualServiceName",
      VirtualRouter: "virtualRouterName",
      VirtualGateway: "virtualGatewayName",
      GatewayRoute: "gatewayRouteName",
      BackendGroup: "backendGroupName",
      Route: "routeName",
    };
    const awsName = body[nameKey[kind]];
    if (typeof awsName !== "string" || awsName === "") {
      throw new InputError(
        origin.file,
        origin.document,
        `${kind}: "${nameKey[kind]}" is required (a string)`,
      );
    }
    const spec = apiSpecToCrd(isObject(body.spec) ? body.spec : {}) as Record<string, unknown>;
    const ns = this.defaultNamespace;
    if (kind === "Route") {
      const routerName = typeof body.virtualRouterName === "string" ? body.virtualRouterName : "";
      if (routerName === "") {
        throw new InputError(
          origin.file,
          origin.document,
          `Route "${awsName}": "virtualRouterName" is required`,
        );
      }
      const route = { name: awsName, ...spec };
      const source = `Route ${ns}/${k8sName(routerName)}/${awsName}`;
      const checked = checkSpec("Route", route);
      if ("problems" in checked) throw this.problemError(checked.problems, origin, source);
      for (const f of checked.unknownFields)
        this.finding("warning", source, f, "field is not defined by App Mesh; ignored", origin);
      this.apiRoutes.push({
        router: k8sName(routerName),
        namespace: ns,
        entry: { route: checked.spec, origin, field: "spec", source },
      });
      return;
    }
    if (kind === "GatewayRoute" && typeof body.virtualGatewayName === "string") {
      spec.virtualGatewayRef = { name: k8sName(body.virtualGatewayName) };
    }
    if (
      (kind === "VirtualService" || kind === "VirtualNode" || kind === "VirtualRouter") &&
      !("awsName" in spec)
    ) {
      spec.awsName = awsName;
    }
    if (kind === "Mesh" && typeof body.meshOwner === "string") spec.meshOwner = body.meshOwner;
    this.addEntity(kind, k8sName(awsName), ns, {}, spec, origin, true);
  }

  private problemError(
    problems: { field: string; message: string }[],
    origin: Origin,
    source: string,
  ) {
    const at = origin.at ? `${origin.at}: ` : "";
    const list = problems
      .slice(0, 5)
      .map((p) => `${p.field}: ${p.message}`)
      .join("; ");
    const more = problems.length > 5 ? ` (and ${problems.length - 5} more)` : "";
    return new InputError(origin.file, origin.document, `${at}${source}: ${list}${more}`);
  }

  private addEntity(
    kind: AppMeshKind,
    name: string,
    namespace: string,
    labels: Record<string, string>,
    rawSpec: unknown,
    origin: Origin,
    fromApi: boolean,
  ): void {
    const source = sourceOf({ kind, namespace, name });
    const checked = checkSpec(kind as SchemaKind, rawSpec);
    if ("problems" in checked) throw this.problemError(checked.problems, origin, source);
    for (const f of checked.unknownFields) {
      this.finding(
        "warning",
        source,
        f,
        "field is not defined by the appmesh.k8s.aws/v1beta2 CRD (the API server prunes it, so App Mesh never applied it); ignored",
        origin,
      );
    }
    const base = { kind, name, namespace, labels, origin, fromApi };
    const spec = checked.spec as never;
    switch (kind) {
      case "Mesh":
        this.inv.meshes.push({ ...base, spec });
        break;
      case "VirtualNode":
        this.inv.nodes.push({ ...base, spec });
        break;
      case "VirtualService":
        this.inv.services.push({ ...base, spec });
        break;
      case "VirtualRouter": {
        const vr = checked.spec as VirtualRouterSpec;
        this.inv.routers.push({
          ...base,
          spec,
          synthetic: false,
          routes: (vr.routes ?? []).map((route, i) => ({
            route,
            origin,
            field: `spec.routes[${i}]`,
            source,
          })),
        });
        break;
      }
      case "VirtualGateway":
        this.inv.gateways.push({ ...base, spec });
        break;
      case "GatewayRoute":
        this.inv.gatewayRoutes.push({ ...base, spec });
        break;
      case "BackendGroup":
        this.inv.backendGroups.push({ ...base, spec });
        break;
      default: {
        const never: never = kind;
        throw new Error(`unhandled kind ${String(never)}`);
      }
    }
  }

  /** Attaches AWS API / CloudFormation routes to their routers (made up when the input lacks them). */
  finish(): Inventory {
    for (const { router, namespace, entry } of this.apiRoutes) {
      let r = this.inv.routers.find((x) => x.name === router && x.namespace === namespace);
      if (!r) {
        r = {
          kind: "VirtualRouter",
          name: router,
          namespace,
          labels: {},
          spec: {},
          origin: entry.origin,
          fromApi: true,
          routes: [],
          synthetic: true,
        };
        this.inv.routers.push(r);
      }
      r.routes.push(entry);
    }
    return this.inv;
  }
}

function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  return `a ${typeof v}`;
}

/** Parses and checks every file; throws InputError on the first unreadable document. */
export function readInventory(files: readonly SourceFile[], defaultNamespace: string): Inventory {
  const r = new Reader(defaultNamespace);
  for (const f of files) r.readFile(f);
  return r.finish();
}
