// The objects an emitter writes: unique DNS-1123 names per kind and namespace, meshlift's labels, stable order.
import { k8sName } from "../names";
import { setOwn } from "../read/api";
import type { K8sObject } from "../types";

export type Obj = Record<string, unknown>;

export const MANAGED_BY = { "app.kubernetes.io/managed-by": "meshlift" } as const;
export const CONVERTED_FROM = "meshlift.io/converted-from";

/** Drops undefined values so objects serialize and validate the same way. */
export function clean<T>(v: T): T {
  if (Array.isArray(v)) return v.map(clean) as T;
  if (v !== null && typeof v === "object") {
    const out: Obj = {};
    for (const [k, x] of Object.entries(v)) {
      if (x === undefined) continue;
      // A header or query parameter named "__proto__" must stay a key, not become a prototype.
      if (k === "__proto__") setOwn(out, k, clean(x));
      else out[k] = clean(x);
    }
    return out as T;
  }
  return v;
}

/** A name made unique with `-2`, `-3`, ... and kept within `max` characters. */
export function uniqueName(base: string, taken: (name: string) => boolean, max = 253): string {
  let n = base.slice(0, max).replace(/[-.]+$/, "");
  for (let i = 2; taken(n); i++)
    n = `${base.slice(0, max - `-${i}`.length).replace(/[-.]+$/, "")}-${i}`;
  return n;
}

export class ObjectSet {
  private readonly objects = new Map<string, K8sObject>();

  /** `order`: the kinds in the order they are written (objects others refer to first). */
  constructor(private readonly order: readonly string[]) {}

  has(kind: string, namespace: string, name: string): boolean {
    return this.objects.has(`${kind}/${namespace}/${name}`);
  }

  /** Adds an object named from `name` (made DNS-1123 and unique in its kind and namespace). */
  emit(
    apiVersion: string,
    kind: string,
    namespace: string,
    name: string,
    spec: Obj,
    from: string,
    opts: { exactName?: boolean; labels?: Record<string, string> } = {},
  ): K8sObject {
    const n = opts.exactName
      ? name
      : uniqueName(k8sName(name), (x) => this.has(kind, namespace, x));
    const obj: K8sObject = {
      apiVersion,
      kind,
      metadata: {
        name: n,
        namespace,
        labels: { ...MANAGED_BY, ...opts.labels },
        annotations: { [CONVERTED_FROM]: from },
      },
      spec: clean(spec),
    };
    this.objects.set(`${kind}/${namespace}/${n}`, obj);
    return obj;
  }

  get(kind: string, namespace: string, name: string): K8sObject | undefined {
    return this.objects.get(`${kind}/${namespace}/${name}`);
  }

  sorted(): K8sObject[] {
    const rank = (k: string) => {
      const i = this.order.indexOf(k);
      return i < 0 ? this.order.length : i;
    };
    return [...this.objects.values()].sort(
      (a, b) =>
        rank(a.kind) - rank(b.kind) ||
        (a.metadata.namespace ?? "").localeCompare(b.metadata.namespace ?? "") ||
        a.metadata.name.localeCompare(b.metadata.name),
    );
  }
}
