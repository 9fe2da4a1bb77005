// The plain Kubernetes documents beside App Mesh ones: Service ports as a cluster would accept them, and the node facts the ambient precheck reads.
import type { K8sService, NodeFacts, Origin } from "./types";

/** The label EKS puts on pods a Fargate profile schedules. */
export const FARGATE_PROFILE_LABEL = "eks.amazonaws.com/fargate-profile";

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Records what a document says about the nodes under the pods (a Fargate pod, a SecurityGroupPolicy,
 * the aws-node DaemonSet's mode); true when the document is only such a fact and needs nothing else.
 */
export function readNodeFact(
  facts: NodeFacts,
  value: Record<string, unknown>,
  at: { name: string; namespace: string; origin: Origin },
): boolean {
  const { apiVersion, kind } = value;
  const meta = isObject(value.metadata) ? value.metadata : {};
  const spec = isObject(value.spec) ? value.spec : {};
  if (apiVersion === "v1" && kind === "Pod") {
    const labels = isObject(meta.labels) ? meta.labels : {};
    const fargate =
      spec.schedulerName === "fargate-scheduler" ||
      typeof labels[FARGATE_PROFILE_LABEL] === "string";
    if (fargate) facts.fargatePods.push(at);
    return fargate;
  }
  if (kind === "SecurityGroupPolicy" && String(apiVersion).startsWith("vpcresources.k8s.aws/")) {
    facts.securityGroupPolicies.push(at);
    return true;
  }
  if (apiVersion === "apps/v1" && kind === "DaemonSet" && at.name === "aws-node") {
    const tspec = isObject(spec.template) && isObject(spec.template.spec) ? spec.template.spec : {};
    const containers = Array.isArray(tspec.containers) ? tspec.containers.filter(isObject) : [];
    const env = containers.find((c) => c.name === "aws-node")?.env;
    const mode = (Array.isArray(env) ? env.filter(isObject) : []).find(
      (e) => e.name === "POD_SECURITY_GROUP_ENFORCING_MODE" && typeof e.value === "string",
    )?.value as string | undefined;
    facts.awsNode = {
      ...at,
      ...(mode !== undefined ? { podSecurityGroupEnforcingMode: mode } : {}),
    };
  }
  return false;
}

const PORT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const APP_PROTOCOL =
  /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

const validPort = (v: unknown): v is number =>
  typeof v === "number" && Number.isInteger(v) && v >= 1 && v <= 65535;

/** A Service's ports as Kubernetes would accept them; fields it would refuse are reported and left out. */
export function servicePorts(
  ports: Record<string, unknown>[],
  bad: (field: string, value: unknown) => void,
): K8sService["ports"] {
  return ports
    .filter((p) => validPort(p.port) || (bad("port", p.port), false))
    .map((p) => {
      const out: {
        port: number;
        targetPort?: number | string;
        name?: string;
        appProtocol?: string;
        protocol?: string;
      } = { port: p.port as number };
      const t = p.targetPort;
      if (validPort(t) || (typeof t === "string" && t.length <= 15 && PORT_NAME.test(t)))
        out.targetPort = t;
      else if (t !== undefined) bad("targetPort", t);
      if (typeof p.name === "string" && p.name.length <= 63 && PORT_NAME.test(p.name))
        out.name = p.name;
      else if (p.name !== undefined) bad("name", p.name);
      if (
        typeof p.appProtocol === "string" &&
        p.appProtocol.length <= 63 &&
        APP_PROTOCOL.test(p.appProtocol)
      )
        out.appProtocol = p.appProtocol;
      else if (p.appProtocol !== undefined) bad("appProtocol", p.appProtocol);
      if (p.protocol === "TCP" || p.protocol === "UDP" || p.protocol === "SCTP")
        out.protocol = p.protocol;
      else if (p.protocol !== undefined) bad("protocol", p.protocol);
      return out;
    });
}
