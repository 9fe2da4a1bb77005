// The App Mesh converter's public API (pure: no I/O, no Pulumi): read -> model -> emitters.
export type {
  ConversionResult,
  ConvertOptions,
  Finding,
  IstioObject,
  K8sObject,
  Severity,
  SourceFile,
  Target,
} from "./types";
export { InputError, SEVERITIES, TARGETS } from "./types";
export { convert, emit, readModel } from "./convert";
export type { AppMeshModel } from "./model/types";
export { toYaml } from "./yaml";
export { validateIstioObjects, validateObjects } from "./validate";
export { normalizeWeights } from "./route-values";
export type { ExportSummary } from "./report";
export { countAppMeshObjects, exportSummary, renderFindingsTable, summarize } from "./report";
export type { AppMeshKind } from "./read/schema";
