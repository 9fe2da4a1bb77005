// Where Gateway API routes send traffic: a backendRef (Service or external host) with the port it is called on.
import type { MeshNode, NodeTarget } from "../../model/types";
import type { Located } from "../../findings";
import { isServiceName } from "../../names";
import { servicePort } from "../shared/timeouts";
import type { EmitContext } from "../shared/context";
import { DestinationRules } from "../shared/destination-rules";
import { BackendRef, ReferenceGrants } from "./common";
import { VersionServices } from "./versions";

/** What the Gateway API emitters share while they write one target's objects. */
export interface GatewayEnv {
  readonly ctx: EmitContext;
  readonly versions: VersionServices;
  readonly grants: ReferenceGrants;
  readonly drs: DestinationRules;
  readonly mode: "sidecar" | "ambient";
}

export function gatewayEnv(ctx: EmitContext, mode: GatewayEnv["mode"]): GatewayEnv {
  return {
    ctx,
    versions: new VersionServices(ctx),
    grants: new ReferenceGrants(),
    drs: new DestinationRules(),
    mode,
  };
}

/** The host a node's traffic is addressed to in Gateway API routes: its version's Service, or its own target. */
export function reachedBy(
  env: GatewayEnv,
  n: MeshNode,
): Pick<NodeTarget, "host" | "hostNamespace" | "inCluster"> {
  return env.versions.of(n) ?? n.target;
}

/**
 * A backendRef for a target (node or assumed host), in the namespace of the route that uses it. The port is
 * required by the Gateway API: the target's, else the node listener's (as a Service port), else the Service's.
 * Undefined (reported) when the host's Service part cannot be a Service name.
 */
export function backendRef(
  env: GatewayEnv,
  routeNamespace: string,
  t: { node?: MeshNode; target: NodeTarget; port?: number },
  where: Located & { field: string },
  fallbackPort: number | undefined,
): BackendRef | undefined {
  const host = t.node ? reachedBy(env, t.node) : t.target;
  if (host.inCluster && !isServiceName(host.host.split(".")[0])) {
    env.ctx.at(
      "blocker",
      where.source,
      where.origin,
      where.field,
      `${host.host} names Service "${host.host.split(".")[0]}", which no cluster can hold (Service names are DNS-1035 labels): a Gateway API route cannot send traffic there`,
    );
    return undefined;
  }
  const listener = t.node?.spec.listeners?.[0]?.portMapping.port;
  const containerPort = t.port ?? listener;
  let port =
    containerPort !== undefined
      ? servicePort(t.target, containerPort)
      : (t.target.service?.ports[0]?.port ?? fallbackPort);
  if (port === undefined) {
    port = 80;
    env.ctx.at(
      "warning",
      where.source,
      where.origin,
      where.field,
      `no port is known for ${host.host} (no target port, listener or Service in the input); the Gateway API needs one: 80 assumed`,
    );
  }
  if (!host.inCluster) {
    return { group: "networking.istio.io", kind: "Hostname", name: host.host, port };
  }
  const [name, ns] = host.host.split(".");
  return { name, ...(ns !== routeNamespace ? { namespace: ns } : {}), port };
}
