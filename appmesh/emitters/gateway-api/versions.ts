// Per-version Services: HTTPRoute has no subsets, so each VirtualNode sharing a Service gets one selecting its pods.
import { sameLabels } from "../../model/context";
import type { MeshNode, NodeTarget } from "../../model/types";
import { CLUSTER_SUFFIX, dnsLabel, k8sName } from "../../names";
import { uniqueName } from "../objects";
import type { EmitContext } from "../shared/context";

/** Where a version's traffic goes: a Service (existing or emitted) in the host's namespace. */
export type VersionTarget = Pick<NodeTarget, "host" | "hostNamespace" | "inCluster"> & {
  readonly service: string;
};

export class VersionServices {
  private readonly byNode = new Map<MeshNode, VersionTarget>();

  constructor(private readonly ctx: EmitContext) {}

  /** Per-version Services for every node that is one version of a shared Service. */
  emitAll(): void {
    for (const nodes of this.ctx.model.sharedHosts.values()) for (const n of nodes) this.of(n);
    for (const n of this.ctx.model.nodes) if (n.target.selectorless) this.of(n);
  }

  /** The Service a node's traffic goes to: its version's own Service, or the host's Service. */
  of(n: MeshNode): VersionTarget | undefined {
    const t = n.target;
    // A Cloud Map node whose Service selects nothing is reached through a Service of its own, like a version.
    const labels = t.subset ? t.subsetLabels : t.selectorless ? n.podLabels : undefined;
    if (!labels || !t.inCluster || !t.valid) return undefined;
    const version = t.subset ?? k8sName(n.name);
    const known = this.byNode.get(n);
    if (known) return known;
    const ns = t.hostNamespace;
    const shared = t.service;
    const existing = this.ctx.model.k8sServices.find(
      (s) => s.namespace === ns && s.selector !== undefined && sameLabels(s.selector, labels),
    );
    let name: string;
    if (existing) {
      name = existing.name;
      this.ctx.on(
        n,
        "info",
        "spec.podSelector",
        `HTTPRoute has no subsets: this version is routed through the existing Service ${ns}/${existing.name}, which selects exactly its pods`,
      );
    } else {
      const base = t.host.split(".")[0];
      const wanted = dnsLabel(
        version === base
          ? `${base}-pods`
          : version.startsWith(`${base}-`)
            ? version
            : `${base}-${version}`,
      );
      const taken = (x: string) =>
        this.ctx.objects.has("Service", ns, x) ||
        this.ctx.model.lookup.k8sService(ns, x) !== undefined;
      name = uniqueName(wanted, taken, 63);
      const listeners = n.spec.listeners ?? [];
      const ports = shared?.ports.length
        ? shared.ports.map((p) => ({
            ...(p.name ? { name: p.name } : {}),
            port: p.port,
            ...(p.targetPort !== undefined ? { targetPort: p.targetPort } : {}),
            ...(p.protocol ? { protocol: p.protocol } : {}),
            ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}),
          }))
        : listeners.map((l) => ({
            name: `${l.portMapping.protocol}-${l.portMapping.port}`,
            port: l.portMapping.port,
            targetPort: l.portMapping.port,
          }));
      if (ports.length === 0) ports.push({ name: "http-80", port: 80, targetPort: 80 });
      this.ctx.objects.emit(
        "v1",
        "Service",
        ns,
        name,
        { selector: { ...labels }, ports },
        n.source,
        { exactName: true, labels: { "meshlift.io/version-of": base } },
      );
      this.ctx.on(
        n,
        "info",
        "spec.podSelector",
        t.subset
          ? `HTTPRoute has no subsets: this version gets its own Service ${ns}/${name} selecting ${JSON.stringify(labels)}${shared ? ` (ports of ${shared.namespace}/${shared.name})` : ""}`
          : `Service ${ns}/${base} has no selector (Istio would find no endpoints): the node gets its own Service ${ns}/${name} selecting the pods App Mesh registered in Cloud Map, ${JSON.stringify(labels)}`,
      );
    }
    const v: VersionTarget = {
      host: `${name}.${ns}${CLUSTER_SUFFIX}`,
      hostNamespace: ns,
      inCluster: true,
      service: name,
    };
    this.byNode.set(n, v);
    return v;
  }
}
