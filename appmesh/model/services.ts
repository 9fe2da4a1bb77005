// VirtualServices resolved (the host clients call, the provider behind it) and the backends nodes may call.
import type { Entity } from "../read/inventory";
import type { ClientPolicy, Ref, VirtualServiceSpec } from "../read/schema";
import { CLUSTER_SUFFIX, clusterHost, hostProblem, k8sName, quote } from "../names";
import { BuildContext, located } from "./context";
import type { Backend, MeshNode, MeshRouter, MeshService } from "./types";

/** The host clients call for a VirtualService: its awsName (default `<name>.<namespace>`) as Istio names it. */
export function serviceHost(
  vs: Entity<VirtualServiceSpec>,
  namespaces: ReadonlySet<string>,
): { host: string; inCluster: boolean } {
  const name = vs.spec.awsName ?? `${vs.name}.${vs.namespace}`;
  const c = clusterHost(name, vs.namespace, new Set([...namespaces, vs.namespace]));
  if (c) return { host: c.host, inCluster: true };
  return { host: name.toLowerCase(), inCluster: false };
}

function nonClusterHost(ctx: BuildContext, vs: MeshService): void {
  ctx.on(
    vs,
    "blocker",
    "spec.awsName",
    `clients call "${vs.host}", which is not a Kubernetes Service name: once App Mesh (and its Cloud Map registrations) are gone it may not resolve, ` +
      "and Istio applies a VirtualService only to hosts in its registry; switch clients to the Service name or add a ServiceEntry",
  );
}

function missingProvider(
  ctx: BuildContext,
  vs: MeshService,
  kind: "VirtualRouter" | "VirtualNode",
  ref: Ref,
): void {
  const field =
    kind === "VirtualRouter" ? "virtualRouter.virtualRouterRef" : "virtualNode.virtualNodeRef";
  ctx.on(
    vs,
    "warning",
    `spec.provider.${field}`,
    `${kind} ${ref.namespace ?? vs.namespace}/${ref.name} is not in the input; no Istio VirtualService for ${vs.host}`,
  );
}

/** Every VirtualService with its host and provider (routers are attached by the caller, which owns them). */
export function resolveServices(
  ctx: BuildContext,
  routerOf: (ns: string, name: string) => MeshRouter | undefined,
): MeshService[] {
  return ctx.inv.services.map((e) => {
    const { host, inCluster } = serviceHost(e, ctx.namespaces);
    const problem = hostProblem(host);
    const vs: MeshService = {
      ...located(e),
      host,
      inCluster,
      hostValid: problem === undefined,
      provider: { kind: "none" },
    };
    ctx.addService(vs);
    if (problem) {
      ctx.on(
        vs,
        "blocker",
        "spec.awsName",
        `clients call ${quote(vs.spec.awsName ?? `${vs.name}.${vs.namespace}`)}, whose host ${quote(host)} ${problem}: Istio rejects it, so no route object can carry this service`,
      );
    } else if (vs.spec.awsName && !vs.fromApi && vs.spec.awsName.toLowerCase() !== host) {
      ctx.on(
        vs,
        "info",
        "spec.awsName",
        `clients call "${vs.spec.awsName}"; the Istio host is ${host}`,
      );
    }
    const p = vs.spec.provider;
    if (p?.virtualRouter?.virtualRouterRef) {
      const ref = p.virtualRouter.virtualRouterRef;
      const r = routerOf(ref.namespace ?? vs.namespace, ref.name);
      if (!r) {
        missingProvider(ctx, vs, "VirtualRouter", ref);
        vs.provider = { kind: "missing" };
      } else {
        r.services.push(vs);
        vs.provider = { kind: "router", router: r };
        if (!inCluster && vs.hostValid) nonClusterHost(ctx, vs);
      }
    } else if (p?.virtualNode?.virtualNodeRef) {
      const ref = p.virtualNode.virtualNodeRef;
      const n = ctx.node(ref.namespace ?? vs.namespace, ref.name);
      if (!n) {
        missingProvider(ctx, vs, "VirtualNode", ref);
        vs.provider = { kind: "missing" };
      } else {
        const t = n.target;
        // Clients already calling the node's own Service need nothing (plain Kubernetes routing), nor does an
        // external host (its ServiceEntry is enough).
        // A selector-less Service (Cloud Map) reaches no pods: its clients need a route to the node's pods.
        const redirect =
          !(t.host === host && !t.subset && !t.selectorless) && !(!inCluster && !t.inCluster);
        vs.provider = { kind: "node", node: n, redirect };
        if (redirect && !inCluster && vs.hostValid) nonClusterHost(ctx, vs);
      }
    } else if (p?.virtualNode?.virtualNodeARN || p?.virtualRouter?.virtualRouterARN) {
      vs.provider = { kind: "arn" };
      ctx.on(
        vs,
        "blocker",
        "spec.provider",
        "the provider is an ARN in another mesh/account; Istio multi-cluster is install-level, no object can express it",
      );
    } else {
      ctx.on(
        vs,
        "warning",
        "spec.provider",
        "no provider: App Mesh sends this service no traffic; nothing to convert",
      );
    }
    return vs;
  });
}

const destinations = new WeakMap<MeshService, MeshNode[]>();

/**
 * The nodes a VirtualService's traffic can end up at: its node, or every node its router's routes name (every
 * backend of every node asks, so the answer is kept per service).
 */
export function destinationsOf(
  nodes: { node(ns: string, name: string): MeshNode | undefined },
  vs: MeshService,
): MeshNode[] {
  const known = destinations.get(vs);
  if (known) return known;
  const out: MeshNode[] = [];
  destinations.set(vs, out);
  const p = vs.provider;
  if (p.kind === "node") out.push(p.node);
  if (p.kind === "router") {
    const r = p.router;
    for (const e of r.entries) {
      for (const type of ["httpRoute", "http2Route", "grpcRoute", "tcpRoute"] as const) {
        for (const wt of e.route[type]?.action.weightedTargets ?? []) {
          if (!wt.virtualNodeRef) continue;
          const n = nodes.node(wt.virtualNodeRef.namespace ?? r.namespace, wt.virtualNodeRef.name);
          if (n && !out.some((x) => x.target.host === n.target.host)) out.push(n);
        }
      }
    }
  }
  return out;
}

/** The backends a node may call (its list and its BackendGroups'), each resolved or reported once. */
export function resolveBackends(ctx: BuildContext, n: MeshNode): Backend[] {
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
    const bg = ctx.inv.backendGroups.find(
      (x) => x.name === g.name && x.namespace === (g.namespace ?? n.namespace),
    );
    if (!bg) {
      ctx.on(
        n,
        "warning",
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
  const out: Backend[] = [];
  for (const r of refs) {
    if (!r.ref) {
      ctx.on(
        n,
        "warning",
        `${r.field}.virtualServiceARN`,
        `backend ${r.arn ?? ""} is in another mesh/account; no Istio equivalent (add a ServiceEntry for a reachable host)`,
      );
      continue;
    }
    const cp = r.clientPolicy ? { clientPolicy: r.clientPolicy } : {};
    const vs = ctx.service(r.ref.namespace ?? n.namespace, r.ref.name);
    if (vs) {
      out.push({ field: r.field, service: vs, ...cp });
      continue;
    }
    const ns = r.ref.namespace ?? n.namespace;
    const host = `${k8sName(r.ref.name)}.${ns}${CLUSTER_SUFFIX}`;
    ctx.on(
      n,
      "warning",
      `${r.field}.virtualServiceRef`,
      `backend VirtualService ${ns}/${r.ref.name} is not in the input; host ${host} assumed`,
    );
    out.push({ field: r.field, assumed: { host, namespace: ns }, ...cp });
  }
  return out;
}
