// The `ambient` target: GAMMA routes run in a waypoint per namespace that needs L7, ztunnel carries the rest;
// no Sidecar objects; AuthorizationPolicies bind to the waypoint (targetRefs) or stay L4 (selector).
import type { AppMeshModel, MeshGatewayRoute } from "../../model/types";
import type { ConvertOptions, Finding, K8sObject } from "../../types";
import { meshFindings } from "../istio";
import { EmitContext } from "../shared/context";
import { GatewayEnv, gatewayEnv } from "../gateway-api/backends";
import { GATEWAY_API_KIND_ORDER, GATEWAY_V1 } from "../gateway-api/common";
import { edge } from "../gateway-api/edge";
import { meshRoutes } from "../gateway-api";
import { nodeDestinationPolicies, nodePolicies, Reach, reachIndex } from "./policies";
import { ambientPrerequisites } from "./prerequisites";

export const WAYPOINT = "waypoint";
export const USE_WAYPOINT = "istio.io/use-waypoint";
export const INGRESS_USE_WAYPOINT = "istio.io/ingress-use-waypoint";

/** As the gateway-api target, without Sidecars (ambient has none). */
export const AMBIENT_KIND_ORDER = GATEWAY_API_KIND_ORDER.filter((k) => k !== "Sidecar");

const ROUTE_KINDS = new Set(["HTTPRoute", "GRPCRoute", "TCPRoute"]);

/** Namespaces whose Services need L7 processing: mesh routes attach there, or waypoint-enforced policies apply. */
function l7Namespaces(ctx: EmitContext): Set<string> {
  const out = new Set<string>();
  for (const o of ctx.objects.sorted()) {
    const spec = o.spec as {
      parentRefs?: { kind?: string; namespace?: string }[];
      host?: string;
      workloadSelector?: unknown;
    };
    if (ROUTE_KINDS.has(o.kind) && spec.parentRefs?.some((p) => p.kind === "Service"))
      out.add(o.metadata.namespace!);
    // DestinationRule policies for mesh hosts are applied by the waypoint in front of the host.
    if (
      o.kind === "DestinationRule" &&
      !spec.workloadSelector &&
      spec.host?.endsWith(".svc.cluster.local")
    )
      out.add(spec.host.split(".")[1]);
  }
  return out;
}

function waypoint(ctx: EmitContext, namespace: string): void {
  ctx.objects.emit(
    GATEWAY_V1,
    "Gateway",
    namespace,
    WAYPOINT,
    {
      gatewayClassName: "istio-waypoint",
      listeners: [
        {
          name: "mesh",
          port: 15008,
          protocol: "HBONE",
          allowedRoutes: { namespaces: { from: "Same" } },
        },
      ],
    },
    `the converted routes and policies of namespace ${namespace}`,
    { exactName: true, labels: { "istio.io/waypoint-for": "service" } },
  );
}

export function emitAmbient(
  model: AppMeshModel,
  opts: ConvertOptions,
): {
  objects: K8sObject[];
  findings: Finding[];
  namespaceLabels: Record<string, Record<string, string>>;
} {
  const ctx = new EmitContext(model, AMBIENT_KIND_ORDER);
  meshFindings(ctx, "ambient");
  ambientPrerequisites(model, ctx);
  const env = gatewayEnv(ctx, "ambient");
  env.versions.emitAll();
  meshRoutes(env);
  for (const n of model.nodes) nodeDestinationPolicies(env, n);
  // Routes and destination policies decide where waypoints go; authorization follows from that.
  env.drs.emit(ctx);
  const waypoints = l7Namespaces(ctx);
  const labels: Record<string, Record<string, string>> = {};
  for (const ns of [...waypoints].sort()) {
    waypoint(ctx, ns);
    labels[ns] = { [USE_WAYPOINT]: WAYPOINT };
    ctx.findings.push({
      severity: "info",
      source: `Namespace ${ns}`,
      field: "metadata.labels",
      reason: `converted routes or policies need L7 here: waypoint ${ns}/${WAYPOINT} (gatewayClassName istio-waypoint); label the namespace ${USE_WAYPOINT}=${WAYPOINT}`,
    });
  }
  // Built on first use: only nodes that restrict their callers behind a waypoint need it.
  let reach: Reach | undefined;
  const reachOnce = () => (reach ??= reachIndex(env));
  for (const n of model.nodes) nodePolicies(env, n, waypoints, reachOnce);
  edge(env, opts, (gr) => ingressThroughWaypoint(env, gr, waypoints, labels));
  env.grants.emit(ctx);
  return { objects: ctx.objects.sorted(), findings: ctx.findings, namespaceLabels: labels };
}

/**
 * A GatewayRoute to a router-backed service: the ingress gateway sends through the service's waypoint when the
 * namespace says `istio.io/ingress-use-waypoint=true`, so the routes attached to the Service apply.
 */
function ingressThroughWaypoint(
  env: GatewayEnv,
  gr: MeshGatewayRoute,
  waypoints: ReadonlySet<string>,
  labels: Record<string, Record<string, string>>,
): void {
  const vs = gr.service;
  if (!vs?.spec.provider?.virtualRouter) return;
  const ns = gr.host.split(".")[1] ?? "";
  if (!waypoints.has(ns)) return;
  labels[ns] = { ...labels[ns], [INGRESS_USE_WAYPOINT]: "true" };
  env.ctx.on(
    gr,
    "info",
    `spec.${gr.type}.action.target`,
    `the routes of ${vs.source} run in waypoint ${ns}/${WAYPOINT}; label namespace ${ns} ${INGRESS_USE_WAYPOINT}=true so traffic entering here goes through it too`,
  );
}
