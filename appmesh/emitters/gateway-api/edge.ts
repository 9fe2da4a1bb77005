// VirtualGateways -> Gateway (gatewayClassName istio, an NLB through `infrastructure`); GatewayRoutes -> routes on it.
import type { GatewayGroup, MeshGateway, MeshGatewayRoute } from "../../model/types";
import { nlbServiceAnnotations } from "../../../builders/nlb";
import { dnsLabel, k8sName } from "../../names";
import type { ConvertOptions } from "../../types";
import { Obj, uniqueName } from "../objects";
import { connectionPool } from "../shared/policies";
import { gatewayRewrite } from "../shared/rewrite";
import type { BackendRef } from "./common";
import { GATEWAY_V1 } from "./common";
import { backendRef, GatewayEnv } from "./backends";
import { grpcRouteMatch, httpRouteMatch } from "./matches";
import { grpcConditions, httpConditions, RankedRule, reportPrecedence } from "./precedence";

/**
 * Annotations Istio copies from a Gateway's `infrastructure` to the Service it deploys: the AWS Load Balancer
 * Controller makes it an NLB with IP targets, health-checked on the gateway pods' status port. The same set as
 * the stack's own ingress gateway (builders/istio-mesh.ts): the NLB set from builders/nlb.ts, which
 * imports nothing (the other builders pull in Pulumi), plus the health check.
 */
export function nlbAnnotations(
  scheme: NonNullable<ConvertOptions["loadBalancerScheme"]>,
): Record<string, string> {
  return {
    ...nlbServiceAnnotations(scheme),
    "service.beta.kubernetes.io/aws-load-balancer-healthcheck-protocol": "http",
    "service.beta.kubernetes.io/aws-load-balancer-healthcheck-port": "15021",
    "service.beta.kubernetes.io/aws-load-balancer-healthcheck-path": "/healthz/ready",
  };
}

/** The label Istio puts on the pods it deploys for a Gateway (what gateway-side DestinationRules select). */
export const GATEWAY_NAME_LABEL = "gateway.networking.k8s.io/gateway-name";

type GatewayTls = NonNullable<NonNullable<MeshGateway["spec"]["listeners"]>[number]["tls"]>;

function listenerTls(
  env: GatewayEnv,
  g: MeshGateway,
  tls: GatewayTls,
  f: string,
  port: number,
): Obj {
  const secret = `${k8sName(g.name)}-${port}-tls`;
  const ctx = env.ctx;
  if (tls.mode === "PERMISSIVE")
    ctx.on(
      g,
      "warning",
      `${f}.tls.mode`,
      "a Gateway listener is either HTTPS or HTTP; PERMISSIVE becomes HTTPS only",
    );
  if (tls.certificate.file)
    ctx.on(
      g,
      "warning",
      `${f}.tls.certificate.file`,
      `Gateway listeners take certificates from Secrets: create the kubernetes.io/tls Secret ${secret} from ${tls.certificate.file.certificateChain} and ${tls.certificate.file.privateKey}`,
    );
  else if (tls.certificate.sds)
    ctx.on(
      g,
      "warning",
      `${f}.tls.certificate.sds`,
      `SDS secret "${tls.certificate.sds.secretName}" -> certificateRefs ${secret}: create that kubernetes.io/tls Secret in the gateway's namespace`,
    );
  else if (tls.certificate.acm)
    ctx.on(
      g,
      "blocker",
      `${f}.tls.certificate.acm`,
      `ACM certificates cannot be exported to an Istio gateway: issue one (e.g. cert-manager, ACM PCA issuer) into Secret ${secret}, or terminate TLS at a load balancer`,
    );
  if (tls.validation)
    ctx.on(
      g,
      "warning",
      `${f}.tls.validation`,
      "client certificate validation is not converted: put the CA bundle in a ConfigMap and reference it from the Gateway's spec.tls.frontend.default.validation",
    );
  return { mode: "Terminate", certificateRefs: [{ group: "", kind: "Secret", name: secret }] };
}

/** The Gateway for a VirtualGateway (its name: it may differ when another Gateway took the name). */
function gateway(
  env: GatewayEnv,
  g: MeshGateway,
  scheme: NonNullable<ConvertOptions["loadBalancerScheme"]>,
): string | undefined {
  const ctx = env.ctx;
  const listeners = (g.spec.listeners ?? []).map((l, i) => {
    const f = `spec.listeners[${i}]`;
    if (l.connectionPool)
      ctx.on(
        g,
        "info",
        `${f}.connectionPool`,
        `-> DestinationRules with workloadSelector ${GATEWAY_NAME_LABEL}=${k8sName(g.name)} (the gateway pods Istio deploys), one per routed host`,
      );
    const tls =
      l.tls && l.tls.mode !== "DISABLED"
        ? listenerTls(env, g, l.tls, f, l.portMapping.port)
        : undefined;
    return {
      name: `${tls ? "https" : l.portMapping.protocol}-${l.portMapping.port}`,
      port: l.portMapping.port,
      protocol: tls ? "HTTPS" : "HTTP",
      ...(tls ? { tls } : {}),
      allowedRoutes: { namespaces: { from: "Same" } },
    };
  });
  if (listeners.length === 0) return undefined;
  const emitted = ctx.objects.emit(
    GATEWAY_V1,
    "Gateway",
    g.namespace,
    g.name,
    {
      gatewayClassName: "istio",
      infrastructure: { annotations: nlbAnnotations(scheme) },
      listeners,
    },
    g.source,
  );
  ctx.on(
    g,
    "info",
    "spec.podSelector",
    `Istio deploys the gateway pods and an NLB Service (${scheme}) for Gateway ${g.namespace}/${k8sName(g.name)}; the App Mesh gateway pods${g.selector ? ` (${JSON.stringify(g.selector)})` : ""} can go once traffic has moved`,
  );
  if (g.spec.namespaceSelector || g.spec.gatewayRouteSelector)
    ctx.on(
      g,
      "info",
      "spec.namespaceSelector",
      "which GatewayRoutes attach is resolved by the converter; each generated route names this Gateway in parentRefs",
    );
  return emitted.metadata.name;
}

function gatewayPools(env: GatewayEnv, group: GatewayGroup): void {
  const gw = group.gateway;
  const pool = (gw.spec.listeners ?? []).find((l) => l.connectionPool)?.connectionPool;
  const cp = pool ? connectionPool(pool) : undefined;
  if (!cp) return;
  for (const gr of group.routes) {
    if (!gr.service) continue;
    const name = k8sName(`${gw.name}-${gr.host.split(".")[0]}`);
    if (env.ctx.objects.has("DestinationRule", gw.namespace, name)) continue;
    env.ctx.istio(
      "DestinationRule",
      gw.namespace,
      name,
      {
        host: gr.host,
        workloadSelector: { matchLabels: { [GATEWAY_NAME_LABEL]: k8sName(gw.name) } },
        exportTo: ["."],
        trafficPolicy: { connectionPool: cp },
      },
      `${gw.source} for ${gr.source}`,
    );
  }
}

/** The port a GatewayRoute's target is called on: its own, else its VirtualService's router or node listener. */
function targetPort(gr: MeshGatewayRoute): number | undefined {
  if (gr.port !== undefined) return gr.port;
  const p = gr.service?.provider;
  if (p?.kind === "router") return p.router.spec.listeners?.[0]?.portMapping.port;
  if (p?.kind === "node") return p.node.spec.listeners?.[0]?.portMapping.port;
  return undefined;
}

/** Where a GatewayRoute's traffic goes: the target's Service, or (for a node-backed target) the node itself. */
function edgeBackend(env: GatewayEnv, gr: MeshGatewayRoute): BackendRef | undefined {
  const where = { source: gr.source, origin: gr.origin, field: `spec.${gr.type}.action.target` };
  const p = gr.service?.provider;
  if (p?.kind === "node" && p.node.target.valid && p.redirect)
    return backendRef(
      env,
      gr.namespace,
      { node: p.node, target: p.node.target, ...(gr.port !== undefined ? { port: gr.port } : {}) },
      where,
      undefined,
    );
  const [name, ns] = gr.host.split(".");
  return backendRef(
    env,
    gr.namespace,
    {
      target: {
        host: gr.host,
        hostNamespace: ns,
        inCluster: true,
        valid: true,
        ...(env.ctx.model.lookup.k8sService(ns, name)
          ? { service: env.ctx.model.lookup.k8sService(ns, name)! }
          : {}),
      },
      ...(targetPort(gr) !== undefined ? { port: targetPort(gr)! } : {}),
    },
    where,
    undefined,
  );
}

function edgeRule(
  env: GatewayEnv,
  gr: MeshGatewayRoute,
  names: Set<string>,
): { kind: "HTTPRoute" | "GRPCRoute"; rule: Obj; ranked: RankedRule } | undefined {
  const f = `spec.${gr.type}.match`;
  const name = uniqueName(dnsLabel(gr.name), (x) => names.has(x), 63);
  names.add(name);
  const backend = edgeBackend(env, gr);
  if (!backend) return undefined;
  const rw = gatewayRewrite(env.ctx, gr);
  const where = { source: gr.source, origin: gr.origin, field: f };
  if (gr.grpc) {
    env.grants.need(gr.namespace, "GRPCRoute", backend);
    const m = gr.grpc.match;
    const c = grpcRouteMatch(env.ctx, { serviceName: m.serviceName, metadata: m.metadata }, gr, f);
    if (rw.authority)
      env.ctx.on(
        gr,
        "info",
        `spec.${gr.type}.action.rewrite`,
        `GRPCRoute has no URLRewrite filter: the :authority stays what the client sent (App Mesh set it to ${rw.authority})`,
      );
    return {
      kind: "GRPCRoute",
      rule: {
        name,
        ...(Object.keys(c.match).length ? { matches: [c.match] } : {}),
        backendRefs: [backend],
      },
      ranked: { name: gr.name, rank: c.rank, conditions: grpcConditions(m), where },
    };
  }
  env.grants.need(gr.namespace, "HTTPRoute", backend);
  const m = gr.http!.match;
  const c = httpRouteMatch(env.ctx, m, gr, f);
  let path: Obj | undefined;
  if (rw.path?.kind === "full") path = { type: "ReplaceFullPath", replaceFullPath: rw.path.value };
  else if (rw.path && c.pathPrefix)
    path = { type: "ReplacePrefixMatch", replacePrefixMatch: rw.path.value };
  else if (rw.path)
    env.ctx.on(
      gr,
      "warning",
      `spec.${gr.type}.action.rewrite`,
      `the prefix rewrite to ${rw.path.value} needs a PathPrefix match, and this route's prefix is matched by a regex: not carried`,
    );
  const urlRewrite = {
    ...(rw.authority ? { hostname: rw.authority } : {}),
    ...(path ? { path } : {}),
  };
  return {
    kind: "HTTPRoute",
    rule: {
      name,
      matches: [c.match],
      ...(Object.keys(urlRewrite).length ? { filters: [{ type: "URLRewrite", urlRewrite }] } : {}),
      backendRefs: [backend],
    },
    ranked: { name: gr.name, rank: c.rank, conditions: httpConditions(m), where },
  };
}

/** Istio sends gateway traffic to a router-backed service straight to its Service, unless a waypoint carries its routes. */
export type RouterBehindGateway = (gr: MeshGatewayRoute) => void;

export function edge(
  env: GatewayEnv,
  opts: ConvertOptions,
  routerBehindGateway: RouterBehindGateway,
): void {
  const scheme = opts.loadBalancerScheme ?? "internet-facing";
  const names = new Map<MeshGateway, string>();
  for (const g of env.ctx.model.gateways) {
    const name = gateway(env, g, scheme);
    if (name) names.set(g, name);
  }
  for (const group of env.ctx.model.gatewayGroups) gatewayPools(env, group);
  for (const { gateway: gw, hosts, routes } of env.ctx.model.gatewayGroups) {
    const ruleNames = new Set<string>();
    const rules = routes.flatMap((gr) => {
      routerBehindGateway(gr);
      const r = edgeRule(env, gr, ruleNames);
      return r ? [r] : [];
    });
    const name =
      hosts[0] === "*"
        ? `${gw.name}-routes`
        : `${gw.name}-${hosts[0].replace(/^\*\./, "wildcard.")}`;
    for (const kind of ["HTTPRoute", "GRPCRoute"] as const) {
      const list = rules.filter((r) => r.kind === kind);
      if (list.length === 0) continue;
      if (list.length > 1)
        reportPrecedence(
          env.ctx,
          list.map((r) => r.ranked),
        );
      for (let i = 0; i < list.length; i += 16) {
        env.ctx.objects.emit(
          GATEWAY_V1,
          kind,
          gw.namespace,
          i === 0 ? name : `${name}-${i / 16 + 1}`,
          {
            parentRefs: [
              { group: "gateway.networking.k8s.io", kind: "Gateway", name: k8sName(gw.name) },
            ],
            ...(hosts[0] !== "*" ? { hostnames: [...hosts] } : {}),
            rules: list.slice(i, i + 16).map((r) => r.rule),
          },
          routes.map((r) => r.source).join(", "),
        );
      }
    }
  }
}
