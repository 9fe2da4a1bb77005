// The `gateway-api` target (sidecar mode): mesh routes as GAMMA routes, per-version Services, Gateways at the
// edge; the policies the Gateway API has no field for stay Istio objects (DestinationRule, Sidecar, ...).
import { assumedRouterHost } from "../../model/build";
import type { AppMeshModel, MeshGatewayRoute } from "../../model/types";
import { isEmpty } from "../../model/context";
import { isServiceName } from "../../names";
import type { ConvertOptions, Finding, K8sObject } from "../../types";
import { meshFindings } from "../istio";
import { nodeServerSide } from "../istio/workloads";
import { EmitContext } from "../shared/context";
import { GatewayEnv, gatewayEnv, reachedBy } from "./backends";
import { GATEWAY_API_KIND_ORDER } from "./common";
import { edge } from "./edge";
import { nodeRoute, parentOf, reportRouterFindings, attachRouterRoutes } from "./mesh-routes";

/** Mesh routes (GAMMA) for every VirtualService and unused router; shared by the gateway-api and ambient targets. */
export function meshRoutes(env: GatewayEnv): void {
  const model = env.ctx.model;
  for (const r of model.routers) if (r.routes.length > 0) reportRouterFindings(env, r);
  for (const vs of model.services) {
    if (!vs.hostValid) continue;
    const p = vs.provider;
    if (p.kind === "router") {
      const parent = parentOf(env, vs, `${vs.source} via ${p.router.source}`);
      if (parent) attachRouterRoutes(env, p.router, parent);
    } else if (p.kind === "node" && p.redirect && p.node.target.valid) {
      const parent = parentOf(env, vs, vs.source);
      if (parent) nodeRoute(env, vs, p.node, parent);
    }
  }
  for (const r of model.routers) {
    if (r.services.length > 0) continue;
    const host = assumedRouterHost(r);
    const [name, namespace] = host.split(".");
    if (!isServiceName(name)) {
      env.ctx.on(
        r,
        "blocker",
        "metadata.name",
        `no Gateway API route for the assumed host ${host}: "${name}" cannot be a Service name (a DNS-1035 label)`,
      );
      continue;
    }
    attachRouterRoutes(env, r, { name, namespace, host, from: r.source, owner: r });
  }
}

/** In sidecar mode Istio applies GAMMA routes to traffic from sidecars, not to traffic a gateway forwards. */
function routerBehindGateway(env: GatewayEnv): (gr: MeshGatewayRoute) => void {
  return (gr) => {
    const vs = gr.service;
    if (!vs?.spec.provider?.virtualRouter) return;
    const [svcName, ns] = gr.host.split(".");
    const svc = env.ctx.model.lookup.k8sService(ns ?? "", svcName);
    const noEndpoints = svc !== undefined && (svc.selector === undefined || isEmpty(svc.selector));
    env.ctx.on(
      gr,
      noEndpoints ? "blocker" : "warning",
      `spec.${gr.type}.action.target`,
      `in sidecar mode Istio applies the routes attached to a Service (those of ${vs.source}) to sidecar traffic only: traffic entering here goes straight to ${gr.host}` +
        (noEndpoints ? ", whose Service selects no pods" : "") +
        "; attach the routes to this Gateway as well, or use ambient mode (a waypoint applies them to gateway traffic)",
    );
  };
}

export function emitGatewayApi(
  model: AppMeshModel,
  opts: ConvertOptions,
): { objects: K8sObject[]; findings: Finding[] } {
  const ctx = new EmitContext(model, GATEWAY_API_KIND_ORDER);
  meshFindings(ctx, "sidecar");
  const env = gatewayEnv(ctx, "sidecar");
  env.versions.emitAll();
  meshRoutes(env);
  for (const n of model.nodes) nodeServerSide(ctx, env.drs, n, (x) => reachedBy(env, x));
  edge(env, opts, routerBehindGateway(env));
  env.grants.emit(ctx);
  env.drs.emit(ctx);
  return { objects: ctx.objects.sorted(), findings: ctx.findings };
}
