// Istio policy objects every target keeps (the Gateway API has none): ServiceEntry, DestinationRule policies,
// PeerAuthentication and AuthorizationPolicy, from a node's listeners, service discovery and client policies.
import { nodeBySan } from "../../model/nodes";
import { destinationsOf } from "../../model/services";
import type { Backend, MeshNode, NodeTarget } from "../../model/types";
import { k8sName } from "../../names";
import type { ClientPolicy, Listener } from "../../read/schema";
import { durationString } from "../../route-values";
import { isEmpty } from "../../model/context";
import { clean, Obj } from "../objects";
import type { EmitContext } from "./context";
import type { DestinationRules } from "./destination-rules";

function portProtocol(p: string): string {
  return p === "http2" ? "HTTP2" : p === "grpc" ? "GRPC" : p === "tcp" ? "TCP" : "HTTP";
}

/** App Mesh listener connection pool -> Istio connectionPool settings (undefined when nothing maps). */
export function connectionPool(p: NonNullable<Listener["connectionPool"]>): Obj | undefined {
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

/** An external DNS node -> a MESH_EXTERNAL ServiceEntry, so the mesh can route and allow it. */
export function serviceEntry(ctx: EmitContext, n: MeshNode): void {
  const t = n.target;
  const listeners = n.spec.listeners ?? [];
  const ports = listeners.map((l) => ({
    number: l.portMapping.port,
    name: `${l.portMapping.protocol}-${l.portMapping.port}`,
    protocol: portProtocol(l.portMapping.protocol),
  }));
  if (ports.length === 0) {
    ports.push({ number: 443, name: "tls-443", protocol: "TLS" });
    ctx.on(
      n,
      "warning",
      "spec.listeners",
      "no listeners: ServiceEntry port 443/TLS assumed for the external host",
    );
  }
  ctx.istio(
    "ServiceEntry",
    n.namespace,
    n.name,
    { hosts: [t.host], ports, location: "MESH_EXTERNAL", resolution: "DNS" },
    n.source,
  );
  ctx.on(
    n,
    "info",
    "spec.serviceDiscovery.dns.hostname",
    `external host ${t.host} -> ServiceEntry (MESH_EXTERNAL, DNS)`,
  );
}

/**
 * Listener outlier detection -> the node's host's DestinationRule (callers enforce it, as in App Mesh); on the
 * version's subset when the node is one. `subsets`: false when the target routes to versions by Service.
 */
export function outlierDetection(
  ctx: EmitContext,
  drs: DestinationRules,
  n: MeshNode,
  t: Pick<NodeTarget, "host" | "hostNamespace" | "inCluster" | "subset">,
  enforcedBy: string,
): void {
  const od = (n.spec.listeners ?? []).find((l) => l.outlierDetection)?.outlierDetection;
  if (!od) return;
  const policy = {
    outlierDetection: {
      consecutive5xxErrors: od.maxServerErrors,
      interval: durationString(od.interval) ?? "1ms",
      baseEjectionTime: durationString(od.baseEjectionDuration) ?? "1ms",
      maxEjectionPercent: od.maxEjectionPercent,
    },
  };
  if (od.interval.value === 0 || od.baseEjectionDuration.value === 0) {
    ctx.on(
      n,
      "warning",
      "spec.listeners[].outlierDetection",
      "a 0 duration is below Istio's 1ms minimum; 1ms used",
    );
  }
  const dr = drs.of(t);
  const subset = t.subset ? dr.subsets.get(t.subset) : undefined;
  if (subset) subset.trafficPolicy = policy;
  else Object.assign(dr.trafficPolicy, policy);
  dr.sources.add(n.source);
  ctx.on(
    n,
    "info",
    "spec.listeners[].outlierDetection",
    `-> DestinationRule ${dr.namespace}/${dr.name} outlierDetection (${enforcedBy})`,
  );
}

/**
 * Client TLS of a node's backends -> DestinationRule `tls` of the hosts they lead to: ISTIO_MUTUAL in the mesh
 * (skipped with `meshMtls`: the data plane already encrypts), SIMPLE/MUTUAL for external hosts.
 */
export function clientTls(
  ctx: EmitContext,
  drs: DestinationRules,
  n: MeshNode,
  policy: ClientPolicy,
  field: string,
  targets: readonly Pick<NodeTarget, "host" | "hostNamespace" | "inCluster">[],
  meshMtls: "istio-mutual" | "ambient",
): void {
  const tls = policy.tls!;
  if (tls.validation.trust.acm) {
    ctx.on(
      n,
      "warning",
      `${field}.validation.trust.acm`,
      "ACM Private CA trust has no Istio field: export the PCA root as the mesh CA bundle (install-level)",
    );
  }
  if (tls.ports?.length)
    ctx.on(
      n,
      "info",
      `${field}.ports`,
      "port-scoped client TLS not carried over; Istio mTLS covers every port",
    );
  for (const t of targets) {
    if (t.inCluster && meshMtls === "ambient") continue;
    const dr = drs.of(t);
    if (t.inCluster) {
      dr.trafficPolicy.tls = { mode: "ISTIO_MUTUAL" };
    } else {
      dr.trafficPolicy.tls = clean({
        mode: tls.certificate ? "MUTUAL" : "SIMPLE",
        caCertificates: tls.validation.trust.file?.certificateChain,
        subjectAltNames: tls.validation.subjectAlternativeNames?.match.exact,
        clientCertificate: tls.certificate?.file?.certificateChain,
        privateKey: tls.certificate?.file?.privateKey,
        credentialName: tls.certificate?.sds ? k8sName(tls.certificate.sds.secretName) : undefined,
      });
    }
    dr.sources.add(n.source);
  }
  const external = targets.some((t) => !t.inCluster) ? "SIMPLE/MUTUAL for external hosts and " : "";
  ctx.on(
    n,
    "info",
    field,
    meshMtls === "ambient"
      ? `client TLS -> ${external ? "DestinationRule tls SIMPLE/MUTUAL for external hosts; " : ""}mesh hosts are reached over ztunnel's mutual TLS (HBONE) without a DestinationRule`
      : `client TLS -> DestinationRule tls ${external}ISTIO_MUTUAL for mesh hosts; Istio applies it to every client of those hosts, App Mesh only to this node`,
  );
}

/** How a node is reached: its own target in sidecar Istio, its version's Service with Gateway API routes. */
export type HostOf = (n: MeshNode) => Pick<NodeTarget, "host" | "hostNamespace" | "inCluster">;

export const OWN_TARGET: HostOf = (n) => n.target;

/** The hosts each backend leads to, as Sidecar egress `namespace/host` entries. */
export function backendEgressHosts(ctx: EmitContext, b: Backend, hostOf: HostOf): string[] {
  if (b.assumed) return [`${b.assumed.namespace}/${b.assumed.host}`];
  const vs = b.service!;
  if (!vs.hostValid) return [];
  const hosts = [
    `${vs.inCluster ? vs.host.split(".")[1] : "*"}/${vs.host}`,
    // The Istio VirtualService lives in the App Mesh VirtualService's namespace: import it from there too.
    `${vs.namespace}/${vs.host}`,
  ];
  for (const n of destinationsOf(ctx.model.lookup, vs)) {
    if (!n.target.valid) continue;
    const t = hostOf(n);
    hosts.push(`${t.inCluster ? t.hostNamespace : "*"}/${t.host}`);
  }
  return hosts;
}

/** Client TLS for every backend of a node (its own policy, or the node's backendDefaults). */
export function backendClientTls(
  ctx: EmitContext,
  drs: DestinationRules,
  n: MeshNode,
  meshMtls: "istio-mutual" | "ambient",
  hostOf: HostOf,
): void {
  const defaults = n.spec.backendDefaults?.clientPolicy;
  for (const b of n.backends) {
    const policy = b.clientPolicy ?? defaults;
    if (!policy?.tls || policy.tls.enforce === false) continue;
    const field = b.clientPolicy
      ? `${b.field}.clientPolicy.tls`
      : "spec.backendDefaults.clientPolicy.tls";
    const targets = b.service
      ? destinationsOf(ctx.model.lookup, b.service)
          .filter((d) => d.target.valid)
          .map(hostOf)
      : [];
    clientTls(ctx, drs, n, policy, field, targets, meshMtls);
  }
}

export function peerAuthentication(
  ctx: EmitContext,
  n: MeshNode,
  labels: Readonly<Record<string, string>>,
) {
  const listeners = n.spec.listeners ?? [];
  const modeOf = (m: string) => (m === "DISABLED" ? "DISABLE" : m);
  const withTls = listeners.filter((l) => l.tls);
  if (withTls.length === 0) return;
  const modes = new Set(withTls.map((l) => modeOf(l.tls!.mode)));
  const spec: Obj = { selector: { matchLabels: labels } };
  if (modes.size === 1 && withTls.length === listeners.length) {
    spec.mtls = { mode: [...modes][0] };
  } else {
    const plm: Obj = {};
    for (const l of withTls) plm[String(l.portMapping.port)] = { mode: modeOf(l.tls!.mode) };
    spec.portLevelMtls = plm;
  }
  ctx.istio("PeerAuthentication", n.namespace, n.name, spec, n.source);
}

/** Where an AuthorizationPolicy applies: the node's pods (ztunnel or sidecar), or a Service at its waypoint. */
export type PolicyBinding =
  | { readonly selector: Readonly<Record<string, string>> }
  | {
      readonly targetRefs: readonly { group: string; kind: string; name: string }[];
      readonly note: string;
    };

/** Listener client-certificate SANs restrict who may call: an ALLOW policy for those callers' identities. */
export function authorizationPolicy(ctx: EmitContext, n: MeshNode, binding: PolicyBinding): void {
  const principals = new Set<string>();
  const ports = new Set<string>();
  (n.spec.listeners ?? []).forEach((l, i) => {
    const sans = l.tls?.validation?.subjectAlternativeNames?.match.exact ?? [];
    if (sans.length === 0) return;
    ports.add(String(l.portMapping.port));
    for (const san of sans) {
      const caller = nodeBySan(ctx.model.nodes, san);
      if (!caller) {
        ctx.on(
          n,
          "warning",
          `spec.listeners[${i}].tls.validation.subjectAlternativeNames`,
          `SAN "${san}" names no VirtualNode in the input; rewrite it as an Istio principal (<trust-domain>/ns/<ns>/sa/<service-account>)`,
        );
        continue;
      }
      principals.add(`cluster.local/ns/${caller.namespace}/sa/${caller.serviceAccount}`);
    }
  });
  if (ports.size === 0) return;
  if (principals.size === 0) {
    ctx.on(
      n,
      "warning",
      "spec.listeners[].tls.validation",
      "no allowed client could be resolved; no AuthorizationPolicy emitted (an empty ALLOW would deny everyone)",
    );
    return;
  }
  const target =
    "selector" in binding
      ? { selector: { matchLabels: binding.selector } }
      : { targetRefs: binding.targetRefs };
  ctx.istio(
    "AuthorizationPolicy",
    n.namespace,
    n.name,
    {
      ...target,
      action: "ALLOW",
      rules: [
        {
          from: [{ source: { principals: [...principals].sort() } }],
          to: [{ operation: { ports: [...ports].sort() } }],
        },
      ],
    },
    n.source,
  );
  ctx.on(
    n,
    "info",
    "spec.listeners[].tls.validation.subjectAlternativeNames",
    "allowed client SANs -> AuthorizationPolicy principals (trust domain cluster.local; service accounts from the callers' Deployments, else default)" +
      ("note" in binding ? `; ${binding.note}` : ""),
  );
}
