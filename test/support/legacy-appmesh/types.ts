// The public shapes of the App Mesh -> Istio converter: inputs, findings, Istio objects, input errors.

/** One input file as the caller read it (the library itself does no I/O). */
export interface SourceFile {
  readonly path: string;
  readonly content: string;
}

export type Severity = "blocker" | "warning" | "info";

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

export interface IstioObject {
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

export interface ConversionResult {
  objects: IstioObject[];
  findings: Finding[];
}

export interface ConvertOptions {
  /** Namespace for objects whose input names none (AWS API/CloudFormation input, k8s docs without one). */
  namespace?: string;
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
