// Gateway API building blocks: API versions, references, durations and the ReferenceGrants cross-namespace refs need.
import { uniqueName } from "../objects";
import type { EmitContext } from "../shared/context";

export const GATEWAY_V1 = "gateway.networking.k8s.io/v1";
/** TCPRoute is only in the experimental channel of Gateway API v1.5 (the version Istio 1.30 is built with). */
export const GATEWAY_V1ALPHA2 = "gateway.networking.k8s.io/v1alpha2";
export const GATEWAY_GROUP = "gateway.networking.k8s.io";

export const GATEWAY_API_KIND_ORDER = [
  "Service",
  "Gateway",
  "HTTPRoute",
  "GRPCRoute",
  "TCPRoute",
  "ReferenceGrant",
  "DestinationRule",
  "ServiceEntry",
  "Sidecar",
  "PeerAuthentication",
  "AuthorizationPolicy",
];

export type RouteKind = "HTTPRoute" | "GRPCRoute" | "TCPRoute";

/** A backendRef: a Service (group ""), or an external host (Istio's `Hostname` kind), always with a port. */
export interface BackendRef {
  group?: string;
  kind?: string;
  name: string;
  namespace?: string;
  port: number;
  weight?: number;
}

/**
 * A Gateway API Duration (GEP-2257: at most four `<1-5 digits><unit>` parts) for a number of milliseconds;
 * undefined when the value cannot be written (longer than 99999 hours).
 */
export function gatewayDuration(ms: number): string | undefined {
  if (ms <= 0 || !Number.isFinite(ms)) return undefined;
  if (ms <= 99999 && ms % 1000 !== 0) return `${ms}ms`;
  const parts: string[] = [];
  let rest = Math.round(ms);
  const units: [string, number][] = [
    ["h", 3_600_000],
    ["m", 60_000],
    ["s", 1000],
    ["ms", 1],
  ];
  if (rest % 1000 === 0 && rest / 1000 <= 99999) return `${rest / 1000}s`;
  for (const [u, size] of units) {
    const n = Math.floor(rest / size);
    if (n === 0) continue;
    parts.push(`${n}${u}`);
    rest -= n * size;
  }
  if (parts.some((p) => /^\d{6,}/.test(p))) return undefined;
  return parts.join("");
}

/** The port a backend Service is called on: the given one, else the first it declares, else `fallback`. */
export function servicePortFor(
  ctx: EmitContext,
  host: { host: string; hostNamespace: string; inCluster: boolean },
  given: number | undefined,
): number | undefined {
  if (given !== undefined) return given;
  if (!host.inCluster) return undefined;
  const svc = ctx.model.lookup.k8sService(host.hostNamespace, host.host.split(".")[0]);
  return svc?.ports[0]?.port;
}

/** ReferenceGrants for routes that send traffic to Services in other namespaces (one per pair of namespaces). */
export class ReferenceGrants {
  private readonly needed = new Map<string, { to: string; from: string; kinds: Set<RouteKind> }>();

  need(routeNamespace: string, routeKind: RouteKind, ref: BackendRef): void {
    if (!ref.namespace || ref.namespace === routeNamespace || (ref.group ?? "") !== "") return;
    const k = `${ref.namespace}|${routeNamespace}`;
    const entry = this.needed.get(k) ?? {
      to: ref.namespace,
      from: routeNamespace,
      kinds: new Set(),
    };
    entry.kinds.add(routeKind);
    this.needed.set(k, entry);
  }

  emit(ctx: EmitContext): void {
    for (const { to, from, kinds } of this.needed.values()) {
      const name = uniqueName(`meshlift-from-${from}`, (n) =>
        ctx.objects.has("ReferenceGrant", to, n),
      );
      ctx.objects.emit(
        GATEWAY_V1,
        "ReferenceGrant",
        to,
        name,
        {
          from: [...kinds].sort().map((kind) => ({ group: GATEWAY_GROUP, kind, namespace: from })),
          to: [{ group: "", kind: "Service" }],
        },
        `routes in namespace ${from} that send traffic to Services in ${to}`,
        { exactName: true },
      );
    }
  }
}
