// The `istio` target: sidecar-mode Istio objects (VirtualService, DestinationRule, Gateway, Sidecar, ...).
import { assumedRouterHost } from "../../model/build";
import type { AppMeshModel, MeshRouter, MeshService } from "../../model/types";
import {
  APPMESH_DEFAULT_RETRIES,
  APPMESH_DEFAULT_TIMEOUT_MS,
  millisString,
} from "../../route-values";
import type { Finding, K8sObject } from "../../types";
import { clean, Obj } from "../objects";
import { EmitContext } from "../shared/context";
import { DestinationRules } from "../shared/destination-rules";
import { effectiveTimeout } from "../shared/timeouts";
import { gatewaysAndRoutes } from "./gateways";
import { RouterRoutes, virtualServiceRoutes } from "./routes";
import { nodeServerSide } from "./workloads";

export const ISTIO_KIND_ORDER = [
  "Gateway",
  "VirtualService",
  "DestinationRule",
  "ServiceEntry",
  "Sidecar",
  "PeerAuthentication",
  "AuthorizationPolicy",
];

/** Mesh-level findings in sidecar terms: namespace injection and the egress policy per workload. */
export function meshFindings(ctx: EmitContext, mode: "sidecar" | "ambient"): void {
  const modes = new Set<string>();
  for (const m of ctx.model.meshes) {
    const sel = m.spec.namespaceSelector?.matchLabels;
    const label =
      mode === "ambient" ? "istio.io/dataplane-mode=ambient" : "istio-injection=enabled";
    ctx.on(
      m,
      "info",
      "spec.namespaceSelector",
      `the mesh is the Istio installation: label the member namespaces ${label}${
        sel ? ` (App Mesh selected namespaces by ${JSON.stringify(sel)})` : ""
      }`,
    );
    const type = m.spec.egressFilter?.type ?? "ALLOW_ALL";
    modes.add(type);
    if (type === "DROP_ALL") {
      ctx.on(
        m,
        "warning",
        "spec.egressFilter.type",
        mode === "ambient"
          ? "DROP_ALL -> outboundTrafficPolicy REGISTRY_ONLY has no per-workload form in ambient mode (no Sidecar): set meshConfig.outboundTrafficPolicy.mode=REGISTRY_ONLY at install and route external hosts through an egress waypoint; Istio notes REGISTRY_ONLY is not a firewall"
          : "DROP_ALL -> outboundTrafficPolicy REGISTRY_ONLY: set meshConfig.outboundTrafficPolicy.mode=REGISTRY_ONLY at install; " +
              "the generated Sidecars carry it per workload. Istio notes REGISTRY_ONLY is not a firewall",
      );
    }
  }
  if (modes.size > 1 && mode === "sidecar") {
    ctx.findings.push({
      severity: "warning",
      source: "Mesh *",
      field: "spec.egressFilter.type",
      reason: "meshes disagree on egressFilter; REGISTRY_ONLY applied to every generated Sidecar",
    });
  }
}

function routerVirtualService(
  ctx: EmitContext,
  converted: RouterRoutes,
  r: MeshRouter,
  target: { name: string; namespace: string; host: string; from: string },
): void {
  const { http, tcp } = converted;
  if (http.length === 0 && tcp.length === 0) {
    ctx.on(
      r,
      "warning",
      "spec.routes",
      `no convertible routes; no Istio VirtualService for ${target.host}`,
    );
    return;
  }
  ctx.istio(
    "VirtualService",
    target.namespace,
    target.name,
    { hosts: [target.host], ...(http.length ? { http } : {}), ...(tcp.length ? { tcp } : {}) },
    target.from,
  );
}

/** A VirtualService backed by a node whose host differs from the one clients call: send them there. */
function nodeVirtualService(ctx: EmitContext, vs: MeshService): void {
  if (vs.provider.kind !== "node" || !vs.provider.redirect) return;
  const n = vs.provider.node;
  const t = n.target;
  // A VirtualService to the host itself would change nothing (the selector-less case is a blocker instead).
  if (!t.valid || (t.host === vs.host && !t.subset)) return;
  const protocol = n.spec.listeners?.[0]?.portMapping.protocol ?? "http";
  const destination = clean({ host: t.host, subset: t.subset });
  const spec: Obj =
    protocol === "tcp"
      ? { hosts: [vs.host], tcp: [{ route: [{ destination }] }] }
      : {
          hosts: [vs.host],
          http: [
            {
              name: "default",
              route: [{ destination }],
              timeout: millisString(
                effectiveTimeout(undefined, [n], protocol).ms ?? APPMESH_DEFAULT_TIMEOUT_MS,
              ),
              retries: { ...APPMESH_DEFAULT_RETRIES },
            },
          ],
        };
  ctx.istio("VirtualService", vs.namespace, vs.name, spec, vs.source);
  ctx.on(
    vs,
    "info",
    "spec.provider.virtualNode",
    `clients call ${vs.host}; an Istio VirtualService sends them to ${t.host}${t.subset ? ` subset ${t.subset}` : ""} with App Mesh's default timeout and retries`,
  );
}

export function emitIstio(model: AppMeshModel): { objects: K8sObject[]; findings: Finding[] } {
  const ctx = new EmitContext(model, ISTIO_KIND_ORDER);
  meshFindings(ctx, "sidecar");
  const drs = new DestinationRules();
  for (const nodes of model.sharedHosts.values()) {
    for (const n of nodes) {
      if (!n.target.subset || !n.target.subsetLabels) continue;
      const dr = drs.of(n.target);
      dr.subsets.set(n.target.subset, { labels: n.target.subsetLabels });
      dr.sources.add(n.source);
    }
  }
  const converted = new Map<MeshRouter, RouterRoutes>();
  const routesOf = (r: MeshRouter) => {
    let c = converted.get(r);
    if (!c) {
      c = virtualServiceRoutes(ctx, drs, r);
      converted.set(r, c);
    }
    return c;
  };
  for (const vs of model.services) {
    if (!vs.hostValid) continue;
    if (vs.provider.kind === "router") {
      const r = vs.provider.router;
      routerVirtualService(ctx, routesOf(r), r, {
        name: vs.name,
        namespace: vs.namespace,
        host: vs.host,
        from: `${vs.source} via ${r.source}`,
      });
    } else nodeVirtualService(ctx, vs);
  }
  for (const r of model.routers) {
    if (r.services.length > 0) continue;
    routerVirtualService(ctx, routesOf(r), r, {
      name: r.name,
      namespace: r.namespace,
      host: assumedRouterHost(r),
      from: r.source,
    });
  }
  for (const n of model.nodes) nodeServerSide(ctx, drs, n);
  gatewaysAndRoutes(ctx);
  drs.emit(ctx);
  return { objects: ctx.objects.sorted(), findings: ctx.findings };
}
