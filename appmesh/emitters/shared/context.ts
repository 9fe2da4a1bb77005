// What an emitter's functions share: the model they read, the findings they add, the objects they write.
import { Findings } from "../../findings";
import type { AppMeshModel } from "../../model/types";
import { ObjectSet } from "../objects";

export const NETWORKING = "networking.istio.io/v1";
export const SECURITY = "security.istio.io/v1";

export class EmitContext extends Findings {
  readonly objects: ObjectSet;

  constructor(
    readonly model: AppMeshModel,
    kindOrder: readonly string[],
  ) {
    super(model.findings);
    this.objects = new ObjectSet(kindOrder);
  }

  /** Istio objects: security.istio.io for the two security kinds, networking.istio.io for the rest. */
  istio(
    kind: string,
    namespace: string,
    name: string,
    spec: Record<string, unknown>,
    from: string,
  ) {
    const api =
      kind === "PeerAuthentication" || kind === "AuthorizationPolicy" ? SECURITY : NETWORKING;
    return this.objects.emit(api, kind, namespace, name, spec, from);
  }
}
