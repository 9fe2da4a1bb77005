// Facts about Istio that several builders share: where the control plane runs, istiod's ports, the object shape.
import type { IstioObject } from "../appmesh";

/** An Istio (or monitoring) object as a CustomResource takes it, namespace set: what the builders make. */
export type NamespacedObject = IstioObject & { readonly metadata: { readonly namespace: string } };

/** The Istio control plane namespace: base, istiod, cni, ztunnel, `cacerts` and the remote secrets. */
export const ISTIO_NAMESPACE = "istio-system";

/** istiod's xDS and certificate signing port. */
export const ISTIOD_XDS_PORT = 15012;
/** istiod's webhooks (sidecar injection, config validation). */
export const ISTIOD_WEBHOOK_PORT = 15017;
