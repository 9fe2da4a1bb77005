// TEMPORARY: the pre-rewrite converter, kept only for the istio parity test until the rewrite is done.
// The App Mesh -> Istio conversion: the inventory in, Istio objects and findings out (see reference/appmesh-to-istio.md).
import {
  Entity,
  Inventory,
  K8sService,
  k8sName,
  Origin,
  readInventory,
  RouteEntry,
  RouterEntity,
  sourceOf,
} from "./parse";
import {
  APPMESH_DEFAULT_RETRIES,
  APPMESH_DEFAULT_TIMEOUT_MS,
  compareKeys,
  durationMillis,
  durationString,
  millisString,
  normalizeWeights,
  retryOn,
  specificity,
  stringMatch,
} from "./routes";
import {
  ClientPolicy,
  GatewayRouteSpec,
  HeaderMatch,
  LabelSelector,
  Listener,
  Ref,
  RetryPolicy,
  Route,
  VirtualGatewaySpec,
  VirtualNodeSpec,
  VirtualServiceSpec,
} from "./schema";
import {
  ConversionResult,
  ConvertOptions,
  Finding,
  IstioObject,
  Severity,
  SEVERITIES,
  SourceFile,
} from "./types";

type Obj = Record<string, unknown>;
type NodeEntity = Entity<VirtualNodeSpec>;
type VsEntity = Entity<VirtualServiceSpec>;

const NETWORKING = "networking.istio.io/v1";
const SECURITY = "security.istio.io/v1";
const KIND_ORDER = [
  "Gateway",
  "VirtualService",
  "DestinationRule",
  "ServiceEntry",
  "Sidecar",
  "PeerAuthentication",
  "AuthorizationPolicy",
];
const CLUSTER_SUFFIX = ".svc.cluster.local";

/** The HTTP match fields VirtualRouter routes and GatewayRoutes share. */
interface HttpMatchLike {
  prefix?: string;
  path?: { exact?: string; regex?: string };
  headers?: HeaderMatch[];
  method?: string;
  queryParameters?: { name: string; match?: { exact?: string } }[];
  scheme?: string;
  port?: number;
}

/** Where traffic for a VirtualNode goes in Istio. */
interface NodeTarget {
  host: string;
  /** Namespace of the host (the Service's namespace, or the node's for external hosts). */
  hostNamespace: string;
  inCluster: boolean;
  subset?: string;
  service?: K8sService;
}

interface DrContribution {
  namespace: string;
  name: string;
  host: string;
  subsets: Map<string, { labels: Record<string, string>; trafficPolicy?: Obj }>;
  trafficPolicy: Obj;
  sources: Set<string>;
}

function key(ns: string, name: string): string {
  return `${ns}/${name}`;
}

function isEmpty(o: object | undefined): boolean {
  return !o || Object.keys(o).length === 0;
}

/** Drops undefined values so objects serialize and validate the same way. */
function clean<T>(v: T): T {
  if (Array.isArray(v)) return v.map(clean) as T;
  if (v !== null && typeof v === "object") {
    const out: Obj = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = clean(x);
    return out as T;
  }
  return v;
}

/** A Kubernetes Service host `<svc>.<ns>.svc.cluster.local`, or undefined when the name is not one. */
export function clusterHost(name: string, defaultNs: string, knownNamespaces: ReadonlySet<string>) {
  const h = name.toLowerCase().replace(/\.$/, "");
  if (!h.includes("."))
    return { host: `${h}.${defaultNs}${CLUSTER_SUFFIX}`, svc: h, ns: defaultNs };
  const m = /^([a-z0-9-]+)\.([a-z0-9-]+)(\.svc(\.cluster\.local)?)?$/.exec(h);
  if (m && (m[3] !== undefined || knownNamespaces.has(m[2]))) {
    return { host: `${m[1]}.${m[2]}${CLUSTER_SUFFIX}`, svc: m[1], ns: m[2] };
  }
  return undefined;
}

function selectorLabels(sel: LabelSelector | undefined): Record<string, string> | undefined {
  if (!sel || isEmpty(sel.matchLabels)) return undefined;
  return { ...sel.matchLabels };
}

function subsetOf(
  small: Readonly<Record<string, string>>,
  big: Readonly<Record<string, string>>,
): boolean {
  return Object.entries(small).every(([k, v]) => big[k] === v);
}

function gatewayProtocol(p: string, tls: boolean): string {
  if (tls) return "HTTPS";
  return p === "http2" ? "HTTP2" : p === "grpc" ? "GRPC" : "HTTP";
}

function portProtocol(p: string): string {
  return p === "http2" ? "HTTP2" : p === "grpc" ? "GRPC" : p === "tcp" ? "TCP" : "HTTP";
}

class Converter {
  private readonly findings: Finding[];
  private readonly objects = new Map<string, IstioObject>();
  private readonly nodes = new Map<string, NodeEntity>();
  private readonly services = new Map<string, VsEntity>();
  private readonly routers = new Map<string, RouterEntity>();
  private readonly gateways = new Map<string, Entity<VirtualGatewaySpec>>();
  private readonly k8sServices = new Map<string, K8sService>();
  private readonly serviceNamespaces = new Set<string>();
  private readonly namespaces = new Set<string>();
  private readonly targets = new Map<string, NodeTarget>();
  private readonly drs = new Map<string, DrContribution>();
  private readonly routerUsed = new Set<string>();
  private dropAll = false;

  constructor(private readonly inv: Inventory) {
    this.findings = [...inv.findings];
    for (const n of inv.nodes) this.nodes.set(key(n.namespace, n.name), n);
    for (const s of inv.services) this.services.set(key(s.namespace, s.name), s);
    for (const r of inv.routers) this.routers.set(key(r.namespace, r.name), r);
    for (const g of inv.gateways) this.gateways.set(key(g.namespace, g.name), g);
    for (const s of inv.k8sServices) {
      this.k8sServices.set(key(s.namespace, s.name), s);
      this.serviceNamespaces.add(s.namespace);
    }
    for (const list of [
      inv.nodes,
      inv.services,
      inv.routers,
      inv.gateways,
      inv.gatewayRoutes,
      inv.k8sServices,
    ]) {
      for (const e of list) this.namespaces.add(e.namespace);
    }
  }

  private find(
    sev: Severity,
    e: { kind: string; namespace: string; name: string; origin?: Origin },
    field: string,
    reason: string,
  ) {
    this.findings.push({
      severity: sev,
      source: sourceOf(e),
      field,
      reason,
      ...(e.origin ? { file: e.origin.file, document: e.origin.document } : {}),
    });
  }

  private findAt(sev: Severity, source: string, origin: Origin, field: string, reason: string) {
    this.findings.push({
      severity: sev,
      source,
      field,
      reason,
      file: origin.file,
      document: origin.document,
    });
  }

  private emit(
    kind: string,
    namespace: string,
    name: string,
    spec: Obj,
    from: string,
  ): IstioObject {
    const apiVersion =
      kind === "PeerAuthentication" || kind === "AuthorizationPolicy" ? SECURITY : NETWORKING;
    let n = k8sName(name);
    for (let i = 2; this.objects.has(`${kind}/${namespace}/${n}`); i++) n = `${k8sName(name)}-${i}`;
    const obj: IstioObject = {
      apiVersion,
      kind,
      metadata: {
        name: n,
        namespace,
        labels: { "app.kubernetes.io/managed-by": "meshlift" },
        annotations: { "meshlift.io/converted-from": from },
      },
      spec: clean(spec),
    };
    this.objects.set(`${kind}/${namespace}/${n}`, obj);
    return obj;
  }

  run(): ConversionResult {
    this.meshes();
    for (const n of this.inv.nodes) this.resolveNode(n);
    this.assignSubsets();
    for (const vs of this.inv.services) this.virtualService(vs);
    for (const r of this.inv.routers) {
      if (this.routerUsed.has(key(r.namespace, r.name))) continue;
      const host = `${k8sName(r.name)}.${r.namespace}${CLUSTER_SUFFIX}`;
      this.find(
        "warning",
        r,
        "metadata.name",
        r.synthetic
          ? `routes name this router but neither it nor a VirtualService using it is in the input; host "${host}" assumed: set hosts to the name clients call`
          : `no VirtualService in the input uses this router; host "${host}" assumed: set hosts to the name clients call`,
      );
      this.routerVirtualService(r, r.name, r.namespace, host, sourceOf(r));
    }
    for (const n of this.inv.nodes) this.nodeServerSide(n);
    for (const e of [...this.inv.routers, ...this.inv.gateways, ...this.inv.gatewayRoutes]) {
      if (e.spec.awsName && !e.fromApi) {
        this.find("info", e, "spec.awsName", "App Mesh names have no Istio equivalent");
      }
    }
    this.gatewaysAndRoutes();
    for (const dr of [...this.drs.values()]) this.emitDr(dr);
    return { objects: this.sortedObjects(), findings: this.sortedFindings() };
  }

  // ---- Mesh ---------------------------------------------------------------------------------------

  private meshes(): void {
    const modes = new Set<string>();
    for (const m of this.inv.meshes) {
      const s = m.spec;
      const sel = s.namespaceSelector?.matchLabels;
      this.find(
        "info",
        m,
        "spec.namespaceSelector",
        `the mesh is the Istio installation: label the member namespaces istio-injection=enabled${
          sel ? ` (App Mesh selected namespaces by ${JSON.stringify(sel)})` : ""
        }`,
      );
      const type = s.egressFilter?.type ?? "ALLOW_ALL";
      modes.add(type);
      if (type === "DROP_ALL") {
        this.dropAll = true;
        this.find(
          "warning",
          m,
          "spec.egressFilter.type",
          "DROP_ALL -> outboundTrafficPolicy REGISTRY_ONLY: set meshConfig.outboundTrafficPolicy.mode=REGISTRY_ONLY at install; " +
            "the generated Sidecars carry it per workload. Istio notes REGISTRY_ONLY is not a firewall",
        );
      }
      if (s.meshOwner)
        this.find(
          "warning",
          m,
          "spec.meshOwner",
          "shared (cross-account) meshes have no Istio equivalent",
        );
      if (s.awsName)
        this.find("info", m, "spec.awsName", "App Mesh names have no Istio equivalent");
      if (s.serviceDiscovery?.ipPreference) {
        this.find(
          "info",
          m,
          "spec.serviceDiscovery.ipPreference",
          "IP family preference has no Istio field (cluster-level setting)",
        );
      }
    }
    if (modes.size > 1) {
      this.findings.push({
        severity: "warning",
        source: "Mesh *",
        field: "spec.egressFilter.type",
        reason: "meshes disagree on egressFilter; REGISTRY_ONLY applied to every generated Sidecar",
      });
    }
  }

  // ---- VirtualNode -> host ------------------------------------------------------------------------

  private nodeTarget(ns: string, name: string): NodeTarget | undefined {
    return this.targets.get(key(ns, name));
  }

  private resolveNode(n: NodeEntity): void {
    const sd = n.spec.serviceDiscovery;
    let t: NodeTarget | undefined;
    if (sd?.dns) {
      const c = clusterHost(sd.dns.hostname, n.namespace, this.namespaces);
      if (c) {
        const svc = this.k8sServices.get(key(c.ns, c.svc));
        t = {
          host: c.host,
          hostNamespace: c.ns,
          inCluster: true,
          ...(svc ? { service: svc } : {}),
        };
        if (!svc && this.serviceNamespaces.has(c.ns)) {
          this.find(
            "warning",
            n,
            "spec.serviceDiscovery.dns.hostname",
            `no Kubernetes Service ${c.ns}/${c.svc} in the input for "${sd.dns.hostname}"; create it or Istio has no endpoints for ${c.host}`,
          );
        }
      } else {
        t = { host: sd.dns.hostname.toLowerCase(), hostNamespace: n.namespace, inCluster: false };
      }
      if (sd.dns.responseType) {
        this.find(
          "info",
          n,
          "spec.serviceDiscovery.dns.responseType",
          `${sd.dns.responseType} has no exact Istio equivalent (closest: ServiceEntry resolution DNS / DNS_ROUND_ROBIN)`,
        );
      }
      if (sd.dns.ipPreference)
        this.find(
          "info",
          n,
          "spec.serviceDiscovery.dns.ipPreference",
          "IP family preference has no Istio field",
        );
    } else if (sd?.awsCloudMap) {
      const cm = sd.awsCloudMap;
      const svcName = k8sName(cm.serviceName);
      const svc = this.k8sServices.get(key(n.namespace, svcName));
      const host = `${svcName}.${n.namespace}${CLUSTER_SUFFIX}`;
      t = { host, hostNamespace: n.namespace, inCluster: true, ...(svc ? { service: svc } : {}) };
      if (svc) {
        this.find(
          "warning",
          n,
          "spec.serviceDiscovery.awsCloudMap",
          `Cloud Map ${cm.serviceName}.${cm.namespaceName} replaced by the Kubernetes Service ${n.namespace}/${svcName} (${host})`,
        );
      } else {
        this.find(
          this.serviceNamespaces.has(n.namespace) ? "blocker" : "warning",
          n,
          "spec.serviceDiscovery.awsCloudMap",
          `Cloud Map ${cm.serviceName}.${cm.namespaceName} has no Kubernetes Service behind it${
            this.serviceNamespaces.has(n.namespace) ? "" : " in the input"
          }; Istio routes to ${host}: create a Service ${n.namespace}/${svcName} selecting ${JSON.stringify(n.spec.podSelector?.matchLabels ?? {})}`,
        );
      }
      if (cm.attributes?.length) {
        this.find(
          "info",
          n,
          "spec.serviceDiscovery.awsCloudMap.attributes",
          "Cloud Map attribute filters have no Istio equivalent; pods are told apart by podSelector labels (DestinationRule subsets) instead",
        );
      }
      if (cm.ipPreference)
        this.find(
          "info",
          n,
          "spec.serviceDiscovery.awsCloudMap.ipPreference",
          "IP family preference has no Istio field",
        );
    } else {
      const labels = selectorLabels(n.spec.podSelector);
      const svc = labels
        ? this.inv.k8sServices.find(
            (s) =>
              s.namespace === n.namespace &&
              s.selector &&
              !isEmpty(s.selector) &&
              subsetOf(s.selector, labels),
          )
        : undefined;
      if (svc) {
        t = {
          host: `${svc.name}.${svc.namespace}${CLUSTER_SUFFIX}`,
          hostNamespace: svc.namespace,
          inCluster: true,
          service: svc,
        };
        this.find(
          "info",
          n,
          "spec.serviceDiscovery",
          `no service discovery; the Kubernetes Service ${svc.namespace}/${svc.name} selects its pods and is used`,
        );
      } else {
        const host = `${k8sName(n.name)}.${n.namespace}${CLUSTER_SUFFIX}`;
        t = { host, hostNamespace: n.namespace, inCluster: true };
        this.find(
          "warning",
          n,
          "spec.serviceDiscovery",
          `no service discovery and no Service selecting its pods in the input; host ${host} assumed`,
        );
      }
    }
    this.targets.set(key(n.namespace, n.name), t);
  }

  /** Several VirtualNodes behind one host become DestinationRule subsets told apart by their pod labels. */
  private assignSubsets(): void {
    const byHost = new Map<string, NodeEntity[]>();
    for (const n of this.inv.nodes) {
      const t = this.nodeTarget(n.namespace, n.name)!;
      if (!t.inCluster) continue;
      byHost.set(t.host, [...(byHost.get(t.host) ?? []), n]);
    }
    for (const [host, nodes] of byHost) {
      if (nodes.length < 2) continue;
      for (const n of nodes) {
        const labels = selectorLabels(n.spec.podSelector);
        if (!labels) {
          this.find(
            "warning",
            n,
            "spec.podSelector",
            `shares host ${host} with ${nodes.length - 1} other VirtualNode(s) but has no podSelector labels to tell its pods apart; routed to the whole Service`,
          );
          continue;
        }
        const t = this.nodeTarget(n.namespace, n.name)!;
        t.subset = k8sName(n.name);
        const dr = this.dr(t);
        dr.subsets.set(t.subset, { labels });
        dr.sources.add(sourceOf(n));
      }
    }
  }

  private dr(t: NodeTarget): DrContribution {
    const k = t.host;
    let dr = this.drs.get(k);
    if (!dr) {
      const name = t.inCluster ? t.host.slice(0, t.host.indexOf(".")) : t.host;
      dr = {
        namespace: t.hostNamespace,
        name,
        host: t.host,
        subsets: new Map(),
        trafficPolicy: {},
        sources: new Set(),
      };
      this.drs.set(k, dr);
    }
    return dr;
  }

  private emitDr(dr: DrContribution): void {
    if (dr.subsets.size === 0 && isEmpty(dr.trafficPolicy)) return;
    const subsets = [...dr.subsets.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, s]) => ({
        name,
        labels: s.labels,
        ...(s.trafficPolicy ? { trafficPolicy: s.trafficPolicy } : {}),
      }));
    this.emit(
      "DestinationRule",
      dr.namespace,
      dr.name,
      {
        host: dr.host,
        ...(isEmpty(dr.trafficPolicy) ? {} : { trafficPolicy: dr.trafficPolicy }),
        ...(subsets.length ? { subsets } : {}),
      },
      [...dr.sources].sort().join(", "),
    );
  }

  /** A Service port for a node's container (listener) port, as Istio destinations name Service ports. */
  private servicePort(t: NodeTarget, containerPort: number): number {
    const svc = t.service;
    if (!svc) return containerPort;
    const byTarget = svc.ports.find((p) => p.targetPort === containerPort);
    if (byTarget) return byTarget.port;
    return containerPort;
  }

  // ---- VirtualService ----------------------------------------------------------------------------

  private vsHost(vs: VsEntity): { host: string; inCluster: boolean } {
    const name = vs.spec.awsName ?? `${vs.name}.${vs.namespace}`;
    const c = clusterHost(name, vs.namespace, new Set([...this.namespaces, vs.namespace]));
    if (c) return { host: c.host, inCluster: true };
    return { host: name.toLowerCase(), inCluster: false };
  }

  private lookupVs(ref: Ref | undefined, ns: string): VsEntity | undefined {
    return ref ? this.services.get(key(ref.namespace ?? ns, ref.name)) : undefined;
  }

  /** A VirtualService whose provider the input does not define: reported, nothing emitted. */
  private missingProvider(
    vs: VsEntity,
    kind: "VirtualRouter" | "VirtualNode",
    ref: Ref,
    host: string,
  ): void {
    const field =
      kind === "VirtualRouter" ? "virtualRouter.virtualRouterRef" : "virtualNode.virtualNodeRef";
    this.find(
      "warning",
      vs,
      `spec.provider.${field}`,
      `${kind} ${ref.namespace ?? vs.namespace}/${ref.name} is not in the input; no Istio VirtualService for ${host}`,
    );
  }

  private virtualService(vs: VsEntity): void {
    const { host, inCluster } = this.vsHost(vs);
    if (vs.spec.awsName && !vs.fromApi && vs.spec.awsName.toLowerCase() !== host) {
      this.find(
        "info",
        vs,
        "spec.awsName",
        `clients call "${vs.spec.awsName}"; the Istio host is ${host}`,
      );
    }
    const p = vs.spec.provider;
    if (p?.virtualRouter?.virtualRouterRef) {
      const ref = p.virtualRouter.virtualRouterRef;
      const r = this.routers.get(key(ref.namespace ?? vs.namespace, ref.name));
      if (!r) return this.missingProvider(vs, "VirtualRouter", ref, host);
      this.routerUsed.add(key(r.namespace, r.name));
      if (!inCluster) this.nonClusterHost(vs, host);
      this.routerVirtualService(
        r,
        vs.name,
        vs.namespace,
        host,
        `${sourceOf(vs)} via ${sourceOf(r)}`,
      );
    } else if (p?.virtualNode?.virtualNodeRef) {
      const ref = p.virtualNode.virtualNodeRef;
      const n = this.nodes.get(key(ref.namespace ?? vs.namespace, ref.name));
      const t = n ? this.nodeTarget(n.namespace, n.name)! : undefined;
      if (!n || !t) return this.missingProvider(vs, "VirtualNode", ref, host);
      if (t.host === host && !t.subset) return; // Clients already call the node's own Service: plain Kubernetes routing.
      if (!inCluster && !t.inCluster) return; // An external host: its ServiceEntry is enough.
      if (!inCluster) this.nonClusterHost(vs, host);
      const protocol = n.spec.listeners?.[0]?.portMapping.protocol ?? "http";
      const destination = clean({ host: t.host, subset: t.subset });
      const spec: Obj =
        protocol === "tcp"
          ? { hosts: [host], tcp: [{ route: [{ destination }] }] }
          : {
              hosts: [host],
              http: [
                {
                  name: "default",
                  route: [{ destination }],
                  timeout: millisString(
                    this.effectiveTimeout(undefined, [n], protocol).ms ??
                      APPMESH_DEFAULT_TIMEOUT_MS,
                  ),
                  retries: { ...APPMESH_DEFAULT_RETRIES },
                },
              ],
            };
      this.emit("VirtualService", vs.namespace, vs.name, spec, sourceOf(vs));
      this.find(
        "info",
        vs,
        "spec.provider.virtualNode",
        `clients call ${host}; an Istio VirtualService sends them to ${t.host}${t.subset ? ` subset ${t.subset}` : ""} with App Mesh's default timeout and retries`,
      );
    } else if (p?.virtualNode?.virtualNodeARN || p?.virtualRouter?.virtualRouterARN) {
      this.find(
        "blocker",
        vs,
        "spec.provider",
        "the provider is an ARN in another mesh/account; Istio multi-cluster is install-level, no object can express it",
      );
    } else {
      this.find(
        "warning",
        vs,
        "spec.provider",
        "no provider: App Mesh sends this service no traffic; nothing to convert",
      );
    }
  }

  private nonClusterHost(vs: VsEntity, host: string): void {
    this.find(
      "blocker",
      vs,
      "spec.awsName",
      `clients call "${host}", which is not a Kubernetes Service name: once App Mesh (and its Cloud Map registrations) are gone it may not resolve, ` +
        "and Istio applies a VirtualService only to hosts in its registry; switch clients to the Service name or add a ServiceEntry",
    );
  }

  // ---- VirtualRouter -> Istio VirtualService -------------------------------------------------------

  private routerVirtualService(
    r: RouterEntity,
    name: string,
    namespace: string,
    host: string,
    from: string,
  ): void {
    const listeners = r.spec.listeners ?? [];
    const ordered = this.orderRoutes(r.routes, r);
    const http: Obj[] = [];
    const tcp: Obj[] = [];
    const defaulted: { entry: RouteEntry; field: string }[] = [];
    for (const entry of ordered) {
      const converted = this.route(entry, r, listeners.length);
      if (!converted) continue;
      (converted.kind === "tcp" ? tcp : http).push(converted.value);
      if (converted.defaultTimeout) defaulted.push({ entry, field: converted.defaultTimeout });
    }
    // One finding per source object, not per route: the same default applies to each.
    const bySource = new Map<string, { entry: RouteEntry; field: string }[]>();
    for (const d of defaulted)
      bySource.set(d.entry.source, [...(bySource.get(d.entry.source) ?? []), d]);
    for (const [source, list] of bySource) {
      this.findAt(
        "info",
        source,
        list[0].entry.origin,
        list.length === 1 ? list[0].field : "spec.routes[].*.timeout.perRequest",
        `no perRequest timeout on ${list.map((d) => d.entry.route.name).join(", ")}: App Mesh's 15s default made explicit (Istio's default is none)`,
      );
    }
    if (http.length === 0 && tcp.length === 0) {
      this.find(
        "warning",
        r,
        "spec.routes",
        `no convertible routes; no Istio VirtualService for ${host}`,
      );
      return;
    }
    this.emit(
      "VirtualService",
      namespace,
      name,
      { hosts: [host], ...(http.length ? { http } : {}), ...(tcp.length ? { tcp } : {}) },
      from,
    );
  }

  private orderRoutes(routes: readonly RouteEntry[], r: RouterEntity): RouteEntry[] {
    const withIdx = routes.map((e, i) => ({ e, i }));
    const prio = withIdx.filter((x) => x.e.route.priority !== undefined);
    const rest = withIdx.filter((x) => x.e.route.priority === undefined);
    prio.sort((a, b) => a.e.route.priority! - b.e.route.priority! || a.i - b.i);
    rest.sort(
      (a, b) => compareKeys(routeSpecificity(a.e.route), routeSpecificity(b.e.route)) || a.i - b.i,
    );
    if (rest.length > 0 && routes.length > 1) {
      this.find(
        "info",
        r,
        "spec.routes[].priority",
        `${rest.length} route(s) without priority (${rest.map((x) => x.e.route.name).join(", ")}) placed after the prioritized ones, most specific match first (Istio takes the first match)`,
      );
    }
    return [...prio, ...rest].map((x) => x.e);
  }

  private route(
    entry: RouteEntry,
    r: RouterEntity,
    listenerCount: number,
  ): { kind: "http" | "tcp"; value: Obj; defaultTimeout?: string } | undefined {
    const { route, origin, field, source } = entry;
    const types = (["httpRoute", "http2Route", "grpcRoute", "tcpRoute"] as const).filter(
      (t) => route[t],
    );
    if (types.length === 0) {
      this.findAt(
        "warning",
        source,
        origin,
        field,
        `route ${route.name} has no httpRoute/http2Route/grpcRoute/tcpRoute; skipped`,
      );
      return undefined;
    }
    if (types.length > 1) {
      this.findAt(
        "warning",
        source,
        origin,
        field,
        `route ${route.name} sets ${types.join(" and ")}; only ${types[0]} is converted`,
      );
    }
    const type = types[0];
    const f = `${field}.${type}`;
    const action = route[type]!.action;
    const dests = this.destinations(
      action.weightedTargets,
      r,
      source,
      origin,
      `${f}.action.weightedTargets`,
    );
    if (dests.list.length === 0) return undefined;
    if (type === "tcpRoute") {
      const tr = route.tcpRoute!;
      const idle = durationString(tr.timeout?.idle);
      if (idle) {
        for (const n of dests.nodes) {
          const t = this.nodeTarget(n.namespace, n.name)!;
          const dr = this.dr(t);
          const pool = (dr.trafficPolicy.connectionPool ??= {}) as Obj;
          pool.tcp = { ...(pool.tcp ?? {}), idleTimeout: idle };
          dr.sources.add(source);
        }
        this.findAt(
          "info",
          source,
          origin,
          `${f}.timeout.idle`,
          `tcp idle timeout ${idle} -> DestinationRule connectionPool.tcp.idleTimeout of the target hosts (applies to every client)`,
        );
      }
      const port = tr.match?.port;
      if (listenerCount > 1 && port === undefined) {
        this.findAt(
          "warning",
          source,
          origin,
          `${f}.match.port`,
          "the router has several listeners but the route names no port; it matches every port",
        );
      }
      return {
        kind: "tcp",
        value: clean({ match: port !== undefined ? [{ port }] : undefined, route: dests.list }),
      };
    }
    const hr = route[type]!;
    const match =
      type === "grpcRoute"
        ? this.grpcMatch(route.grpcRoute!.match, source, origin, `${f}.match`)
        : this.httpMatch(route[type as "httpRoute"]!.match, source, origin, `${f}.match`);
    if (listenerCount > 1 && match.port === undefined) {
      this.findAt(
        "warning",
        source,
        origin,
        `${f}.match.port`,
        "the router has several listeners but the route names no port; it matches every port",
      );
    }
    const protocol = type === "grpcRoute" ? "grpc" : type === "http2Route" ? "http2" : "http";
    const timeout = this.effectiveTimeout(hr.timeout?.perRequest, dests.nodes, protocol);
    for (const note of timeout.notes)
      this.findAt("info", source, origin, `${f}.timeout.perRequest`, note);
    if (hr.timeout?.idle) {
      this.findAt(
        "warning",
        source,
        origin,
        `${f}.timeout.idle`,
        `stream idle timeout ${durationString(hr.timeout.idle) ?? "0"} has no route-level Istio field (DestinationRule connectionPool.http.idleTimeout is per connection); not carried over`,
      );
    }
    const retries = this.retries(hr.retryPolicy, source, origin, `${f}.retryPolicy`);
    return {
      kind: "http",
      defaultTimeout: hr.timeout?.perRequest ? undefined : `${f}.timeout.perRequest`,
      value: clean({
        name: route.name,
        match: isEmpty(match) ? undefined : [match],
        route: dests.list,
        timeout: timeout.ms === undefined ? undefined : millisString(timeout.ms),
        retries,
      }),
    };
  }

  /** App Mesh caps a request at the route timeout (client side) and at the target listener's (server side). */
  private effectiveTimeout(
    perRequest: { unit: "s" | "ms"; value: number } | undefined,
    nodes: readonly NodeEntity[],
    protocol: string,
  ) {
    const notes: string[] = [];
    let ms = perRequest
      ? perRequest.value === 0
        ? Infinity
        : durationMillis(perRequest)
      : APPMESH_DEFAULT_TIMEOUT_MS;
    const requested = ms;
    const uncapped: string[] = [];
    for (const n of nodes) {
      const lt = (n.spec.listeners ?? [])
        .map((l) => l.timeout?.[protocol as "http" | "http2" | "grpc"]?.perRequest)
        .find((x) => x !== undefined);
      if (!lt) {
        uncapped.push(sourceOf(n));
        continue;
      }
      const lms = lt.value === 0 ? Infinity : durationMillis(lt);
      notes.push(
        `listener timeout ${durationString(lt) ?? "disabled"} of ${sourceOf(n)} has no Istio field; folded into this route (effective = the smaller of route and listener)`,
      );
      ms = Math.min(ms, lms);
    }
    if (requested > APPMESH_DEFAULT_TIMEOUT_MS && uncapped.length > 0) {
      // App Mesh's server-side listener default (15 s) cut these requests; Istio will not.
      notes.push(
        `${uncapped.join(", ")} set no listener timeout, so App Mesh cut requests at its 15s listener default; Istio applies the route's ${requested === Infinity ? "unlimited" : millisString(requested)}`,
      );
    }
    if (perRequest?.value === 0)
      notes.push("perRequest timeout 0 disables it; Istio route left without timeout");
    return { ms: ms === Infinity ? undefined : ms, notes };
  }

  private retries(p: RetryPolicy | undefined, source: string, origin: Origin, field: string): Obj {
    if (!p) return { ...APPMESH_DEFAULT_RETRIES };
    const on = retryOn(p);
    const per = durationString(p.perRetryTimeout);
    if (!per)
      this.findAt(
        "warning",
        source,
        origin,
        `${field}.perRetryTimeout`,
        "perRetryTimeout 0 is below Istio's 1ms minimum; left unset (per-try timeout = route timeout)",
      );
    if (on === "")
      this.findAt(
        "info",
        source,
        origin,
        field,
        "no retry events: Istio's default retryOn applies",
      );
    return clean({
      attempts: p.maxRetries,
      perTryTimeout: per,
      retryOn: on === "" ? undefined : on,
    });
  }

  private destinations(
    targets: readonly {
      virtualNodeRef?: Ref;
      virtualNodeARN?: string;
      weight: number;
      port?: number;
    }[],
    r: RouterEntity,
    source: string,
    origin: Origin,
    field: string,
  ) {
    const kept: { dest: Obj; weight: number }[] = [];
    const nodes: NodeEntity[] = [];
    targets.forEach((t, i) => {
      if (!t.virtualNodeRef) {
        this.findAt(
          "blocker",
          source,
          origin,
          `${field}[${i}]`,
          `target ${t.virtualNodeARN ?? "(none)"} is a VirtualNode ARN in another mesh/account; Istio cannot route to it without a ServiceEntry for a reachable host`,
        );
        return;
      }
      const ns = t.virtualNodeRef.namespace ?? r.namespace;
      const n = this.nodes.get(key(ns, t.virtualNodeRef.name));
      let target = n ? this.nodeTarget(n.namespace, n.name) : undefined;
      if (!n || !target) {
        const host = `${k8sName(t.virtualNodeRef.name)}.${ns}${CLUSTER_SUFFIX}`;
        this.findAt(
          "warning",
          source,
          origin,
          `${field}[${i}].virtualNodeRef`,
          `routes to VirtualNode ${ns}/${t.virtualNodeRef.name}, which the input does not define; host ${host} assumed`,
        );
        target = { host, hostNamespace: ns, inCluster: true };
      } else {
        // Weight-0 targets get no traffic, so their listener settings do not shape this route.
        if (t.weight > 0) nodes.push(n);
        if ((n.spec.listeners?.length ?? 0) > 1 && t.port === undefined) {
          this.findAt(
            "warning",
            source,
            origin,
            `${field}[${i}].port`,
            `${sourceOf(n)} has several listeners but the target names no port; Istio needs one when the Service has several ports`,
          );
        }
      }
      const port = t.port !== undefined ? this.servicePort(target, t.port) : undefined;
      kept.push({
        dest: clean({
          host: target.host,
          subset: target.subset,
          port: port !== undefined ? { number: port } : undefined,
        }),
        weight: t.weight,
      });
    });
    if (kept.length === 0) return { list: [] as Obj[], nodes };
    const weights = normalizeWeights(kept.map((k) => k.weight));
    if (kept.every((k) => k.weight === 0)) {
      this.findAt(
        "blocker",
        source,
        origin,
        field,
        "every target has weight 0: App Mesh sends this route no traffic, Istio cannot express a route to nowhere",
      );
    } else {
      const total = kept.reduce((a, k) => a + k.weight, 0);
      const exact = kept.every((k, i) => k.weight * 100 === weights[i] * total);
      if (!exact) {
        this.findAt(
          "info",
          source,
          origin,
          field,
          `weights ${kept.map((k) => k.weight).join(":")} normalised to ${weights.join("/")} (sum 100; within 1 point of the ratio)`,
        );
      }
    }
    const list =
      kept.length === 1 && weights[0] === 100
        ? [{ destination: kept[0].dest }]
        : kept.map((k, i) => ({ destination: k.dest, weight: weights[i] }));
    return { list, nodes };
  }

  private headers(
    hs: readonly HeaderMatch[] | undefined,
    source: string,
    origin: Origin,
    field: string,
  ) {
    const headers: Obj = {};
    const without: Obj = {};
    (hs ?? []).forEach((h, i) => {
      const { match, lossy } = stringMatch(h);
      if (lossy) this.findAt("warning", source, origin, `${field}[${i}].match.range`, lossy);
      if (h.match?.suffix !== undefined)
        this.findAt(
          "info",
          source,
          origin,
          `${field}[${i}].match.suffix`,
          `Istio has no suffix match; regex ${match.regex} used`,
        );
      const name = h.name.toLowerCase();
      if (name !== h.name) {
        this.findAt(
          "info",
          source,
          origin,
          `${field}[${i}].name`,
          `header ${h.name} matched as ${name} (Istio header names are lowercase; HTTP headers are case-insensitive)`,
        );
      }
      const into = h.invert ? without : headers;
      if (name in into)
        this.findAt(
          "warning",
          source,
          origin,
          `${field}[${i}]`,
          `header ${name} is matched twice; Istio keeps one condition per header (the last)`,
        );
      into[name] = match;
    });
    return {
      headers: isEmpty(headers) ? undefined : headers,
      withoutHeaders: isEmpty(without) ? undefined : without,
    };
  }

  private httpMatch(m: HttpMatchLike, source: string, origin: Origin, field: string): Obj {
    let uri: Obj | undefined;
    if (m.path && m.prefix !== undefined) {
      this.findAt(
        "warning",
        source,
        origin,
        field,
        "both prefix and path are set (App Mesh accepts one); path is used",
      );
    }
    if (m.path?.exact !== undefined) uri = { exact: m.path.exact };
    else if (m.path?.regex !== undefined) uri = { regex: m.path.regex };
    else if (m.prefix !== undefined) uri = { prefix: m.prefix };
    const qp: Obj = {};
    for (const q of m.queryParameters ?? [])
      qp[q.name] = q.match?.exact !== undefined ? { exact: q.match.exact } : { regex: ".*" };
    return clean({
      uri,
      ...this.headers(m.headers, source, origin, `${field}.headers`),
      method: m.method ? { exact: m.method } : undefined,
      queryParams: isEmpty(qp) ? undefined : qp,
      scheme: m.scheme ? { exact: m.scheme } : undefined,
      port: m.port,
    });
  }

  private grpcMatch(
    m: { serviceName?: string; methodName?: string; metadata?: HeaderMatch[]; port?: number },
    source: string,
    origin: Origin,
    field: string,
  ): Obj {
    let uri: Obj | undefined;
    if (m.serviceName && m.methodName) uri = { exact: `/${m.serviceName}/${m.methodName}` };
    else if (m.serviceName) uri = { prefix: `/${m.serviceName}/` };
    else if (m.methodName) {
      uri = { regex: `/[^/]+/${m.methodName.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}` };
      this.findAt(
        "warning",
        source,
        origin,
        `${field}.methodName`,
        "methodName without serviceName; matched by regex on any service",
      );
    }
    const h = this.headers(m.metadata, source, origin, `${field}.metadata`);
    return clean({ uri, headers: h.headers, withoutHeaders: h.withoutHeaders, port: m.port });
  }

  // ---- VirtualNode server side ---------------------------------------------------------------------

  private nodeServerSide(n: NodeEntity): void {
    const t = this.nodeTarget(n.namespace, n.name)!;
    const spec = n.spec;
    const listeners = spec.listeners ?? [];
    const labels = selectorLabels(spec.podSelector);
    if (spec.podSelector?.matchExpressions?.length) {
      this.find(
        "warning",
        n,
        "spec.podSelector.matchExpressions",
        "Istio workload selectors take labels only; matchExpressions dropped",
      );
    }
    if (spec.awsName && !n.fromApi)
      this.find("info", n, "spec.awsName", "App Mesh names have no Istio equivalent");
    if (!t.inCluster) this.serviceEntry(n, t, listeners);

    listeners.forEach((l, i) => this.listenerFindings(n, l, i));
    if (t.service) this.portProtocolFindings(n, t.service, listeners);
    if (spec.logging?.accessLog?.file) {
      const fmt = spec.logging.accessLog.file.format;
      this.find(
        "info",
        n,
        "spec.logging.accessLog.file",
        `access logs are mesh-wide in Istio: meshConfig.accessLogFile=${spec.logging.accessLog.file.path}${fmt?.json ? ", accessLogEncoding=JSON" : fmt?.text ? ", accessLogFormat=<the text format>" : ""} (or a Telemetry resource per workload)`,
      );
    }

    // Outlier detection belongs to callers: a DestinationRule for this node's host.
    const od = listeners.find((l) => l.outlierDetection)?.outlierDetection;
    if (od) {
      const policy = {
        outlierDetection: {
          consecutive5xxErrors: od.maxServerErrors,
          interval: durationString(od.interval) ?? "1ms",
          baseEjectionTime: durationString(od.baseEjectionDuration) ?? "1ms",
          maxEjectionPercent: od.maxEjectionPercent,
        },
      };
      if (od.interval.value === 0 || od.baseEjectionDuration.value === 0) {
        this.find(
          "warning",
          n,
          "spec.listeners[].outlierDetection",
          "a 0 duration is below Istio's 1ms minimum; 1ms used",
        );
      }
      const dr = this.dr(t);
      if (t.subset) dr.subsets.get(t.subset)!.trafficPolicy = policy;
      else Object.assign(dr.trafficPolicy, policy);
      dr.sources.add(sourceOf(n));
      this.find(
        "info",
        n,
        "spec.listeners[].outlierDetection",
        `-> DestinationRule ${dr.namespace}/${dr.name} outlierDetection (enforced by callers, as in App Mesh)`,
      );
    }

    const pool = listeners.find((l) => l.connectionPool)?.connectionPool;
    const inboundConnectionPool = pool ? connectionPool(pool) : undefined;
    const backends = this.backendHosts(n);
    const tlsListeners = listeners.filter((l) => l.tls);

    if (!labels) {
      const needs = [
        backends.hosts.length ? "backends (Sidecar)" : "",
        pool ? "connectionPool (Sidecar)" : "",
        tlsListeners.length ? "listener TLS (PeerAuthentication)" : "",
      ].filter(Boolean);
      if (needs.length && t.inCluster) {
        this.find(
          "warning",
          n,
          "spec.podSelector",
          `${n.fromApi ? "AWS API input has no pod selector" : "no podSelector labels"}: ${needs.join(", ")} not converted; they need a workload selector`,
        );
      }
      return;
    }

    if (backends.hosts.length || pool || this.dropAll) {
      this.emit(
        "Sidecar",
        n.namespace,
        n.name,
        {
          workloadSelector: { labels },
          ...(backends.hosts.length
            ? { egress: [{ hosts: ["istio-system/*", ...backends.hosts] }] }
            : {}),
          ...(inboundConnectionPool ? { inboundConnectionPool } : {}),
          ...(this.dropAll ? { outboundTrafficPolicy: { mode: "REGISTRY_ONLY" } } : {}),
        },
        sourceOf(n),
      );
      if (pool) {
        this.find(
          "info",
          n,
          "spec.listeners[].connectionPool",
          "-> Sidecar inboundConnectionPool (server side, where App Mesh applies it); a DestinationRule pool would throttle each client instead",
        );
      }
    }

    if (tlsListeners.length) this.peerAuthentication(n, labels, listeners);
    this.authorizationPolicy(n, labels, listeners);
  }

  /** Istio reads the protocol from the Service port name or appProtocol, App Mesh from the listener. */
  private portProtocolFindings(
    n: NodeEntity,
    svc: K8sService,
    listeners: readonly Listener[],
  ): void {
    listeners.forEach((l, i) => {
      const proto = l.portMapping.protocol;
      const p =
        svc.ports.find((x) => x.targetPort === l.portMapping.port) ??
        svc.ports.find((x) => x.port === l.portMapping.port && x.targetPort === undefined);
      if (!p) return;
      const declared = (p.appProtocol ?? p.name ?? "").toLowerCase().split("-")[0];
      const want =
        proto === "http2"
          ? ["http2", "grpc"]
          : proto === "grpc"
            ? ["grpc", "http2"]
            : proto === "http"
              ? ["http", "http2", "grpc"]
              : ["tcp"];
      if (want.includes(declared)) return;
      if (proto === "tcp" && declared === "") return;
      this.find(
        proto === "http" || proto === "tcp" ? "info" : "warning",
        n,
        `spec.listeners[${i}].portMapping.protocol`,
        `listener protocol ${proto}, but Service ${svc.namespace}/${svc.name} port ${p.port} is named "${p.name ?? ""}"${p.appProtocol ? ` (appProtocol ${p.appProtocol})` : ""}: ` +
          `Istio takes the protocol from the port name or appProtocol; name it ${proto}-${p.port} or set appProtocol: ${proto} (otherwise Istio sniffs or treats it as TCP and skips HTTP routes)`,
      );
    });
  }

  private listenerFindings(n: NodeEntity, l: Listener, i: number): void {
    const f = `spec.listeners[${i}]`;
    const hc = l.healthCheck;
    if (hc) {
      this.find(
        "warning",
        n,
        `${f}.healthCheck`,
        `Istio has no active health checks; use a readinessProbe (${hc.protocol}${hc.path ? ` ${hc.path}` : ""}, periodSeconds=${Math.ceil(hc.intervalMillis / 1000)}, timeoutSeconds=${Math.ceil(hc.timeoutMillis / 1000)}, successThreshold=${hc.healthyThreshold}, failureThreshold=${hc.unhealthyThreshold})`,
      );
    }
    for (const p of ["http", "http2", "grpc"] as const) {
      const idle = l.timeout?.[p]?.idle;
      if (idle)
        this.find(
          "info",
          n,
          `${f}.timeout.${p}.idle`,
          "server-side idle timeout has no Istio API field (proxy metadata ISTIO_META_IDLE_TIMEOUT is the nearest)",
        );
    }
    if (l.timeout?.tcp?.idle)
      this.find(
        "info",
        n,
        `${f}.timeout.tcp.idle`,
        "server-side tcp idle timeout has no Istio API field (proxy metadata ISTIO_META_IDLE_TIMEOUT is the nearest)",
      );
    const tls = l.tls;
    if (tls) {
      if (tls.certificate.acm) {
        this.find(
          "warning",
          n,
          `${f}.tls.certificate.acm`,
          "ACM certificates cannot be exported to Istio; Istio's CA issues workload certificates (ACM Private CA can back it at install)",
        );
      } else {
        this.find(
          "info",
          n,
          `${f}.tls.certificate`,
          "Istio issues workload certificates itself; the listener certificate is not carried over",
        );
      }
      if (tls.mode === "STRICT" && !tls.validation) {
        this.find(
          "info",
          n,
          `${f}.tls.mode`,
          "one-way TLS becomes Istio mutual TLS (stronger: clients must be in the mesh)",
        );
      }
      if (tls.validation?.trust)
        this.find(
          "info",
          n,
          `${f}.tls.validation.trust`,
          "trust roots are install-level in Istio (the mesh CA), not per workload",
        );
    }
  }

  private serviceEntry(n: NodeEntity, t: NodeTarget, listeners: readonly Listener[]): void {
    const ports = listeners.map((l) => ({
      number: l.portMapping.port,
      name: `${l.portMapping.protocol}-${l.portMapping.port}`,
      protocol: portProtocol(l.portMapping.protocol),
    }));
    if (ports.length === 0) {
      ports.push({ number: 443, name: "tls-443", protocol: "TLS" });
      this.find(
        "warning",
        n,
        "spec.listeners",
        "no listeners: ServiceEntry port 443/TLS assumed for the external host",
      );
    }
    this.emit(
      "ServiceEntry",
      n.namespace,
      n.name,
      { hosts: [t.host], ports, location: "MESH_EXTERNAL", resolution: "DNS" },
      sourceOf(n),
    );
    this.find(
      "info",
      n,
      "spec.serviceDiscovery.dns.hostname",
      `external host ${t.host} -> ServiceEntry (MESH_EXTERNAL, DNS)`,
    );
  }

  /** The egress hosts a node may call (its backends, and where their routes lead), as Sidecar `ns/host`. */
  private backendHosts(n: NodeEntity): { hosts: string[] } {
    const out = new Set<string>();
    const refs: { ref?: Ref; arn?: string; clientPolicy?: ClientPolicy; field: string }[] = [];
    (n.spec.backends ?? []).forEach((b, i) =>
      refs.push({
        ref: b.virtualService.virtualServiceRef,
        arn: b.virtualService.virtualServiceARN,
        clientPolicy: b.virtualService.clientPolicy,
        field: `spec.backends[${i}].virtualService`,
      }),
    );
    (n.spec.backendGroups ?? []).forEach((g, i) => {
      const bg = this.inv.backendGroups.find(
        (x) => x.name === g.name && x.namespace === (g.namespace ?? n.namespace),
      );
      if (!bg) {
        this.find(
          "warning",
          n,
          `spec.backendGroups[${i}]`,
          `BackendGroup ${g.namespace ?? n.namespace}/${g.name} is not in the input; its services are not allowed`,
        );
        return;
      }
      for (const vs of bg.spec.virtualservices ?? [])
        refs.push({
          ref: { ...vs, namespace: vs.namespace ?? bg.namespace },
          field: `spec.backendGroups[${i}]`,
        });
    });
    const defaults = n.spec.backendDefaults?.clientPolicy;
    for (const r of refs) {
      if (!r.ref) {
        this.find(
          "warning",
          n,
          `${r.field}.virtualServiceARN`,
          `backend ${r.arn ?? ""} is in another mesh/account; no Istio equivalent (add a ServiceEntry for a reachable host)`,
        );
        continue;
      }
      const vs = this.lookupVs(r.ref, n.namespace);
      const hosts: { host: string; ns: string; inCluster: boolean }[] = [];
      if (!vs) {
        const ns = r.ref.namespace ?? n.namespace;
        const host = `${k8sName(r.ref.name)}.${ns}${CLUSTER_SUFFIX}`;
        this.find(
          "warning",
          n,
          `${r.field}.virtualServiceRef`,
          `backend VirtualService ${ns}/${r.ref.name} is not in the input; host ${host} assumed`,
        );
        hosts.push({ host, ns, inCluster: true });
      } else {
        const h = this.vsHost(vs);
        hosts.push({
          host: h.host,
          ns: h.inCluster ? h.host.split(".")[1] : "*",
          inCluster: h.inCluster,
        });
        // The Istio VirtualService lives in the App Mesh VirtualService's namespace: import it from there too.
        hosts.push({ host: h.host, ns: vs.namespace, inCluster: h.inCluster });
        for (const t of this.vsDestinations(vs))
          hosts.push({
            host: t.host,
            ns: t.inCluster ? t.hostNamespace : "*",
            inCluster: t.inCluster,
          });
      }
      for (const h of hosts) out.add(`${h.ns}/${h.host}`);
      const policy = r.clientPolicy ?? defaults;
      if (policy?.tls && policy.tls.enforce !== false) {
        this.clientTls(
          n,
          policy,
          r.clientPolicy ? `${r.field}.clientPolicy.tls` : "spec.backendDefaults.clientPolicy.tls",
          vs ? this.vsDestinations(vs) : [],
        );
      }
    }
    return { hosts: [...out].sort() };
  }

  private vsDestinations(vs: VsEntity): NodeTarget[] {
    const p = vs.spec.provider;
    const out: NodeTarget[] = [];
    const ref = p?.virtualNode?.virtualNodeRef;
    if (ref) {
      const t = this.nodeTarget(ref.namespace ?? vs.namespace, ref.name);
      if (t) out.push(t);
    }
    const rref = p?.virtualRouter?.virtualRouterRef;
    const r = rref ? this.routers.get(key(rref.namespace ?? vs.namespace, rref.name)) : undefined;
    for (const e of r?.routes ?? []) {
      for (const type of ["httpRoute", "http2Route", "grpcRoute", "tcpRoute"] as const) {
        for (const wt of e.route[type]?.action.weightedTargets ?? []) {
          if (!wt.virtualNodeRef) continue;
          const t = this.nodeTarget(
            wt.virtualNodeRef.namespace ?? r!.namespace,
            wt.virtualNodeRef.name,
          );
          if (t && !out.some((x) => x.host === t.host)) out.push(t);
        }
      }
    }
    return out;
  }

  private clientTls(
    n: NodeEntity,
    policy: ClientPolicy,
    field: string,
    targets: readonly NodeTarget[],
  ): void {
    const tls = policy.tls!;
    if (tls.validation.trust.acm) {
      this.find(
        "warning",
        n,
        `${field}.validation.trust.acm`,
        "ACM Private CA trust has no Istio field: export the PCA root as the mesh CA bundle (install-level)",
      );
    }
    if (tls.ports?.length)
      this.find(
        "info",
        n,
        `${field}.ports`,
        "port-scoped client TLS not carried over; Istio mTLS covers every port",
      );
    for (const t of targets) {
      const dr = this.dr(t);
      if (t.inCluster) {
        dr.trafficPolicy.tls = { mode: "ISTIO_MUTUAL" };
      } else {
        dr.trafficPolicy.tls = clean({
          mode: tls.certificate ? "MUTUAL" : "SIMPLE",
          caCertificates: tls.validation.trust.file?.certificateChain,
          subjectAltNames: tls.validation.subjectAlternativeNames?.match.exact,
          clientCertificate: tls.certificate?.file?.certificateChain,
          privateKey: tls.certificate?.file?.privateKey,
          credentialName: tls.certificate?.sds
            ? k8sName(tls.certificate.sds.secretName)
            : undefined,
        });
      }
      dr.sources.add(sourceOf(n));
    }
    this.find(
      "info",
      n,
      field,
      `client TLS -> DestinationRule tls ${targets.some((t) => !t.inCluster) ? "SIMPLE/MUTUAL for external hosts and " : ""}ISTIO_MUTUAL for mesh hosts; Istio applies it to every client of those hosts, App Mesh only to this node`,
    );
  }

  private peerAuthentication(
    n: NodeEntity,
    labels: Record<string, string>,
    listeners: readonly Listener[],
  ): void {
    const modeOf = (m: string) => (m === "DISABLED" ? "DISABLE" : m);
    const withTls = listeners.filter((l) => l.tls);
    const modes = new Set(withTls.map((l) => modeOf(l.tls!.mode)));
    const spec: Obj = { selector: { matchLabels: labels } };
    if (modes.size === 1 && withTls.length === listeners.length) {
      spec.mtls = { mode: [...modes][0] };
    } else {
      const plm: Obj = {};
      for (const l of withTls) plm[String(l.portMapping.port)] = { mode: modeOf(l.tls!.mode) };
      spec.portLevelMtls = plm;
    }
    this.emit("PeerAuthentication", n.namespace, n.name, spec, sourceOf(n));
  }

  /** Listener client-certificate SANs restrict who may call: an ALLOW policy for those callers' identities. */
  private authorizationPolicy(
    n: NodeEntity,
    labels: Record<string, string>,
    listeners: readonly Listener[],
  ): void {
    const principals = new Set<string>();
    const ports = new Set<string>();
    listeners.forEach((l, i) => {
      const sans = l.tls?.validation?.subjectAlternativeNames?.match.exact ?? [];
      if (sans.length === 0) return;
      ports.add(String(l.portMapping.port));
      for (const san of sans) {
        const caller = this.nodeBySan(san);
        if (!caller) {
          this.find(
            "warning",
            n,
            `spec.listeners[${i}].tls.validation.subjectAlternativeNames`,
            `SAN "${san}" names no VirtualNode in the input; rewrite it as an Istio principal (<trust-domain>/ns/<ns>/sa/<service-account>)`,
          );
          continue;
        }
        const sa = this.serviceAccountOf(caller);
        principals.add(`cluster.local/ns/${caller.namespace}/sa/${sa}`);
      }
    });
    if (ports.size === 0) return;
    if (principals.size === 0) {
      this.find(
        "warning",
        n,
        "spec.listeners[].tls.validation",
        "no allowed client could be resolved; no AuthorizationPolicy emitted (an empty ALLOW would deny everyone)",
      );
      return;
    }
    this.emit(
      "AuthorizationPolicy",
      n.namespace,
      n.name,
      {
        selector: { matchLabels: labels },
        action: "ALLOW",
        rules: [
          {
            from: [{ source: { principals: [...principals].sort() } }],
            to: [{ operation: { ports: [...ports].sort() } }],
          },
        ],
      },
      sourceOf(n),
    );
    this.find(
      "info",
      n,
      "spec.listeners[].tls.validation.subjectAlternativeNames",
      "allowed client SANs -> AuthorizationPolicy principals (trust domain cluster.local; service accounts from the callers' Deployments, else default)",
    );
  }

  private nodeBySan(san: string): NodeEntity | undefined {
    const s = san.toLowerCase();
    return this.inv.nodes.find((x) => {
      const sd = x.spec.serviceDiscovery?.dns?.hostname?.toLowerCase();
      if (sd === s) return true;
      const t = this.nodeTarget(x.namespace, x.name);
      if (t && t.host === s) return true;
      if (x.spec.backendDefaults?.clientPolicy?.tls?.certificate?.sds?.secretName === san)
        return true;
      return (x.spec.listeners ?? []).some((l) => l.tls?.certificate.sds?.secretName === san);
    });
  }

  private serviceAccountOf(n: NodeEntity): string {
    const labels = selectorLabels(n.spec.podSelector);
    if (!labels) return "default";
    const w = this.inv.workloads.find(
      (x) => x.namespace === n.namespace && subsetOf(labels, x.podLabels),
    );
    return w?.serviceAccount ?? "default";
  }

  // ---- VirtualGateway / GatewayRoute ----------------------------------------------------------------

  private gatewaysAndRoutes(): void {
    for (const g of this.inv.gateways) this.gateway(g);
    const groups = new Map<
      string,
      { gw: Entity<VirtualGatewaySpec>; hosts: string[]; routes: Entity<GatewayRouteSpec>[] }
    >();
    for (const gr of this.inv.gatewayRoutes) {
      const gws = this.gatewaysFor(gr);
      if (gws.length === 0) {
        this.find(
          "blocker",
          gr,
          "spec.virtualGatewayRef",
          "no VirtualGateway in the input for this route; not converted (a VirtualService without gateways would apply inside the mesh)",
        );
        continue;
      }
      const hosts = this.gatewayRouteHosts(gr);
      for (const gw of gws) {
        const k = `${key(gw.namespace, gw.name)}|${hosts.join(",")}`;
        const grp = groups.get(k) ?? { gw, hosts, routes: [] };
        grp.routes.push(gr);
        groups.set(k, grp);
      }
    }
    for (const { gw, routes } of groups.values()) this.gatewayConnectionPools(gw, routes);
    for (const { gw, hosts, routes } of groups.values()) {
      const ordered = routes
        .map((e, i) => ({ e, i }))
        .sort((a, b) => {
          const pa = a.e.spec.priority;
          const pb = b.e.spec.priority;
          if (pa !== undefined && pb !== undefined) return pa - pb || a.i - b.i;
          if (pa !== undefined) return -1;
          if (pb !== undefined) return 1;
          return (
            compareKeys(gatewayRouteSpecificity(a.e.spec), gatewayRouteSpecificity(b.e.spec)) ||
            a.i - b.i
          );
        })
        .map((x) => x.e);
      const http = ordered
        .map((gr) => this.gatewayHttpRoute(gr))
        .filter((x): x is Obj => x !== undefined);
      if (http.length === 0) continue;
      const name =
        hosts[0] === "*"
          ? `${gw.name}-routes`
          : `${gw.name}-${hosts[0].replace(/^\*\./, "wildcard.")}`;
      this.emit(
        "VirtualService",
        gw.namespace,
        name,
        { hosts, gateways: [`${gw.namespace}/${k8sName(gw.name)}`], http },
        ordered.map(sourceOf).join(", "),
      );
      if (ordered.some((r) => r.spec.priority === undefined) && ordered.length > 1) {
        this.find(
          "info",
          gw,
          "GatewayRoute.spec.priority",
          "GatewayRoutes without priority placed after prioritized ones, most specific match first (exact paths, then longer prefixes)",
        );
      }
    }
  }

  /** A gateway listener's pool limits the gateway's calls: DestinationRules that select the gateway pods. */
  private gatewayConnectionPools(
    gw: Entity<VirtualGatewaySpec>,
    routes: readonly Entity<GatewayRouteSpec>[],
  ): void {
    const pool = (gw.spec.listeners ?? []).find((l) => l.connectionPool)?.connectionPool;
    const labels = selectorLabels(gw.spec.podSelector);
    if (!pool || !labels) return;
    const cp = connectionPool(pool);
    if (!cp) return;
    for (const gr of routes) {
      const ref = (gr.spec.httpRoute ?? gr.spec.http2Route ?? gr.spec.grpcRoute)?.action.target
        .virtualService.virtualServiceRef;
      const vs = this.lookupVs(ref, gr.namespace);
      if (!vs) continue;
      const host = this.vsHost(vs).host;
      const name = `${gw.name}-${host.split(".")[0]}`;
      if (this.objects.has(`DestinationRule/${gw.namespace}/${k8sName(name)}`)) continue;
      this.emit(
        "DestinationRule",
        gw.namespace,
        name,
        {
          host,
          workloadSelector: { matchLabels: labels },
          exportTo: ["."],
          trafficPolicy: { connectionPool: cp },
        },
        `${sourceOf(gw)} for ${sourceOf(gr)}`,
      );
    }
  }

  private gatewaysFor(gr: Entity<GatewayRouteSpec>): Entity<VirtualGatewaySpec>[] {
    const ref = gr.spec.virtualGatewayRef;
    if (ref) {
      const g = this.gateways.get(key(ref.namespace ?? gr.namespace, ref.name));
      return g ? [g] : [];
    }
    const all = this.inv.gateways;
    const matching = all.filter((g) => {
      const sel = g.spec.gatewayRouteSelector?.matchLabels;
      return !sel || subsetOf(sel, gr.labels);
    });
    if (matching.length <= 1) return matching;
    const sameNs = matching.filter((g) => g.namespace === gr.namespace);
    const chosen = sameNs.length ? sameNs : matching;
    if (chosen.length > 1) {
      this.find(
        "warning",
        gr,
        "metadata",
        `attaches to ${chosen.length} VirtualGateways (namespace labels are not in the input to apply their namespaceSelector); bound to all of them`,
      );
    }
    return chosen;
  }

  private gatewayRouteHosts(gr: Entity<GatewayRouteSpec>): string[] {
    const m = (gr.spec.httpRoute ?? gr.spec.http2Route ?? gr.spec.grpcRoute)?.match;
    const h = m?.hostname;
    if (h?.exact) return [h.exact.toLowerCase()];
    if (h?.suffix) {
      const s = h.suffix.toLowerCase().replace(/^\*?\.?/, "");
      this.find(
        "info",
        gr,
        "spec.*.match.hostname.suffix",
        `suffix ${h.suffix} -> host *.${s} (Istio wildcards cover subdomains only, not ${s} itself)`,
      );
      return [`*.${s}`];
    }
    return ["*"];
  }

  private gateway(g: Entity<VirtualGatewaySpec>): void {
    const s = g.spec;
    let selector = selectorLabels(s.podSelector);
    if (!selector) {
      selector = { istio: "ingressgateway" };
      this.find(
        "warning",
        g,
        "spec.podSelector",
        "no podSelector labels; Gateway selects istio=ingressgateway (the default Istio ingress gateway)",
      );
    }
    const servers = (s.listeners ?? []).map((l, i) => {
      const f = `spec.listeners[${i}]`;
      if (l.healthCheck)
        this.find(
          "warning",
          g,
          `${f}.healthCheck`,
          "Istio has no active health checks; the gateway's readinessProbe is the substitute",
        );
      if (l.connectionPool)
        this.find(
          "info",
          g,
          `${f}.connectionPool`,
          "-> DestinationRules with workloadSelector = the gateway pods, one per routed host (the gateway's client-side limits)",
        );
      const tls =
        l.tls && l.tls.mode !== "DISABLED"
          ? this.gatewayTls(g, l.tls, f, l.portMapping.port)
          : undefined;
      return clean({
        port: {
          number: l.portMapping.port,
          name: `${tls ? "https" : l.portMapping.protocol}-${l.portMapping.port}`,
          protocol: gatewayProtocol(l.portMapping.protocol, tls !== undefined),
        },
        hosts: ["*"],
        tls,
      });
    });
    if (servers.length === 0) {
      this.find("warning", g, "spec.listeners", "no listeners; no Gateway emitted");
      return;
    }
    this.emit("Gateway", g.namespace, g.name, { selector, servers }, sourceOf(g));
    if (s.namespaceSelector || s.gatewayRouteSelector) {
      this.find(
        "info",
        g,
        "spec.namespaceSelector",
        "which GatewayRoutes attach is resolved by the converter; each generated VirtualService names this Gateway in `gateways`",
      );
    }
    if (s.backendDefaults?.clientPolicy?.tls) {
      this.find(
        "warning",
        g,
        "spec.backendDefaults.clientPolicy.tls",
        "gateway-to-backend TLS is Istio mutual TLS for mesh hosts; ACM/file trust settings are not carried over",
      );
    }
    if (s.logging?.accessLog?.file)
      this.find(
        "info",
        g,
        "spec.logging.accessLog",
        "access logs: meshConfig.accessLogFile (or a Telemetry resource selecting the gateway)",
      );
  }

  private gatewayTls(
    g: Entity<VirtualGatewaySpec>,
    tls: NonNullable<NonNullable<VirtualGatewaySpec["listeners"]>[number]["tls"]>,
    f: string,
    port: number,
  ): Obj {
    const out: Obj = { mode: tls.validation ? "MUTUAL" : "SIMPLE" };
    const secret = `${k8sName(g.name)}-${port}-tls`;
    if (tls.mode === "PERMISSIVE")
      this.find(
        "warning",
        g,
        `${f}.tls.mode`,
        "an Istio gateway server is either TLS or plaintext; PERMISSIVE becomes TLS only",
      );
    if (tls.certificate.file) {
      out.serverCertificate = tls.certificate.file.certificateChain;
      out.privateKey = tls.certificate.file.privateKey;
      this.find(
        "info",
        g,
        `${f}.tls.certificate.file`,
        "file certificate paths kept; mount them into the Istio gateway pods (or move them to a Secret and use credentialName)",
      );
    } else if (tls.certificate.sds) {
      out.credentialName = secret;
      this.find(
        "warning",
        g,
        `${f}.tls.certificate.sds`,
        `SDS secret "${tls.certificate.sds.secretName}" -> credentialName ${secret}: create that kubernetes.io/tls Secret in the gateway's namespace`,
      );
    } else if (tls.certificate.acm) {
      out.credentialName = secret;
      this.find(
        "blocker",
        g,
        `${f}.tls.certificate.acm`,
        `ACM certificates cannot be exported to an Istio gateway: issue one (e.g. cert-manager, ACM PCA issuer) into Secret ${secret}, or terminate TLS at a load balancer`,
      );
    }
    const v = tls.validation;
    if (v) {
      if (v.trust.file) out.caCertificates = v.trust.file.certificateChain;
      if (v.trust.acm)
        this.find(
          "warning",
          g,
          `${f}.tls.validation.trust.acm`,
          "ACM PCA trust: put the CA bundle in the gateway Secret (ca.crt)",
        );
      if (v.trust.sds)
        this.find(
          "warning",
          g,
          `${f}.tls.validation.trust.sds`,
          `SDS trust -> ca.crt of Secret ${secret}`,
        );
      if (v.subjectAlternativeNames) out.subjectAltNames = v.subjectAlternativeNames.match.exact;
    }
    return out;
  }

  private gatewayHttpRoute(gr: Entity<GatewayRouteSpec>): Obj | undefined {
    const s = gr.spec;
    const type = s.httpRoute
      ? "httpRoute"
      : s.http2Route
        ? "http2Route"
        : s.grpcRoute
          ? "grpcRoute"
          : undefined;
    if (!type) {
      this.find("warning", gr, "spec", "no httpRoute/http2Route/grpcRoute; skipped");
      return undefined;
    }
    const f = `spec.${type}`;
    const grpc = type === "grpcRoute" ? s.grpcRoute : undefined;
    const httpRoute = type === "grpcRoute" ? undefined : (s.httpRoute ?? s.http2Route);
    const route = (grpc ?? httpRoute)!;
    const target = route.action.target;
    if (!target.virtualService.virtualServiceRef) {
      this.find(
        "blocker",
        gr,
        `${f}.action.target.virtualService`,
        "target is a VirtualService ARN in another mesh/account; no Istio equivalent",
      );
      return undefined;
    }
    const vs = this.lookupVs(target.virtualService.virtualServiceRef, gr.namespace);
    let host: string;
    if (!vs) {
      const ref = target.virtualService.virtualServiceRef;
      host = `${k8sName(ref.name)}.${ref.namespace ?? gr.namespace}${CLUSTER_SUFFIX}`;
      this.find(
        "warning",
        gr,
        `${f}.action.target.virtualService.virtualServiceRef`,
        `VirtualService ${ref.namespace ?? gr.namespace}/${ref.name} is not in the input; host ${host} assumed`,
      );
    } else {
      host = this.vsHost(vs).host;
      if (vs.spec.provider?.virtualRouter) {
        const svc = this.k8sServices.get(key(host.split(".")[1] ?? "", host.split(".")[0]));
        const noEndpoints =
          svc !== undefined && (svc.selector === undefined || isEmpty(svc.selector));
        this.find(
          noEndpoints ? "blocker" : "warning",
          gr,
          `${f}.action.target`,
          `Istio gateways apply only gateway-bound VirtualServices: the routes of ${sourceOf(vs)} (router) are not applied to traffic entering here, it goes straight to ${host}` +
            (noEndpoints ? `, whose Service selects no pods` : "") +
            `; add gateway ${gr.namespace}/... to that VirtualService's gateways with matching hosts, or use VirtualService delegation`,
        );
      }
    }
    const dest = clean({
      host,
      port: target.port !== undefined ? { number: target.port } : undefined,
    });
    let match: Obj;
    const rewrite: Obj = {};
    const notes: string[] = [];
    if (grpc) {
      const m = grpc.match;
      match = this.grpcMatch(
        { serviceName: m.serviceName, metadata: m.metadata, port: m.port },
        sourceOf(gr),
        gr.origin,
        `${f}.match`,
      );
    } else {
      const hr = httpRoute!;
      const m = hr.match;
      match = this.httpMatch(m, sourceOf(gr), gr.origin, `${f}.match`);
      const rw = hr.action.rewrite;
      if (rw?.path) {
        rewrite.uri = rw.path.exact;
        if (!m.path?.exact)
          this.find(
            "warning",
            gr,
            `${f}.action.rewrite.path`,
            "path rewrite without an exact path match: Istio replaces the whole matched URI",
          );
      } else if (m.prefix !== undefined) {
        if (rw?.prefix?.value !== undefined) rewrite.uri = rw.prefix.value;
        else if (rw?.prefix?.defaultPrefix !== "DISABLED" && m.prefix !== "/") {
          rewrite.uri = "/";
          notes.push(`matched prefix ${m.prefix} -> /`);
        }
      }
    }
    const hostRewrite = (
      route.action.rewrite as { hostname?: { defaultTargetHostname: string } } | undefined
    )?.hostname?.defaultTargetHostname;
    if (hostRewrite !== "DISABLED") {
      rewrite.authority = host;
      if (hostRewrite === undefined) notes.push(`Host -> ${host}`);
    }
    if (notes.length)
      this.find(
        "info",
        gr,
        `${f}.action.rewrite`,
        `App Mesh's default gateway rewrite made explicit: ${notes.join(", ")}`,
      );
    return clean({
      name: gr.name,
      match: isEmpty(match) ? undefined : [match],
      route: [{ destination: dest }],
      rewrite: isEmpty(rewrite) ? undefined : rewrite,
    });
  }

  // ---- output ---------------------------------------------------------------------------------------

  private sortedObjects(): IstioObject[] {
    return [...this.objects.values()].sort(
      (a, b) =>
        KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
        (a.metadata.namespace ?? "").localeCompare(b.metadata.namespace ?? "") ||
        a.metadata.name.localeCompare(b.metadata.name),
    );
  }

  private sortedFindings(): Finding[] {
    return this.findings
      .map((f, i) => ({ f, i }))
      .sort(
        (a, b) => SEVERITIES.indexOf(a.f.severity) - SEVERITIES.indexOf(b.f.severity) || a.i - b.i,
      )
      .map((x) => x.f);
  }
}

function connectionPool(p: NonNullable<Listener["connectionPool"]>): Obj | undefined {
  const tcp = p.tcp?.maxConnections ?? p.http?.maxConnections;
  const http = clean({
    http1MaxPendingRequests: p.http?.maxPendingRequests,
    http2MaxRequests: p.http2?.maxRequests ?? p.grpc?.maxRequests,
  });
  const out = clean({
    tcp: tcp !== undefined ? { maxConnections: tcp } : undefined,
    http: isEmpty(http) ? undefined : http,
  });
  return isEmpty(out) ? undefined : out;
}

/** An HTTP match's rank: exact path, then longer prefixes, then more header/query/method conditions. */
function httpMatchSpecificity(m: {
  path?: { exact?: string; regex?: string };
  prefix?: string;
  headers?: readonly unknown[];
  queryParameters?: readonly unknown[];
  method?: string;
}): number[] {
  return specificity({
    path: m.path,
    prefix: m.prefix,
    conditions: (m.headers?.length ?? 0) + (m.queryParameters?.length ?? 0) + (m.method ? 1 : 0),
  });
}

function routeSpecificity(r: Route): number[] {
  const h = r.httpRoute ?? r.http2Route;
  if (h) return httpMatchSpecificity(h.match);
  if (r.grpcRoute) {
    const m = r.grpcRoute.match;
    return specificity({
      serviceName: m.serviceName,
      methodName: m.methodName,
      conditions: m.metadata?.length ?? 0,
    });
  }
  return [3];
}

function gatewayRouteSpecificity(s: GatewayRouteSpec): number[] {
  const h = s.httpRoute ?? s.http2Route;
  if (h) return httpMatchSpecificity(h.match);
  if (s.grpcRoute)
    return specificity({
      serviceName: s.grpcRoute.match.serviceName,
      conditions: s.grpcRoute.match.metadata?.length ?? 0,
    });
  return [3];
}

/** App Mesh files in, Istio objects and the findings out. Throws InputError for unreadable input. */
export function convert(files: readonly SourceFile[], opts: ConvertOptions = {}): ConversionResult {
  const inv = readInventory(files, opts.namespace ?? "default");
  return new Converter(inv).run();
}
