// What the model builder's steps share: the inventory, lookups and the one list of findings.
import { Findings, Located } from "../findings";
import type { Entity, Inventory, K8sService } from "../read/inventory";
import { sourceOf } from "../read/inventory";
import type { MeshNode, MeshService } from "./types";

function key(ns: string, name: string): string {
  return `${ns}/${name}`;
}

export function isEmpty(o: object | undefined): boolean {
  return !o || Object.keys(o).length === 0;
}

export function subsetOf(
  small: Readonly<Record<string, string>>,
  big: Readonly<Record<string, string>>,
): boolean {
  return Object.entries(small).every(([k, v]) => big[k] === v);
}

export function sameLabels(
  a: Readonly<Record<string, string>>,
  b: Readonly<Record<string, string>>,
): boolean {
  return subsetOf(a, b) && subsetOf(b, a);
}

/** Adds `source` and keeps `origin` so every model object can be named in a finding. */
export function located<E extends Entity<unknown>>(e: E): E & Located {
  return { ...e, source: sourceOf(e) };
}

export class BuildContext extends Findings {
  readonly namespaces = new Set<string>();
  /** Namespaces with at least one Kubernetes Service in the input: a missing Service there is telling. */
  readonly serviceNamespaces = new Set<string>();
  private readonly k8s = new Map<string, K8sService>();
  readonly nodes = new Map<string, MeshNode>();
  readonly services = new Map<string, MeshService>();

  constructor(readonly inv: Inventory) {
    super(inv.findings);
    for (const s of inv.k8sServices) {
      if (!this.k8s.has(key(s.namespace, s.name))) this.k8s.set(key(s.namespace, s.name), s);
      this.serviceNamespaces.add(s.namespace);
    }
    for (const list of [
      inv.nodes,
      inv.services,
      inv.routers,
      inv.gateways,
      inv.gatewayRoutes,
      inv.k8sServices,
    ]) {
      for (const e of list) this.namespaces.add(e.namespace);
    }
  }

  k8sService(ns: string, name: string): K8sService | undefined {
    return this.k8s.get(key(ns, name));
  }

  node(ns: string, name: string): MeshNode | undefined {
    return this.nodes.get(key(ns, name));
  }

  service(ns: string, name: string): MeshService | undefined {
    return this.services.get(key(ns, name));
  }

  addNode(n: MeshNode): void {
    this.nodes.set(key(n.namespace, n.name), n);
  }

  addService(s: MeshService): void {
    this.services.set(key(s.namespace, s.name), s);
  }
}
