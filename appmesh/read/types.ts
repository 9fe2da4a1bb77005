// The shapes the readers produce: App Mesh objects as read (checked, unresolved), Services and workloads beside them.
import type {
  BackendGroupSpec,
  GatewayRouteSpec,
  MeshSpec,
  Route,
  VirtualGatewaySpec,
  VirtualNodeSpec,
  VirtualRouterSpec,
  VirtualServiceSpec,
  AppMeshKind,
} from "./schema";
import type { Finding } from "../types";

/** Where an object came from, for findings and errors. */
export interface Origin {
  readonly file: string;
  readonly document: number;
  /** Path of the object inside the document when it is not the document itself (List items, CFN resources). */
  readonly at?: string;
}

export interface Entity<S> {
  readonly kind: AppMeshKind;
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly spec: S;
  readonly origin: Origin;
  /** Read from AWS API / CloudFormation shapes (no pod selectors, names are App Mesh names). */
  readonly fromApi: boolean;
}

export interface RouteEntry {
  readonly route: Route;
  readonly origin: Origin;
  /** Field path of the route in its source object, e.g. "spec.routes[2]" or "spec" for an API route. */
  readonly field: string;
  readonly source: string;
}

export interface RouterEntity extends Entity<VirtualRouterSpec> {
  readonly routes: RouteEntry[];
  /** Made up because routes named a router that the input does not define. */
  readonly synthetic: boolean;
}

export interface K8sService {
  readonly name: string;
  readonly namespace: string;
  readonly selector?: Readonly<Record<string, string>>;
  readonly ports: readonly {
    port: number;
    targetPort?: number | string;
    name?: string;
    appProtocol?: string;
    protocol?: string;
  }[];
  readonly origin: Origin;
}

export interface K8sWorkload {
  readonly name: string;
  readonly namespace: string;
  readonly podLabels: Readonly<Record<string, string>>;
  readonly serviceAccount: string;
}

/** An object that only tells the ambient precheck something about the nodes under a namespace's pods. */
export interface NodeFact {
  readonly name: string;
  readonly namespace: string;
  readonly origin: Origin;
}

/** What an export says about where its pods run (discover writes these beside the App Mesh objects). */
export interface NodeFacts {
  /** Pods scheduled on EKS Fargate: no node agent runs there, so neither ztunnel nor the Istio CNI. */
  readonly fargatePods: NodeFact[];
  /** SecurityGroupPolicy objects: security groups for pods, which the VPC CNI enforces per its mode. */
  readonly securityGroupPolicies: NodeFact[];
  /** The VPC CNI DaemonSet (kube-system/aws-node), when the input holds it. */
  awsNode?: NodeFact & {
    /** Its POD_SECURITY_GROUP_ENFORCING_MODE; unset means the CNI's default, `strict`. */
    readonly podSecurityGroupEnforcingMode?: string;
  };
}

export interface Inventory {
  meshes: Entity<MeshSpec>[];
  nodes: Entity<VirtualNodeSpec>[];
  services: Entity<VirtualServiceSpec>[];
  routers: RouterEntity[];
  gateways: Entity<VirtualGatewaySpec>[];
  gatewayRoutes: Entity<GatewayRouteSpec>[];
  backendGroups: Entity<BackendGroupSpec>[];
  k8sServices: K8sService[];
  workloads: K8sWorkload[];
  nodeFacts: NodeFacts;
  findings: Finding[];
}
