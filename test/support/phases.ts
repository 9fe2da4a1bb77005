// Test fixtures for the migration phases: a tiny hand-written converter, a gateway hostname, and plans at a phase.
import YAML from "yaml";
import { PlanDocument, PlanOptions } from "../../plan/offline";
import { InputError } from "../../appmesh";
import { ConvertFn, IstioObject } from "../../config/conversions";
import { Phase } from "../../phases/phases";
import { plan } from "./plan";

/** What the IstioMesh gateway Service reports as its NLB hostname (eu-west-1, like the dev stack). */
export const GATEWAY_HOSTNAME = "k8s-istiosys-gateway-0123456789.elb.eu-west-1.amazonaws.com";

/**
 * A deliberately tiny converter: each App Mesh VirtualService becomes an Istio VirtualService routing
 * to the same host. A document without `kind` is an InputError; an annotation `test/blocker` a blocker.
 */
export const tinyConvert: ConvertFn = (files, opts) => {
  const objects: IstioObject[] = [];
  const findings: ReturnType<ConvertFn>["findings"] = [];
  for (const f of files) {
    YAML.parseAllDocuments(f.content).forEach((d, i) => {
      const doc = d.toJS() as {
        kind?: string;
        metadata?: { name: string; annotations?: Record<string, string> };
      } | null;
      if (!doc) return;
      if (!doc.kind) throw new InputError(f.path, i + 1, "document has no kind");
      if (doc.metadata?.annotations?.["test/blocker"]) {
        findings.push({
          severity: "blocker",
          source: `${doc.kind}/${doc.metadata.name}`,
          field: "metadata.annotations",
          reason: doc.metadata.annotations["test/blocker"],
        });
      }
      if (doc.kind === "VirtualService" && doc.metadata) {
        objects.push({
          apiVersion: "networking.istio.io/v1",
          kind: "VirtualService",
          metadata: { name: doc.metadata.name, namespace: opts?.namespace },
          spec: {
            hosts: [doc.metadata.name],
            http: [{ route: [{ destination: { host: doc.metadata.name } }] }],
          },
        });
      }
    });
  }
  return { objects, findings };
};

/** A plan of a stack at a phase with the converter and the gateway hostname wired in. */
export function planAt(
  phase: Phase,
  extra: Omit<PlanOptions, "phase" | "stack"> & { stack?: string } = {},
): Promise<PlanDocument> {
  return plan({
    stack: "dev",
    ...extra,
    phase,
    program: { convert: tinyConvert, gatewayHostname: GATEWAY_HOSTNAME, ...extra.program },
  });
}
