// The rules that span sections and files, run by config/load.ts in the same pass as the schema: each adds problems, none throws.
import type { z } from "zod";
import { convert as appmeshConvert } from "../appmesh";
import { Phase, PHASE_SPECS } from "../phases/phases";
import { ConvertFn, convertNamespaces, LoadedNamespace } from "./conversions";
import { ConfigProblem } from "./errors";
import { readExports } from "./exports";
import type { MeshliftSchemaOutput } from "./schema";
import { checkHealthCheckReachable, checkProgressiveTargets } from "./sections/cutover";
import { checkRetiredIstioHosts, conversionTarget } from "./sections/istio";
import { MigrationConfig, namespacesLeftOnAppMesh } from "./sections/migration";
import { multiClusterStackProblems } from "./sections/multicluster";
import {
  ObservabilityConfig,
  observabilityProblems,
  resolveObservability,
} from "./sections/observability";

export interface LoadOptions {
  /** Directory that `appmeshExport` paths are relative to. @default process.cwd() */
  readonly projectDir?: string;
  /** The App Mesh -> Istio converter. @default appmesh/convert (tests pass a small one) */
  readonly convert?: ConvertFn;
  /**
   * Read the stack files `fleet.stacks` names. @default true; false while parsing those environments,
   * so that a fleet that lists itself is read once, not in a loop
   */
  readonly readFleet?: boolean;
}

/** What the rules work out on the way, for the loaded config. */
export interface CrossSectionResult {
  /** Undefined when the section itself is invalid (its problems are reported already). */
  readonly observability?: ObservabilityConfig;
  readonly namespaces: readonly LoadedNamespace[];
}

/** The rule that depends on the phase: no namespace is left on App Mesh where the phase removes it. */
export function phaseProblems(
  phase: Phase,
  migration: MigrationConfig,
  key: (path: readonly (string | number)[]) => string,
): ConfigProblem[] {
  return namespacesLeftOnAppMesh(PHASE_SPECS[phase].appmeshRemoved, migration).map((p) => ({
    key: key(p.path),
    given: p.given,
    message: p.message,
  }));
}

/** Runs a zod-style refinement over the sections that parsed and turns its issues into problems. */
function refinement<T>(
  rule: (data: T, ctx: z.core.$RefinementCtx) => void,
  data: T,
  key: (path: readonly (string | number)[]) => string,
): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const ctx = {
    addIssue: (i: { path?: PropertyKey[]; input?: unknown; message?: string }) => {
      out.push({
        key: key((i.path ?? []).map((p) => (typeof p === "number" ? p : String(p)))),
        given: i.input,
        message: i.message ?? "is not allowed",
      });
    },
  };
  rule(data, ctx as unknown as z.core.$RefinementCtx);
  return out;
}

/**
 * Runs every cross-section rule on the sections that parsed, so a schema error in one section never
 * hides a problem in another: the multi-cluster rules that need the stack's name, a phase that removes
 * App Mesh with namespaces still on it, observability toggles that need each other, the export files
 * and their conversion.
 */
export function crossSectionRules(
  stack: string,
  key: (path: readonly (string | number)[]) => string,
  s: Partial<MeshliftSchemaOutput>,
  opts: LoadOptions,
  problems: ConfigProblem[],
): CrossSectionResult {
  if (s.multiCluster) {
    for (const p of multiClusterStackProblems(stack, s.multiCluster)) {
      problems.push({ key: key(["multiCluster", ...p.path]), given: p.given, message: p.message });
    }
  }
  if (s.phase && s.migration) problems.push(...phaseProblems(s.phase, s.migration, key));
  if (s.cutover && s.istio) {
    problems.push(
      ...refinement(checkHealthCheckReachable, { cutover: s.cutover, istio: s.istio }, key),
    );
  }
  if (s.cutover && s.migration) {
    problems.push(
      ...refinement(checkProgressiveTargets, { cutover: s.cutover, migration: s.migration }, key),
    );
  }
  problems.push(...refinement(checkRetiredIstioHosts, s, key));
  let observability: ObservabilityConfig | undefined;
  if (s.environment && s.observability) {
    observability = resolveObservability(s.environment, s.observability);
    problems.push(...observabilityProblems(observability));
  }
  if (!s.migration) return { observability, namespaces: [] };
  const exported = readExports(s.migration.namespaces, opts.projectDir ?? process.cwd());
  problems.push(...exported.problems);
  // An invalid istio section is reported already; the exports are still checked, as for Istio APIs.
  const target = s.istio ? conversionTarget(s.istio) : "istio";
  const converted = convertNamespaces(exported.inputs, opts.convert ?? appmeshConvert, target);
  problems.push(...converted.problems);
  return { observability, namespaces: converted.namespaces };
}
