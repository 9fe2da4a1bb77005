// Reads App Mesh input (k8s CRD YAML, kubectl Lists, AWS API JSON, CloudFormation) into one checked inventory.
import { k8sName, nameProblem, quote } from "../names";
import { InputError, Severity, SourceFile } from "../types";
import {
  apiSpecToCrd,
  DESCRIBE_KEYS,
  isObject,
  KIND_BY_API_KEY,
  NAME_KEYS,
  stringRecord,
} from "./api";
import { cfnToApiDocuments } from "./cloudformation";
import { APPMESH_KINDS, AppMeshKind, checkSpec, SchemaKind, VirtualRouterSpec } from "./schema";
import { readNodeFact, servicePorts } from "./kubernetes";
import type { Inventory, Origin, RouteEntry } from "./types";

export type {
  Entity,
  Inventory,
  K8sService,
  K8sWorkload,
  Origin,
  RouteEntry,
  RouterEntity,
} from "./types";
import { parseDocuments } from "./yaml-input";

export function sourceOf(e: { kind: string; namespace: string; name: string }): string {
  // Meshes are cluster-scoped: no namespace in their name.
  return e.kind === "Mesh" ? `Mesh ${e.name}` : `${e.kind} ${e.namespace}/${e.name}`;
}

function where(o: Origin): string {
  return `${o.file}#${o.document}${o.at ? ` ${o.at}` : ""}`;
}

function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  return `a ${typeof v}`;
}

const NAMESPACE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
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
    nodeFacts: { fargatePods: [], securityGroupPolicies: [] },
    findings: [],
  };
  private readonly apiRoutes: { router: string; namespace: string; entry: RouteEntry }[] = [];
  /** Every object read, by kind/namespace/name, with its content: duplicates are reported, never merged. */
  private readonly seen = new Map<string, { origin: Origin; content: unknown }>();

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

  /**
   * True when the object is new. An identical copy is the same object (a Mesh or a shared Service in several
   * per-namespace exports read together), as for `kubectl apply -f`: read once. A second, different
   * definition of the same kind/namespace/name is not converted and is a blocker (which one App Mesh runs
   * cannot be known from the files).
   */
  private firstDefinition(source: string, content: unknown, origin: Origin): boolean {
    const prev = this.seen.get(source);
    if (!prev) {
      // Compared as JSON only when a second definition appears: most inputs have none.
      this.seen.set(source, { origin, content });
      return true;
    }
    if (JSON.stringify(prev.content) === JSON.stringify(content)) return false;
    this.finding(
      "blocker",
      source,
      "metadata.name",
      `defined twice with different content (${where(prev.origin)} and ${where(origin)}); only the first is converted: remove the one App Mesh does not run`,
      origin,
    );
    return false;
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
      const inner = Object.hasOwn(value, key) ? value[key] : undefined;
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

  /** metadata.namespace as Kubernetes allows it; anything else could not exist in a cluster: invalid input. */
  private namespaceOf(meta: Record<string, unknown>, kind: string, origin: Origin): string {
    const at = origin.at ? `${origin.at}.` : "";
    const ns = meta.namespace;
    if (ns === undefined || ns === null || ns === "") return this.defaultNamespace;
    if (typeof ns !== "string" || ns.length > 63 || !NAMESPACE.test(ns)) {
      throw new InputError(
        origin.file,
        origin.document,
        `${at}${kind} ${typeof meta.name === "string" ? quote(meta.name, 60) : ""}: metadata.namespace ` +
          `${typeof ns === "string" ? quote(ns, 60) : `(${typeName(ns)})`} is not a Kubernetes namespace ` +
          "(a DNS-1123 label: lower-case letters, digits and '-', at most 63 characters)",
      );
    }
    return ns;
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
    const namespace = this.namespaceOf(meta, kind, origin);
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
          `${at}kind ${quote(kind, 60)} is not an App Mesh kind; allowed: ${APPMESH_KINDS.join(", ")}`,
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
    const source = `${kind} ${namespace}/${name}`;
    if (readNodeFact(this.inv.nodeFacts, value, { name, namespace, origin })) return;
    const k8sKind =
      (apiVersion === "v1" && kind === "Service") ||
      (apiVersion === "apps/v1" && ["Deployment", "StatefulSet", "DaemonSet"].includes(kind));
    if (k8sKind && (name.length > 63 || !/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(name))) {
      // Such an object cannot exist in a cluster; matching routes against it would invent endpoints.
      this.finding(
        "warning",
        `${kind} ${namespace}/${quote(name, 60)}`,
        "metadata.name",
        `${quote(name, 60)} is not a valid ${kind} name (a DNS-1035 label); ignored`,
        origin,
      );
      return;
    }
    if (apiVersion === "v1" && kind === "Service") {
      const spec = isObject(value.spec) ? value.spec : {};
      if (!this.firstDefinition(source, spec, origin)) return;
      const ports = Array.isArray(spec.ports) ? spec.ports.filter(isObject) : [];
      this.inv.k8sServices.push({
        name,
        namespace,
        origin,
        ...(isObject(spec.selector) ? { selector: stringRecord(spec.selector) } : {}),
        ports: servicePorts(ports, (field, value) =>
          this.finding(
            "warning",
            source,
            `spec.ports[].${field}`,
            `${quote(String(value), 60)} is not a valid ${field}; left out`,
            origin,
          ),
        ),
      });
      return;
    }
    if (apiVersion === "apps/v1" && ["Deployment", "StatefulSet", "DaemonSet"].includes(kind)) {
      const spec = isObject(value.spec) ? value.spec : {};
      if (!this.firstDefinition(source, spec, origin)) return;
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
      source,
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
    const nameKey = NAME_KEYS[kind];
    const awsName = body[nameKey];
    if (typeof awsName !== "string" || awsName === "") {
      throw new InputError(
        origin.file,
        origin.document,
        `${kind}: "${nameKey}" is required (a string)`,
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
          `Route ${quote(awsName, 60)}: "virtualRouterName" is required`,
        );
      }
      const route = { name: awsName, ...spec };
      const source = `Route ${ns}/${k8sName(routerName)}/${awsName}`;
      const checked = checkSpec("Route", route);
      if ("problems" in checked) throw this.problemError(checked.problems, origin, source);
      if (!this.firstDefinition(source, checked.spec, origin)) return;
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
    if (!this.firstDefinition(source, { labels, spec: checked.spec }, origin)) return;
    for (const f of checked.unknownFields) {
      this.finding(
        "warning",
        source,
        f,
        "field is not defined by the appmesh.k8s.aws/v1beta2 CRD (the API server prunes it, so App Mesh never applied it); ignored",
        origin,
      );
    }
    const problem = fromApi ? undefined : nameProblem(name);
    if (problem) {
      this.finding(
        "warning",
        source,
        "metadata.name",
        `the name ${quote(name)} ${problem}, so no cluster could hold this object; converted objects are named ${quote(k8sName(name))}`,
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
        const routes: RouteEntry[] = [];
        const names = new Set<string>();
        (vr.routes ?? []).forEach((route, i) => {
          const field = `spec.routes[${i}]`;
          if (names.has(route.name)) {
            // App Mesh refuses a second route of the same name; the first one is what it could have run.
            this.finding(
              "blocker",
              source,
              field,
              `route name ${quote(route.name)} is used twice in this router; only the first is converted`,
              origin,
            );
            return;
          }
          names.add(route.name);
          routes.push({ route, origin, field, source });
        });
        this.inv.routers.push({ ...base, spec, synthetic: false, routes });
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

/** Parses and checks every file; throws InputError on the first unreadable document. */
export function readInventory(files: readonly SourceFile[], defaultNamespace: string): Inventory {
  const r = new Reader(defaultNamespace);
  for (const f of files) r.readFile(f);
  return r.finish();
}
