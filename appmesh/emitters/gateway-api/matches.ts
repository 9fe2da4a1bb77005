// App Mesh matches -> Gateway API HTTPRouteMatch / GRPCRouteMatch, reporting what those cannot express.
import type { Located } from "../../findings";
import type { HeaderMatch } from "../../read/schema";
import { escapeRegex, stringMatch } from "../../route-values";
import type { HttpMatchLike } from "../istio/matches";
import type { Obj } from "../objects";
import type { EmitContext } from "../shared/context";

/** Characters the Gateway API allows in Exact/PathPrefix paths (its CRD validation), and sequences it refuses. */
const PATH_CHARS = /^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|%[0-9a-fA-F]{2})+$/;

export function gatewayPathProblem(p: string): string | undefined {
  if (!p.startsWith("/")) return "does not start with /";
  if (!PATH_CHARS.test(p)) return "holds characters a Gateway API path may not";
  for (const bad of ["//", "/./", "/../", "%2f", "%2F", "#"])
    if (p.includes(bad)) return `contains ${bad}`;
  if (p.endsWith("/..") || p.endsWith("/.")) return "ends with /. or /..";
  return undefined;
}

/** A match as Istio ranks it for Gateway API routes (pilot/pkg/config/kube/gateway sortHTTPRoutes). */
export interface MatchRank {
  /** 3 exact path, 2 prefix, 1 regex, -1 none. */
  readonly uriRank: number;
  readonly uriLength: number;
  readonly method: boolean;
  readonly headers: number;
  readonly queryParams: number;
}

export interface ConvertedMatch {
  readonly match: Obj;
  readonly rank: MatchRank;
  /** The path is a PathPrefix (a prefix rewrite can replace it). */
  readonly pathPrefix: boolean;
}

function headerMatches(
  ctx: EmitContext,
  hs: readonly HeaderMatch[] | undefined,
  w: Located,
  field: string,
): Obj[] {
  const out: Obj[] = [];
  const names = new Set<string>();
  (hs ?? []).forEach((h, i) => {
    const f = `${field}[${i}]`;
    if (h.invert) {
      ctx.at(
        "warning",
        w.source,
        w.origin,
        `${f}.invert`,
        `the Gateway API cannot negate a match: the condition on ${h.name} is dropped, so the rule also matches requests App Mesh excluded`,
      );
      return;
    }
    const key = h.name.toLowerCase();
    if (names.has(key)) {
      ctx.at(
        "warning",
        w.source,
        w.origin,
        f,
        `header ${h.name} is matched twice; the Gateway API considers only the first condition per header name`,
      );
      return;
    }
    names.add(key);
    const { match, lossy } = stringMatch(h);
    if (lossy) ctx.at("warning", w.source, w.origin, `${f}.match.range`, lossy);
    // The Gateway API refuses empty values: an empty exact value is a regex for the empty string.
    if (match.exact === "") out.push({ type: "RegularExpression", name: h.name, value: "^$" });
    else if (match.exact !== undefined)
      out.push({ type: "Exact", name: h.name, value: match.exact });
    else if (match.prefix !== undefined)
      out.push({
        type: "RegularExpression",
        name: h.name,
        value: `^${escapeRegex(match.prefix)}.*`,
      });
    else if (match.regex !== undefined)
      out.push({ type: "RegularExpression", name: h.name, value: match.regex });
    // Presence: any value, but the header must be there (a regex needs a value to run on).
    else out.push({ type: "RegularExpression", name: h.name, value: ".*" });
  });
  return out;
}

/** An HTTP match (VirtualRouter route or GatewayRoute) as a Gateway API HTTPRouteMatch. */
export function httpRouteMatch(
  ctx: EmitContext,
  m: HttpMatchLike,
  w: Located,
  field: string,
): ConvertedMatch {
  let path: Obj;
  let uriRank = 2;
  let uriLength = 1;
  let pathPrefix = false;
  const exact = m.path?.exact;
  const prefix = m.path ? undefined : m.prefix === "" ? "/" : m.prefix;
  if (exact !== undefined && gatewayPathProblem(exact) === undefined) {
    path = { type: "Exact", value: exact };
    uriRank = 3;
    uriLength = exact.length;
  } else if (m.path?.regex !== undefined || exact !== undefined) {
    const value = m.path?.regex ?? `^${escapeRegex(exact!)}$`;
    if (m.path?.regex === undefined)
      ctx.at(
        "info",
        w.source,
        w.origin,
        `${field}.path.exact`,
        `path ${JSON.stringify(exact)} ${gatewayPathProblem(exact!)}; matched by the regex ${value}`,
      );
    path = { type: "RegularExpression", value };
    uriRank = 1;
    uriLength = value.length;
  } else if (prefix !== undefined && gatewayPathProblem(prefix) === undefined) {
    path = { type: "PathPrefix", value: prefix };
    pathPrefix = true;
    uriLength = prefix.length;
    if (prefix !== "/")
      ctx.at(
        "info",
        w.source,
        w.origin,
        `${field}.prefix`,
        prefix.endsWith("/")
          ? `Gateway API PathPrefix ${prefix} also matches ${prefix.slice(0, -1)} (it ignores the trailing slash; App Mesh's string prefix did not)`
          : `Gateway API PathPrefix matches whole path segments: ${prefix} matches ${prefix} and ${prefix}/..., not ${prefix}x... as App Mesh's string prefix did`,
      );
  } else if (prefix !== undefined) {
    const value = `^${escapeRegex(prefix)}`;
    ctx.at(
      "info",
      w.source,
      w.origin,
      `${field}.prefix`,
      `prefix ${JSON.stringify(prefix)} ${gatewayPathProblem(prefix)}; matched by the regex ${value}`,
    );
    path = { type: "RegularExpression", value };
    uriRank = 1;
    uriLength = value.length;
  } else {
    path = { type: "PathPrefix", value: "/" };
    pathPrefix = true;
  }
  const headers = headerMatches(ctx, m.headers, w, `${field}.headers`);
  const queryParams = (m.queryParameters ?? []).map((q) =>
    q.match?.exact !== undefined && q.match.exact !== ""
      ? { type: "Exact", name: q.name, value: q.match.exact }
      : { type: "RegularExpression", name: q.name, value: q.match?.exact === "" ? "^$" : ".*" },
  );
  if (m.scheme)
    ctx.at(
      "warning",
      w.source,
      w.origin,
      `${field}.scheme`,
      `the Gateway API has no scheme match: the rule matches ${m.scheme === "https" ? "http" : "https"} requests too`,
    );
  const match: Obj = {
    path,
    ...(headers.length ? { headers } : {}),
    ...(queryParams.length ? { queryParams } : {}),
    ...(m.method ? { method: m.method } : {}),
  };
  return {
    match,
    pathPrefix,
    rank: {
      uriRank,
      uriLength,
      method: !!m.method,
      headers: headers.length,
      queryParams: queryParams.length,
    },
  };
}

const GRPC_SERVICE = /^(?:\.?[a-zA-Z_][a-zA-Z_0-9]*(?:\.[a-zA-Z_][a-zA-Z_0-9]*)*)$/;
const GRPC_METHOD = /^[A-Za-z_][A-Za-z_0-9]*$/;

/** A gRPC match as a GRPCRouteMatch: service and method, metadata as headers. */
export function grpcRouteMatch(
  ctx: EmitContext,
  m: { serviceName?: string; methodName?: string; metadata?: HeaderMatch[] },
  w: Located,
  field: string,
): ConvertedMatch {
  const method: Obj = {};
  let uriRank = -1;
  let uriLength = 0;
  const exact =
    (m.serviceName === undefined || GRPC_SERVICE.test(m.serviceName)) &&
    (m.methodName === undefined || GRPC_METHOD.test(m.methodName));
  if (m.serviceName !== undefined || m.methodName !== undefined) {
    if (exact) {
      method.type = "Exact";
      if (m.serviceName !== undefined) method.service = m.serviceName;
      if (m.methodName !== undefined) method.method = m.methodName;
    } else {
      method.type = "RegularExpression";
      if (m.serviceName !== undefined) method.service = escapeRegex(m.serviceName);
      if (m.methodName !== undefined) method.method = escapeRegex(m.methodName);
    }
    // Ranked as Istio ranks the path it makes of them (createGRPCURIMatch): service+method an exact path,
    // service alone a prefix, anything with a regex or a method alone a regex.
    const svc = method.service as string | undefined;
    const meth = method.method as string | undefined;
    if (meth === undefined) {
      uriRank = exact ? 2 : 1;
      uriLength = svc!.length + (exact ? 2 : 4);
    } else if (svc === undefined) {
      uriRank = 1;
      uriLength = 7 + meth.length;
    } else {
      uriRank = exact ? 3 : 1;
      uriLength = svc.length + meth.length + 2;
    }
  }
  const headers = headerMatches(ctx, m.metadata, w, `${field}.metadata`);
  const match: Obj = {
    ...(method.type ? { method } : {}),
    ...(headers.length ? { headers } : {}),
  };
  return {
    match,
    pathPrefix: false,
    rank: { uriRank, uriLength, method: false, headers: headers.length, queryParams: 0 },
  };
}
