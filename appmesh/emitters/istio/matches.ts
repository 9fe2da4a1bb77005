// App Mesh route matches -> Istio HTTPMatchRequest (routes and gateway routes share them).
import type { Origin } from "../../read/inventory";
import { setOwn } from "../../read/api";
import type { HeaderMatch } from "../../read/schema";
import { stringMatch } from "../../route-values";
import { isEmpty } from "../../model/context";
import { clean, Obj } from "../objects";
import type { EmitContext } from "../shared/context";

/** The HTTP match fields VirtualRouter routes and GatewayRoutes share. */
export interface HttpMatchLike {
  prefix?: string;
  path?: { exact?: string; regex?: string };
  headers?: HeaderMatch[];
  method?: string;
  queryParameters?: { name: string; match?: { exact?: string } }[];
  scheme?: string;
  port?: number;
}

interface Where {
  readonly source: string;
  readonly origin: Origin;
}

/** Istio's webhook refuses an empty prefix; App Mesh's empty prefix matches any value, as a presence check does. */
function istioStringMatch(h: HeaderMatch): { match: Record<string, string>; lossy?: string } {
  const r = stringMatch(h);
  return r.match.prefix === "" ? { match: {} } : r;
}

function headers(
  ctx: EmitContext,
  hs: readonly HeaderMatch[] | undefined,
  w: Where,
  field: string,
) {
  const out: Obj = {};
  const without: Obj = {};
  (hs ?? []).forEach((h, i) => {
    const { match, lossy } = istioStringMatch(h);
    if (lossy) ctx.at("warning", w.source, w.origin, `${field}[${i}].match.range`, lossy);
    if (h.match?.suffix !== undefined)
      ctx.at(
        "info",
        w.source,
        w.origin,
        `${field}[${i}].match.suffix`,
        `Istio has no suffix match; regex ${match.regex} used`,
      );
    const name = h.name.toLowerCase();
    if (name !== h.name) {
      ctx.at(
        "info",
        w.source,
        w.origin,
        `${field}[${i}].name`,
        `header ${h.name} matched as ${name} (Istio header names are lowercase; HTTP headers are case-insensitive)`,
      );
    }
    const into = h.invert ? without : out;
    if (Object.hasOwn(into, name))
      ctx.at(
        "warning",
        w.source,
        w.origin,
        `${field}[${i}]`,
        `header ${name} is matched twice; Istio keeps one condition per header (the last)`,
      );
    setOwn(into, name, match);
  });
  return {
    headers: isEmpty(out) ? undefined : out,
    withoutHeaders: isEmpty(without) ? undefined : without,
  };
}

export function httpMatch(ctx: EmitContext, m: HttpMatchLike, w: Where, field: string): Obj {
  let uri: Obj | undefined;
  if (m.path?.exact !== undefined) uri = { exact: m.path.exact };
  else if (m.path?.regex !== undefined) uri = { regex: m.path.regex };
  else if (m.prefix !== undefined) uri = { prefix: m.prefix === "" ? "/" : m.prefix };
  const qp: Obj = {};
  for (const q of m.queryParameters ?? [])
    setOwn(qp, q.name, q.match?.exact !== undefined ? { exact: q.match.exact } : { regex: ".*" });
  return clean({
    uri,
    ...headers(ctx, m.headers, w, `${field}.headers`),
    method: m.method ? { exact: m.method } : undefined,
    queryParams: isEmpty(qp) ? undefined : qp,
    scheme: m.scheme ? { exact: m.scheme } : undefined,
    port: m.port,
  });
}

export function grpcMatch(
  ctx: EmitContext,
  m: { serviceName?: string; methodName?: string; metadata?: HeaderMatch[]; port?: number },
  w: Where,
  field: string,
): Obj {
  let uri: Obj | undefined;
  if (m.serviceName && m.methodName) uri = { exact: `/${m.serviceName}/${m.methodName}` };
  else if (m.serviceName) uri = { prefix: `/${m.serviceName}/` };
  else if (m.methodName) {
    uri = { regex: `/[^/]+/${m.methodName.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}` };
    ctx.at(
      "warning",
      w.source,
      w.origin,
      `${field}.methodName`,
      "methodName without serviceName; matched by regex on any service",
    );
  }
  const h = headers(ctx, m.metadata, w, `${field}.metadata`);
  return clean({ uri, headers: h.headers, withoutHeaders: h.withoutHeaders, port: m.port });
}
