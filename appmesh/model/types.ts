// The resolved App Mesh model every emitter reads: each reference resolved (or reported once), routes ordered.
import type { Located } from "../findings";
import type { Entity, K8sService, K8sWorkload, RouteEntry } from "../read/inventory";
import type { NodeFacts } from "../read/types";
import type {
  BackendGroupSpec,
  ClientPolicy,
  GatewayRouteSpec,
  GrpcGatewayRoute,
  HttpGatewayRoute,
  MeshSpec,
  Ref,
  VirtualGatewaySpec,
  VirtualNodeSpec,
  VirtualRouterSpec,
  VirtualServiceSpec,
} from "../read/schema";
import type { Finding } from "../types";

/** Where traffic for a VirtualNode goes in Kubernetes/Istio terms. */
export interface NodeTarget {
  host: string;
  /** Namespace of the host (the Service's namespace, or the node's for external hosts). */
  hostNamespace: string;
  inCluster: boolean;
  /** Set when the host's Service selects more pods than this node: the node's version inside that Service. */
  subset?: string;
  /** The pod labels that tell this node's pods apart inside the host's Service (with `subset`). */
  subsetLabels?: Readonly<Record<string, string>>;
  service?: K8sService;
  /**
   * Found through Cloud Map, whose Kubernetes Service has no selector: App Mesh reached the registered pods,
   * the Service reaches none (only an own Service selecting the node's pods can carry its traffic).
   */
  selectorless?: boolean;
  /** False when the host breaks Istio's host rules: nothing can route to it (reported as a blocker). */
  valid: boolean;
}

export type { Located };

export interface MeshNode extends Entity<VirtualNodeSpec>, Located {
  /** podSelector.matchLabels, when there are any. */
  readonly podLabels?: Readonly<Record<string, string>>;
  readonly target: NodeTarget;
  /** The service account of the node's pods (from their Deployment), `default` when unknown. */
  readonly serviceAccount: string;
  /** Filled in once VirtualServices are resolved (backends name them). */
  readonly backends: Backend[];
}

/** One backend a node may call, resolved. */
export interface Backend {
  readonly field: string;
  readonly clientPolicy?: ClientPolicy;
  /** Present when the backend is a VirtualService in the input. */
  readonly service?: MeshService;
  /** The assumed host when the backend names a VirtualService the input lacks. */
  readonly assumed?: { readonly host: string; readonly namespace: string };
}

export type RouteType = "httpRoute" | "http2Route" | "grpcRoute" | "tcpRoute";
export type RouteProtocol = "http" | "http2" | "grpc" | "tcp";

export interface RouteTarget {
  readonly index: number;
  readonly weight: number;
  /** The weighted target's port (a listener port of the node), as given. */
  readonly port?: number;
  /** The node, when the input defines it. */
  readonly node?: MeshNode;
  readonly target: NodeTarget;
}

export interface MeshRoute {
  readonly entry: RouteEntry;
  readonly name: string;
  readonly type: RouteType;
  /** `<route field>.<type>`, e.g. "spec.routes[1].httpRoute". */
  readonly field: string;
  readonly protocol: RouteProtocol;
  /** Weighted targets that can be routed to (ARN and invalid-host targets are reported and left out). */
  readonly targets: readonly RouteTarget[];
  /** Every target has weight 0 (App Mesh sends the route no traffic). */
  readonly allZero: boolean;
}

export interface MeshRouter extends Entity<VirtualRouterSpec>, Located {
  readonly synthetic: boolean;
  /** Convertible routes in App Mesh's evaluation order (priority, then most specific match). */
  readonly routes: readonly MeshRoute[];
  /** Every route of the input, convertible or not (backends and egress hosts read them all). */
  readonly entries: readonly RouteEntry[];
  /** The VirtualServices that use this router. */
  readonly services: MeshService[];
}

export type Provider =
  | { readonly kind: "router"; readonly router: MeshRouter }
  /** `redirect`: clients call another host than the node's own, so a route object must send them there. */
  | { readonly kind: "node"; readonly node: MeshNode; readonly redirect: boolean }
  | { readonly kind: "missing" }
  | { readonly kind: "arn" }
  | { readonly kind: "none" };

export interface MeshService extends Entity<VirtualServiceSpec>, Located {
  /** The host clients call, as Istio names it. */
  readonly host: string;
  readonly inCluster: boolean;
  /** False when the host breaks Istio's host rules (a blocker: no route object can carry it). */
  readonly hostValid: boolean;
  provider: Provider;
}

export type GatewayRouteType = "httpRoute" | "http2Route" | "grpcRoute";

export interface MeshGatewayRoute extends Entity<GatewayRouteSpec>, Located {
  readonly type: GatewayRouteType;
  readonly http?: HttpGatewayRoute;
  readonly grpc?: GrpcGatewayRoute;
  /** The target: a VirtualService in the input, or the host assumed for one it lacks. */
  readonly service?: MeshService;
  readonly host: string;
  readonly port?: number;
  readonly ref: Ref;
}

/** The GatewayRoutes bound to one VirtualGateway with one set of hostnames, in App Mesh's order. */
export interface GatewayGroup {
  readonly gateway: MeshGateway;
  readonly hosts: readonly string[];
  readonly routes: readonly MeshGatewayRoute[];
}

export interface MeshGateway extends Entity<VirtualGatewaySpec>, Located {
  readonly selector?: Readonly<Record<string, string>>;
}

export interface AppMeshModel {
  readonly meshes: readonly (Entity<MeshSpec> & Located)[];
  readonly nodes: readonly MeshNode[];
  readonly services: readonly MeshService[];
  readonly routers: readonly MeshRouter[];
  readonly gateways: readonly MeshGateway[];
  readonly gatewayGroups: readonly GatewayGroup[];
  readonly backendGroups: readonly Entity<BackendGroupSpec>[];
  readonly k8sServices: readonly K8sService[];
  readonly workloads: readonly K8sWorkload[];
  /** Where the pods run, as far as the input says (Fargate pods, security groups for pods, the VPC CNI's mode). */
  readonly nodeFacts: Readonly<NodeFacts>;
  /** In-cluster hosts served by several VirtualNodes (Cloud Map services, shared DNS names), in input order. */
  readonly sharedHosts: ReadonlyMap<string, readonly MeshNode[]>;
  /** Some mesh drops traffic to unknown hosts (egressFilter DROP_ALL). */
  readonly dropAll: boolean;
  /** Findings of reading and resolving, the same for every target. */
  readonly findings: readonly Finding[];
  readonly lookup: {
    node(namespace: string, name: string): MeshNode | undefined;
    service(namespace: string, name: string): MeshService | undefined;
    k8sService(namespace: string, name: string): K8sService | undefined;
  };
}
