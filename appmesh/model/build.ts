// Inventory -> the resolved App Mesh model: nodes, services, routers, gateways, each reference resolved once.
import type { Inventory } from "../read/inventory";
import { CLUSTER_SUFFIX, k8sName } from "../names";
import { BuildContext, located } from "./context";
import { resolveGatewayRoutes, resolveGateways } from "./gateways";
import { assignVersions, nodeFindings, resolveNodes } from "./nodes";
import { resolveRouters } from "./routes";
import { resolveBackends, resolveServices } from "./services";
import type { AppMeshModel, MeshRouter } from "./types";

/** The host Istio is told to route for a router no VirtualService uses (its name in its namespace). */
export function assumedRouterHost(r: MeshRouter): string {
  return `${k8sName(r.name)}.${r.namespace}${CLUSTER_SUFFIX}`;
}

export function buildModel(inv: Inventory): AppMeshModel {
  const ctx = new BuildContext(inv);
  const meshes = inv.meshes.map(located);
  for (const m of meshes) {
    if (m.spec.meshOwner)
      ctx.on(
        m,
        "warning",
        "spec.meshOwner",
        "shared (cross-account) meshes have no Istio equivalent",
      );
    if (m.spec.awsName)
      ctx.on(m, "info", "spec.awsName", "App Mesh names have no Istio equivalent");
    if (m.spec.serviceDiscovery?.ipPreference) {
      ctx.on(
        m,
        "info",
        "spec.serviceDiscovery.ipPreference",
        "IP family preference has no Istio field (cluster-level setting)",
      );
    }
  }
  const nodes = resolveNodes(ctx);
  const sharedHosts = assignVersions(ctx, nodes);
  const routers = resolveRouters(ctx, inv.routers);
  const byName = new Map(routers.map((r) => [`${r.namespace}/${r.name}`, r]));
  const routerOf = (ns: string, name: string) => byName.get(`${ns}/${name}`);
  const services = resolveServices(ctx, routerOf);
  for (const r of routers) {
    if (r.services.length > 0) continue;
    const host = assumedRouterHost(r);
    ctx.on(
      r,
      "warning",
      "metadata.name",
      r.synthetic
        ? `routes name this router but neither it nor a VirtualService using it is in the input; host "${host}" assumed: set hosts to the name clients call`
        : `no VirtualService in the input uses this router; host "${host}" assumed: set hosts to the name clients call`,
    );
  }
  for (const n of nodes) {
    nodeFindings(ctx, n);
    // Backends name VirtualServices, which are known only now.
    n.backends.push(...resolveBackends(ctx, n));
  }
  for (const e of [...routers, ...inv.gateways.map(located), ...inv.gatewayRoutes.map(located)]) {
    if (e.spec.awsName && !e.fromApi)
      ctx.on(e, "info", "spec.awsName", "App Mesh names have no Istio equivalent");
  }
  const gateways = resolveGateways(ctx);
  const gatewayGroups = resolveGatewayRoutes(ctx, gateways);
  return {
    meshes,
    nodes,
    services,
    routers,
    gateways,
    gatewayGroups,
    backendGroups: inv.backendGroups,
    k8sServices: inv.k8sServices,
    workloads: inv.workloads,
    nodeFacts: inv.nodeFacts,
    sharedHosts,
    dropAll: meshes.some((m) => m.spec.egressFilter?.type === "DROP_ALL"),
    findings: ctx.findings,
    lookup: {
      node: (ns, name) => ctx.node(ns, name),
      service: (ns, name) => ctx.service(ns, name),
      k8sService: (ns, name) => ctx.k8sService(ns, name),
    },
  };
}
