// The plain Kubernetes documents beside App Mesh ones: Service ports as a cluster would accept them.
import type { K8sService } from "./types";

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
