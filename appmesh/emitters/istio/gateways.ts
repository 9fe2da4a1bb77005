// VirtualGateways -> Istio Gateways; GatewayRoutes -> gateway-bound VirtualServices (one per gateway and host).
import type { GatewayGroup, MeshGateway, MeshGatewayRoute } from "../../model/types";
import { k8sName } from "../../names";
import type { VirtualGatewaySpec } from "../../read/schema";
import { isEmpty } from "../../model/context";
import { clean, Obj } from "../objects";
import type { EmitContext } from "../shared/context";
import { connectionPool } from "../shared/policies";
import { gatewayRewrite } from "../shared/rewrite";
import { grpcMatch, httpMatch } from "./matches";

type GatewayTls = NonNullable<NonNullable<VirtualGatewaySpec["listeners"]>[number]["tls"]>;

function gatewayProtocol(p: string, tls: boolean): string {
  if (tls) return "HTTPS";
  return p === "http2" ? "HTTP2" : p === "grpc" ? "GRPC" : "HTTP";
}

function gatewayTls(
  ctx: EmitContext,
  g: MeshGateway,
  tls: GatewayTls,
  f: string,
  port: number,
): Obj {
  const out: Obj = { mode: tls.validation ? "MUTUAL" : "SIMPLE" };
  const secret = `${k8sName(g.name)}-${port}-tls`;
  if (tls.mode === "PERMISSIVE")
    ctx.on(
      g,
      "warning",
      `${f}.tls.mode`,
      "an Istio gateway server is either TLS or plaintext; PERMISSIVE becomes TLS only",
    );
  if (tls.certificate.file) {
    out.serverCertificate = tls.certificate.file.certificateChain;
    out.privateKey = tls.certificate.file.privateKey;
    ctx.on(
      g,
      "info",
      `${f}.tls.certificate.file`,
      "file certificate paths kept; mount them into the Istio gateway pods (or move them to a Secret and use credentialName)",
    );
  } else if (tls.certificate.sds) {
    out.credentialName = secret;
    ctx.on(
      g,
      "warning",
      `${f}.tls.certificate.sds`,
      `SDS secret "${tls.certificate.sds.secretName}" -> credentialName ${secret}: create that kubernetes.io/tls Secret in the gateway's namespace`,
    );
  } else if (tls.certificate.acm) {
    out.credentialName = secret;
    ctx.on(
      g,
      "blocker",
      `${f}.tls.certificate.acm`,
      `ACM certificates cannot be exported to an Istio gateway: issue one (e.g. cert-manager, ACM PCA issuer) into Secret ${secret}, or terminate TLS at a load balancer`,
    );
  }
  const v = tls.validation;
  if (v) {
    if (v.trust.file) out.caCertificates = v.trust.file.certificateChain;
    if (v.trust.acm)
      ctx.on(
        g,
        "warning",
        `${f}.tls.validation.trust.acm`,
        "ACM PCA trust: put the CA bundle in the gateway Secret (ca.crt)",
      );
    if (v.trust.sds)
      ctx.on(
        g,
        "warning",
        `${f}.tls.validation.trust.sds`,
        `SDS trust -> ca.crt of Secret ${secret}`,
      );
    if (v.subjectAlternativeNames) out.subjectAltNames = v.subjectAlternativeNames.match.exact;
  }
  return out;
}

function gateway(ctx: EmitContext, g: MeshGateway): void {
  const s = g.spec;
  let selector = g.selector;
  if (!selector) {
    selector = { istio: "ingressgateway" };
    ctx.on(
      g,
      "warning",
      "spec.podSelector",
      "no podSelector labels; Gateway selects istio=ingressgateway (the default Istio ingress gateway)",
    );
  }
  const servers = (s.listeners ?? []).map((l, i) => {
    const f = `spec.listeners[${i}]`;
    if (l.connectionPool)
      ctx.on(
        g,
        "info",
        `${f}.connectionPool`,
        "-> DestinationRules with workloadSelector = the gateway pods, one per routed host (the gateway's client-side limits)",
      );
    const tls =
      l.tls && l.tls.mode !== "DISABLED"
        ? gatewayTls(ctx, g, l.tls, f, l.portMapping.port)
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
  if (servers.length === 0) return;
  ctx.istio("Gateway", g.namespace, g.name, { selector, servers }, g.source);
  if (s.namespaceSelector || s.gatewayRouteSelector) {
    ctx.on(
      g,
      "info",
      "spec.namespaceSelector",
      "which GatewayRoutes attach is resolved by the converter; each generated VirtualService names this Gateway in `gateways`",
    );
  }
}

/** A gateway listener's pool limits the gateway's calls: DestinationRules that select the gateway pods. */
function gatewayConnectionPools(ctx: EmitContext, group: GatewayGroup): void {
  const gw = group.gateway;
  const pool = (gw.spec.listeners ?? []).find((l) => l.connectionPool)?.connectionPool;
  if (!pool || !gw.selector) return;
  const cp = connectionPool(pool);
  if (!cp) return;
  for (const gr of group.routes) {
    if (!gr.service) continue;
    const host = gr.service.host;
    const name = `${gw.name}-${host.split(".")[0]}`;
    if (ctx.objects.has("DestinationRule", gw.namespace, k8sName(name))) continue;
    ctx.istio(
      "DestinationRule",
      gw.namespace,
      name,
      {
        host,
        workloadSelector: { matchLabels: gw.selector },
        exportTo: ["."],
        trafficPolicy: { connectionPool: cp },
      },
      `${gw.source} for ${gr.source}`,
    );
  }
}

/** Istio applies only gateway-bound VirtualServices at a gateway: a router's routes are skipped there. */
export function routerBehindGateway(ctx: EmitContext, gr: MeshGatewayRoute): void {
  const vs = gr.service;
  if (!vs?.spec.provider?.virtualRouter) return;
  const [svcName, ns] = gr.host.split(".");
  const svc = ctx.model.lookup.k8sService(ns ?? "", svcName);
  const noEndpoints = svc !== undefined && (svc.selector === undefined || isEmpty(svc.selector));
  ctx.on(
    gr,
    noEndpoints ? "blocker" : "warning",
    `spec.${gr.type}.action.target`,
    `Istio gateways apply only gateway-bound VirtualServices: the routes of ${vs.source} (router) are not applied to traffic entering here, it goes straight to ${gr.host}` +
      (noEndpoints ? `, whose Service selects no pods` : "") +
      `; add gateway ${gr.namespace}/... to that VirtualService's gateways with matching hosts, or use VirtualService delegation`,
  );
}

function gatewayHttpRoute(ctx: EmitContext, gr: MeshGatewayRoute): Obj {
  const f = `spec.${gr.type}`;
  routerBehindGateway(ctx, gr);
  const dest = clean({
    host: gr.host,
    port: gr.port !== undefined ? { number: gr.port } : undefined,
  });
  const match = gr.grpc
    ? grpcMatch(
        ctx,
        {
          serviceName: gr.grpc.match.serviceName,
          metadata: gr.grpc.match.metadata,
          port: gr.grpc.match.port,
        },
        gr,
        `${f}.match`,
      )
    : httpMatch(ctx, gr.http!.match, gr, `${f}.match`);
  const rw = gatewayRewrite(ctx, gr);
  const rewrite = clean({ uri: rw.path?.value, authority: rw.authority });
  return clean({
    name: gr.name,
    match: isEmpty(match) ? undefined : [match],
    route: [{ destination: dest }],
    rewrite: isEmpty(rewrite) ? undefined : rewrite,
  });
}

export function gatewaysAndRoutes(ctx: EmitContext): void {
  for (const g of ctx.model.gateways) gateway(ctx, g);
  for (const group of ctx.model.gatewayGroups) gatewayConnectionPools(ctx, group);
  for (const { gateway: gw, hosts, routes } of ctx.model.gatewayGroups) {
    const http = routes.map((gr) => gatewayHttpRoute(ctx, gr));
    if (http.length === 0) continue;
    const name =
      hosts[0] === "*"
        ? `${gw.name}-routes`
        : `${gw.name}-${hosts[0].replace(/^\*\./, "wildcard.")}`;
    ctx.istio(
      "VirtualService",
      gw.namespace,
      name,
      { hosts, gateways: [`${gw.namespace}/${k8sName(gw.name)}`], http },
      routes.map((r) => r.source).join(", "),
    );
    if (routes.some((r) => r.spec.priority === undefined) && routes.length > 1) {
      ctx.on(
        gw,
        "info",
        "GatewayRoute.spec.priority",
        "GatewayRoutes without priority placed after prioritized ones, most specific match first (exact paths, then longer prefixes)",
      );
    }
  }
}
