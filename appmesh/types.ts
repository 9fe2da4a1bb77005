// The public shapes of the App Mesh converter: inputs, targets, findings, emitted objects, input errors.

/** One input file as the caller read it (the library itself does no I/O). */
export interface SourceFile {
  readonly path: string;
  readonly content: string;
}

export type Severity = "blocker" | "warning" | "info";

/** What the converter writes: sidecar-mode Istio, Gateway API routes (sidecar mode), or ambient mode. */
export type Target = "istio" | "gateway-api" | "ambient";
export const TARGETS: readonly Target[] = ["istio", "gateway-api", "ambient"];

/** Something that could not be carried over exactly, with where it came from and why. */
export interface Finding {
  severity: Severity;
  /** The App Mesh object, e.g. "VirtualNode colorapp/blue". */
  source: string;
  /** The field path inside that object, e.g. "spec.listeners[0].timeout.http.perRequest". */
  field: string;
  reason: string;
  file?: string;
  /** 0-based index of the YAML document (or JSON file) inside `file`. */
  document?: number;
}

/** A Kubernetes object the converter emits (Istio, Gateway API or core `v1` Service). */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec: Record<string, unknown>;
}

/** Kept for callers of the sidecar-only converter: every emitted object has this shape. */
export type IstioObject = K8sObject;

export interface ConversionResult {
  objects: K8sObject[];
  findings: Finding[];
  /**
   * Labels the emitted objects need on their namespaces (ambient: `istio.io/use-waypoint` where a waypoint
   * carries the converted routes): the stack sets them, `meshlift convert` reports them as findings.
   */
  namespaceLabels?: Record<string, Record<string, string>>;
}

export interface ConvertOptions {
  /** Namespace for objects whose input names none (AWS API/CloudFormation input, k8s docs without one). */
  namespace?: string;
  /** @default "istio" */
  target?: Target;
  /** Scheme of the NLB in front of converted Gateways (Gateway API targets). @default "internet-facing" */
  loadBalancerScheme?: "internet-facing" | "internal";
}

/** The input is not something the converter can read (exit code 2 in the CLI). */
export class InputError extends Error {
  constructor(
    readonly file: string,
    readonly document: number | undefined,
    readonly reason: string,
  ) {
    super(`${file}${document === undefined ? "" : ` (document ${document})`}: ${reason}`);
    this.name = "InputError";
  }
}

export const SEVERITIES: readonly Severity[] = ["blocker", "warning", "info"];
