// Every read `meshlift discover` makes, as data: the API calls, the legacy App Mesh kinds, and the ClusterRole they need.
import * as jsyaml from "js-yaml";

export const APPMESH_GROUP = "appmesh.k8s.aws";
export const APPMESH_VERSION = "v1beta2";
export const APPMESH_LEGACY_VERSION = "v1beta1";
export const SGP_GROUP = "vpcresources.k8s.aws";
export const SGP_VERSION = "v1beta1";

/** An App Mesh custom resource kind and its plural. */
export interface AppMeshKindInfo {
  readonly kind: string;
  readonly resource: string;
  readonly namespaced: boolean;
}

/** The appmesh.k8s.aws/v1beta2 kinds (App Mesh controller v1.0+), in the order exports list them. */
export const APPMESH_KINDS: readonly AppMeshKindInfo[] = [
  { kind: "Mesh", resource: "meshes", namespaced: false },
  { kind: "VirtualNode", resource: "virtualnodes", namespaced: true },
  { kind: "VirtualService", resource: "virtualservices", namespaced: true },
  { kind: "VirtualRouter", resource: "virtualrouters", namespaced: true },
  { kind: "VirtualGateway", resource: "virtualgateways", namespaced: true },
  { kind: "GatewayRoute", resource: "gatewayroutes", namespaced: true },
  { kind: "BackendGroup", resource: "backendgroups", namespaced: true },
];

/** The kinds of the pre-1.0 controller (appmesh.k8s.aws/v1beta1): reported as legacy, not converted. */
export const APPMESH_LEGACY_KINDS: readonly AppMeshKindInfo[] = [
  { kind: "Mesh", resource: "meshes", namespaced: false },
  { kind: "VirtualNode", resource: "virtualnodes", namespaced: true },
  { kind: "VirtualService", resource: "virtualservices", namespaced: true },
];

/** One resource discover reads, and why (the ClusterRole and the forbidden message say it). */
export interface ReadSpec {
  readonly group: string;
  readonly resource: string;
  readonly why: string;
  /** Not every cluster has it (a CRD that may be absent): a 404 is no error. */
  readonly optional?: boolean;
}

export const READS: readonly ReadSpec[] = [
  ...APPMESH_KINDS.map((k) => ({
    group: APPMESH_GROUP,
    resource: k.resource,
    why: `App Mesh ${k.kind} objects`,
  })),
  { group: "", resource: "namespaces", why: "namespace labels" },
  { group: "", resource: "pods", why: "pods running the App Mesh Envoy" },
  { group: "", resource: "services", why: "Services of meshed namespaces" },
  { group: "", resource: "nodes", why: "cordoned and draining nodes" },
  { group: "apps", resource: "deployments", why: "Deployments and rollouts" },
  { group: "apps", resource: "replicasets", why: "pod owners" },
  { group: "apps", resource: "daemonsets", why: "the aws-node DaemonSet (ambient precheck)" },
  {
    group: "autoscaling",
    resource: "horizontalpodautoscalers",

    why: "HPAs that restart pods",
    optional: true,
  },
  {
    group: "admissionregistration.k8s.io",
    resource: "mutatingwebhookconfigurations",

    why: "App Mesh and Istio injection webhooks",
  },
  {
    group: "admissionregistration.k8s.io",
    resource: "validatingwebhookconfigurations",

    why: "App Mesh and Istio validation webhooks",
  },
  {
    group: SGP_GROUP,
    resource: "securitygrouppolicies",

    why: "security groups for pods (ambient precheck)",
    optional: true,
  },
];

export const CLUSTER_ROLE_NAME = "meshlift-discover";

/** The read-only ClusterRole discover needs, as YAML (one rule per API group). */
export function clusterRoleYaml(name = CLUSTER_ROLE_NAME): string {
  const groups = new Map<string, Set<string>>();
  for (const r of READS) {
    const g = groups.get(r.group) ?? new Set<string>();
    groups.set(r.group, g.add(r.resource));
  }
  return jsyaml.dump(
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name },
      // get and list on each: discover lists collections and, with -n, gets single objects.
      rules: [...groups].map(([group, resources]) => ({
        apiGroups: [group],
        resources: [...resources].sort(),
        verbs: ["get", "list"],
      })),
    },
    { lineWidth: -1, flowLevel: 3 },
  );
}

/** `resource.group` as Kubernetes names resources in messages. */
export function qualifiedResource(group: string, resource: string): string {
  return group === "" ? resource : `${resource}.${group}`;
}
