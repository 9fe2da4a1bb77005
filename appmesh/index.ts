// The App Mesh -> Istio converter's public API (pure: no I/O, no Pulumi).
export type {
  ConversionResult,
  ConvertOptions,
  Finding,
  IstioObject,
  Severity,
  SourceFile,
} from "./types";
export { InputError, SEVERITIES } from "./types";
export { convert } from "./convert";
export { toYaml } from "./yaml";
export { validateIstioObjects } from "./validate";
export { normalizeWeights } from "./routes";
export type { ExportSummary } from "./report";
export { countAppMeshObjects, exportSummary, renderFindingsTable, summarize } from "./report";
export type { AppMeshKind } from "./schema";
