// DestinationRules gathered per host from every place that contributes (subsets, outlier detection, TLS, pools).
import type { MeshNode, MeshRoute, NodeTarget } from "../../model/types";
import { durationString } from "../../route-values";
import { weightedNodes } from "./timeouts";
import { isEmpty } from "../../model/context";
import { Obj } from "../objects";
import type { EmitContext } from "./context";

interface DrContribution {
  namespace: string;
  name: string;
  host: string;
  subsets: Map<string, { labels: Readonly<Record<string, string>>; trafficPolicy?: Obj }>;
  trafficPolicy: Obj;
  sources: Set<string>;
}

export type HostRef = Pick<NodeTarget, "host" | "hostNamespace" | "inCluster">;

export class DestinationRules {
  private readonly drs = new Map<string, DrContribution>();

  /** The DestinationRule of a host: `<service>` in the Service's namespace, or the external host's name. */
  of(t: HostRef): DrContribution {
    let dr = this.drs.get(t.host);
    if (!dr) {
      const name = t.inCluster ? t.host.slice(0, t.host.indexOf(".")) : t.host;
      dr = {
        namespace: t.hostNamespace,
        name,
        host: t.host,
        subsets: new Map(),
        trafficPolicy: {},
        sources: new Set(),
      };
      this.drs.set(t.host, dr);
    }
    return dr;
  }

  /** Writes every DestinationRule that carries something (subsets or a traffic policy). */
  emit(ctx: EmitContext): void {
    for (const dr of this.drs.values()) {
      if (dr.subsets.size === 0 && isEmpty(dr.trafficPolicy)) continue;
      const subsets = [...dr.subsets.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, s]) => ({
          name,
          labels: s.labels,
          ...(s.trafficPolicy ? { trafficPolicy: s.trafficPolicy } : {}),
        }));
      ctx.istio(
        "DestinationRule",
        dr.namespace,
        dr.name,
        {
          host: dr.host,
          ...(isEmpty(dr.trafficPolicy) ? {} : { trafficPolicy: dr.trafficPolicy }),
          ...(subsets.length ? { subsets } : {}),
        },
        [...dr.sources].sort().join(", "),
      );
    }
  }
}

/** A tcp route's idle timeout -> connectionPool.tcp.idleTimeout of the hosts its weighted targets are reached by. */
export function tcpIdleTimeout(
  ctx: EmitContext,
  drs: DestinationRules,
  route: MeshRoute,
  hostOf: (n: MeshNode) => HostRef,
): void {
  const { source, origin } = route.entry;
  const idle = durationString(route.entry.route.tcpRoute?.timeout?.idle);
  if (!idle) return;
  for (const n of weightedNodes(route.targets)) {
    const dr = drs.of(hostOf(n));
    const pool = (dr.trafficPolicy.connectionPool ??= {}) as Obj;
    pool.tcp = { ...(pool.tcp ?? {}), idleTimeout: idle };
    dr.sources.add(source);
  }
  ctx.at(
    "info",
    source,
    origin,
    `${route.field}.timeout.idle`,
    `tcp idle timeout ${idle} -> DestinationRule connectionPool.tcp.idleTimeout of the target hosts (applies to every client)`,
  );
}
