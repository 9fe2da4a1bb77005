// VirtualNodes resolved: the host (and version subset) traffic reaches them by, their listeners' findings.
import type { Entity, K8sService } from "../read/inventory";
import type { LabelSelector, Listener, VirtualNodeSpec } from "../read/schema";
import { CLUSTER_SUFFIX, clusterHost, hostProblem, k8sName, labelsProblem, quote } from "../names";
import { BuildContext, isEmpty, located, sameLabels, subsetOf } from "./context";
import type { Located, MeshNode, NodeTarget } from "./types";

type NodeEntity = Entity<VirtualNodeSpec> & Located;

export function selectorLabels(sel: LabelSelector | undefined): Record<string, string> | undefined {
  if (!sel || isEmpty(sel.matchLabels)) return undefined;
  return { ...sel.matchLabels };
}

/**
 * An object's podSelector labels, or undefined: selectors Kubernetes would refuse are a blocker (Sidecars,
 * policies and versions could not select the pods), and the object is treated as unlabelled.
 */
export function checkedSelector(
  ctx: BuildContext,
  e: Located & { spec: { podSelector?: LabelSelector } },
  whose: string,
): Record<string, string> | undefined {
  const labels = selectorLabels(e.spec.podSelector);
  const problem = labels ? labelsProblem(labels) : undefined;
  if (!problem) return labels;
  ctx.on(
    e,
    "blocker",
    "spec.podSelector.matchLabels",
    `${problem}: nothing can select ${whose} pods`,
  );
  return undefined;
}

function dnsTarget(ctx: BuildContext, n: NodeEntity): NodeTarget {
  const dns = n.spec.serviceDiscovery!.dns!;
  const c = clusterHost(dns.hostname, n.namespace, ctx.namespaces);
  let t: NodeTarget;
  if (c) {
    const svc = ctx.k8sService(c.ns, c.svc);
    t = {
      host: c.host,
      hostNamespace: c.ns,
      inCluster: true,
      valid: true,
      ...(svc ? { service: svc } : {}),
    };
    if (!svc && ctx.serviceNamespaces.has(c.ns) && hostProblem(c.host) === undefined) {
      ctx.on(
        n,
        "warning",
        "spec.serviceDiscovery.dns.hostname",
        `no Kubernetes Service ${c.ns}/${c.svc} in the input for "${dns.hostname}"; create it or Istio has no endpoints for ${c.host}`,
      );
    }
  } else {
    t = {
      host: dns.hostname.toLowerCase(),
      hostNamespace: n.namespace,
      inCluster: false,
      valid: true,
    };
  }
  if (dns.responseType) {
    ctx.on(
      n,
      "info",
      "spec.serviceDiscovery.dns.responseType",
      `${dns.responseType} has no exact Istio equivalent (closest: ServiceEntry resolution DNS / DNS_ROUND_ROBIN)`,
    );
  }
  if (dns.ipPreference)
    ctx.on(
      n,
      "info",
      "spec.serviceDiscovery.dns.ipPreference",
      "IP family preference has no Istio field",
    );
  return t;
}

function cloudMapTarget(ctx: BuildContext, n: NodeEntity): NodeTarget {
  const cm = n.spec.serviceDiscovery!.awsCloudMap!;
  const svcName = k8sName(cm.serviceName);
  const svc = ctx.k8sService(n.namespace, svcName);
  const host = `${svcName}.${n.namespace}${CLUSTER_SUFFIX}`;
  const t: NodeTarget = {
    host,
    hostNamespace: n.namespace,
    inCluster: true,
    valid: true,
    ...(svc ? { service: svc } : {}),
  };
  if (svc) {
    if (isEmpty(svc.selector) && !isEmpty(n.spec.podSelector?.matchLabels)) t.selectorless = true;
    ctx.on(
      n,
      "warning",
      "spec.serviceDiscovery.awsCloudMap",
      `Cloud Map ${cm.serviceName}.${cm.namespaceName} replaced by the Kubernetes Service ${n.namespace}/${svcName} (${host})`,
    );
  } else {
    const known = ctx.serviceNamespaces.has(n.namespace);
    ctx.on(
      n,
      known ? "blocker" : "warning",
      "spec.serviceDiscovery.awsCloudMap",
      `Cloud Map ${cm.serviceName}.${cm.namespaceName} has no Kubernetes Service behind it${
        known ? "" : " in the input"
      }; Istio routes to ${host}: create a Service ${n.namespace}/${svcName} selecting ${JSON.stringify(n.spec.podSelector?.matchLabels ?? {})}`,
    );
  }
  if (cm.attributes?.length) {
    ctx.on(
      n,
      "info",
      "spec.serviceDiscovery.awsCloudMap.attributes",
      "Cloud Map attribute filters have no Istio equivalent; pods are told apart by podSelector labels (DestinationRule subsets) instead",
    );
  }
  if (cm.ipPreference)
    ctx.on(
      n,
      "info",
      "spec.serviceDiscovery.awsCloudMap.ipPreference",
      "IP family preference has no Istio field",
    );
  return t;
}

function selectedTarget(ctx: BuildContext, n: NodeEntity): NodeTarget {
  const labels = selectorLabels(n.spec.podSelector);
  const svc = labels
    ? ctx.inv.k8sServices.find(
        (s) =>
          s.namespace === n.namespace &&
          s.selector &&
          !isEmpty(s.selector) &&
          subsetOf(s.selector, labels),
      )
    : undefined;
  if (svc) {
    ctx.on(
      n,
      "info",
      "spec.serviceDiscovery",
      `no service discovery; the Kubernetes Service ${svc.namespace}/${svc.name} selects its pods and is used`,
    );
    return {
      host: `${svc.name}.${svc.namespace}${CLUSTER_SUFFIX}`,
      hostNamespace: svc.namespace,
      inCluster: true,
      valid: true,
      service: svc,
    };
  }
  const host = `${k8sName(n.name)}.${n.namespace}${CLUSTER_SUFFIX}`;
  ctx.on(
    n,
    "warning",
    "spec.serviceDiscovery",
    `no service discovery and no Service selecting its pods in the input; host ${host} assumed`,
  );
  return { host, hostNamespace: n.namespace, inCluster: true, valid: true };
}

function resolveTarget(ctx: BuildContext, n: NodeEntity): NodeTarget {
  const sd = n.spec.serviceDiscovery;
  const t = sd?.dns
    ? dnsTarget(ctx, n)
    : sd?.awsCloudMap
      ? cloudMapTarget(ctx, n)
      : selectedTarget(ctx, n);
  const problem = hostProblem(t.host);
  if (problem) {
    t.valid = false;
    ctx.on(
      n,
      "blocker",
      sd?.dns
        ? "spec.serviceDiscovery.dns.hostname"
        : sd?.awsCloudMap
          ? "spec.serviceDiscovery.awsCloudMap.serviceName"
          : "metadata.name",
      `the host ${quote(t.host)} ${problem}: Istio rejects it, so nothing can route to this node`,
    );
  }
  return t;
}

function serviceAccountOf(
  ctx: BuildContext,
  labels: Record<string, string> | undefined,
  ns: string,
) {
  if (!labels) return "default";
  const w = ctx.inv.workloads.find((x) => x.namespace === ns && subsetOf(labels, x.podLabels));
  return w?.serviceAccount ?? "default";
}

/** Every node with its target; backends are attached later, once VirtualServices are known. */
export function resolveNodes(ctx: BuildContext): MeshNode[] {
  return ctx.inv.nodes.map((e) => {
    const n = located(e);
    const podLabels = checkedSelector(ctx, n, "this node's");
    const node: MeshNode = {
      ...n,
      ...(podLabels ? { podLabels } : {}),
      target: resolveTarget(ctx, n),
      serviceAccount: serviceAccountOf(ctx, podLabels, n.namespace),
      backends: [],
    };
    ctx.addNode(node);
    return node;
  });
}

/** True when the Service may select pods this node never registered (its selector is looser). */
function selectsMore(svc: K8sService, labels: Readonly<Record<string, string>>): boolean {
  return (
    svc.selector !== undefined &&
    !isEmpty(svc.selector) &&
    subsetOf(svc.selector, labels) &&
    !sameLabels(svc.selector, labels)
  );
}

/**
 * Several VirtualNodes behind one host become versions told apart by their pod labels. So does a lone node
 * found through Cloud Map whose Service selects more pods than the node registered: App Mesh sent its traffic
 * only to the registered pods, the Service would spread it over every pod it selects.
 */
export function assignVersions(
  ctx: BuildContext,
  nodes: readonly MeshNode[],
): Map<string, MeshNode[]> {
  const byHost = new Map<string, MeshNode[]>();
  for (const n of nodes) {
    if (!n.target.inCluster || !n.target.valid) continue;
    byHost.set(n.target.host, [...(byHost.get(n.target.host) ?? []), n]);
  }
  const shared = new Map<string, MeshNode[]>();
  for (const [host, group] of byHost) {
    if (group.length < 2) {
      const [n] = group;
      const svc = n.target.service;
      if (
        n.spec.serviceDiscovery?.awsCloudMap &&
        svc &&
        n.podLabels &&
        selectsMore(svc, n.podLabels)
      ) {
        n.target.subset = k8sName(n.name);
        n.target.subsetLabels = n.podLabels;
        shared.set(host, group);
        ctx.on(
          n,
          "info",
          "spec.serviceDiscovery.awsCloudMap",
          `Service ${svc.namespace}/${svc.name} selects ${JSON.stringify(svc.selector)}, more pods than the node registered in Cloud Map (${JSON.stringify(n.podLabels)}): traffic goes to those pods only (version ${n.target.subset})`,
        );
      }
      continue;
    }
    shared.set(host, group);
    for (const n of group) {
      if (!n.podLabels) {
        ctx.on(
          n,
          "warning",
          "spec.podSelector",
          `shares host ${host} with ${group.length - 1} other VirtualNode(s) but has no podSelector labels to tell its pods apart; routed to the whole Service`,
        );
        continue;
      }
      n.target.subset = k8sName(n.name);
      n.target.subsetLabels = n.podLabels;
    }
  }
  return shared;
}

/** Istio reads the protocol from the Service port name or appProtocol, App Mesh from the listener. */
function portProtocolFindings(
  ctx: BuildContext,
  n: MeshNode,
  svc: K8sService,
  listeners: readonly Listener[],
) {
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
    ctx.on(
      n,
      proto === "http" || proto === "tcp" ? "info" : "warning",
      `spec.listeners[${i}].portMapping.protocol`,
      `listener protocol ${proto}, but Service ${svc.namespace}/${svc.name} port ${p.port} is named "${p.name ?? ""}"${p.appProtocol ? ` (appProtocol ${p.appProtocol})` : ""}: ` +
        `Istio takes the protocol from the port name or appProtocol; name it ${proto}-${p.port} or set appProtocol: ${proto} (otherwise Istio sniffs or treats it as TCP and skips HTTP routes)`,
    );
  });
}

function listenerFindings(ctx: BuildContext, n: MeshNode, l: Listener, i: number): void {
  const f = `spec.listeners[${i}]`;
  const hc = l.healthCheck;
  if (hc) {
    ctx.on(
      n,
      "warning",
      `${f}.healthCheck`,
      `Istio has no active health checks; use a readinessProbe (${hc.protocol}${hc.path ? ` ${hc.path}` : ""}, periodSeconds=${Math.ceil(hc.intervalMillis / 1000)}, timeoutSeconds=${Math.ceil(hc.timeoutMillis / 1000)}, successThreshold=${hc.healthyThreshold}, failureThreshold=${hc.unhealthyThreshold})`,
    );
  }
  for (const p of ["http", "http2", "grpc"] as const) {
    if (l.timeout?.[p]?.idle)
      ctx.on(
        n,
        "info",
        `${f}.timeout.${p}.idle`,
        "server-side idle timeout has no Istio API field (proxy metadata ISTIO_META_IDLE_TIMEOUT is the nearest)",
      );
  }
  if (l.timeout?.tcp?.idle)
    ctx.on(
      n,
      "info",
      `${f}.timeout.tcp.idle`,
      "server-side tcp idle timeout has no Istio API field (proxy metadata ISTIO_META_IDLE_TIMEOUT is the nearest)",
    );
  const tls = l.tls;
  if (!tls) return;
  if (tls.certificate.acm) {
    ctx.on(
      n,
      "warning",
      `${f}.tls.certificate.acm`,
      "ACM certificates cannot be exported to Istio; Istio's CA issues workload certificates (ACM Private CA can back it at install)",
    );
  } else {
    ctx.on(
      n,
      "info",
      `${f}.tls.certificate`,
      "Istio issues workload certificates itself; the listener certificate is not carried over",
    );
  }
  if (tls.mode === "STRICT" && !tls.validation) {
    ctx.on(
      n,
      "info",
      `${f}.tls.mode`,
      "one-way TLS becomes Istio mutual TLS (stronger: clients must be in the mesh)",
    );
  }
  if (tls.validation?.trust)
    ctx.on(
      n,
      "info",
      `${f}.tls.validation.trust`,
      "trust roots are install-level in Istio (the mesh CA), not per workload",
    );
}

/** Findings about a node that every target shares: selectors, names, listeners, logging. */
export function nodeFindings(ctx: BuildContext, n: MeshNode): void {
  const spec = n.spec;
  const listeners = spec.listeners ?? [];
  if (spec.podSelector?.matchExpressions?.length) {
    ctx.on(
      n,
      "warning",
      "spec.podSelector.matchExpressions",
      "Istio workload selectors take labels only; matchExpressions dropped",
    );
  }
  if (spec.awsName && !n.fromApi)
    ctx.on(n, "info", "spec.awsName", "App Mesh names have no Istio equivalent");
  listeners.forEach((l, i) => listenerFindings(ctx, n, l, i));
  if (n.target.service) portProtocolFindings(ctx, n, n.target.service, listeners);
  if (spec.logging?.accessLog?.file) {
    const fmt = spec.logging.accessLog.file.format;
    ctx.on(
      n,
      "info",
      "spec.logging.accessLog.file",
      `access logs are mesh-wide in Istio: meshConfig.accessLogFile=${spec.logging.accessLog.file.path}${fmt?.json ? ", accessLogEncoding=JSON" : fmt?.text ? ", accessLogFormat=<the text format>" : ""} (or a Telemetry resource per workload)`,
    );
  }
}

/** The node whose identity a listener's allowed client SAN names (by its host, DNS name or SDS secret). */
export function nodeBySan(nodes: readonly MeshNode[], san: string): MeshNode | undefined {
  const s = san.toLowerCase();
  return nodes.find((x) => {
    const sd = x.spec.serviceDiscovery?.dns?.hostname?.toLowerCase();
    if (sd === s) return true;
    if (x.target.host === s) return true;
    if (x.spec.backendDefaults?.clientPolicy?.tls?.certificate?.sds?.secretName === san)
      return true;
    return (x.spec.listeners ?? []).some((l) => l.tls?.certificate.sds?.secretName === san);
  });
}
