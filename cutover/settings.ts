// What a progressive cutover run needs from the stack config: steps, gates, provider and each target's queries; or one ConfigError.
import { ConfigError, ConfigProblem } from "../config/errors";
import { MeshliftConfig, NAMESPACE } from "../config/load";
import {
  ALL_NAMESPACES,
  AnalysisConfig,
  QUERY_METRICS,
  QueryMetric,
  REQUIRED_METRICS,
} from "../config/sections/cutover";
import { GATEWAY_NAME } from "../builders/istio-mesh";
import { defaultQueries, QueryTemplates, QueryVars, renderQuery } from "./queries";

/** The gates of `analysis`, as the decision function reads them. */
export type Thresholds = Pick<
  AnalysisConfig,
  "maxErrorRate" | "maxP99Ms" | "maxErrorRateIncrease" | "minRequests" | "maxHolds"
>;

export type ProviderSettings =
  | { readonly kind: "prometheus"; readonly url: string; readonly timeoutMs: number }
  | { readonly kind: "cloudwatch"; readonly region: string; readonly clusterName: string };

/** One thing judged at every step: a migrated namespace, or a hostname with queries of its own. */
export interface CutoverTarget {
  readonly name: string;
  readonly kind: "namespace" | "hostname";
  /** Templates; `$window` and `$period` are filled in per query. */
  readonly queries: QueryTemplates;
  readonly vars: QueryVars;
}

export interface CutoverSettings {
  readonly stack: string;
  readonly dryRun: boolean;
  /** Every configured step. */
  readonly steps: readonly number[];
  /** The Istio weight the stack config holds now: where the run starts (and resumes). */
  readonly startWeight: number;
  /** The steps above `startWeight`, the ones this run moves through. */
  readonly remaining: readonly number[];
  /** Seconds each step is observed. */
  readonly interval: number;
  readonly ttl: number;
  readonly thresholds: Thresholds;
  readonly provider: ProviderSettings;
  readonly targets: readonly CutoverTarget[];
}

const key = (path: string) => `${NAMESPACE}:cutover.progressive.${path}`;

/**
 * Checks what the schema cannot (it does not know --dry-run, and the section may be written before
 * the namespaces move) and resolves every target's queries. Throws one ConfigError naming each problem.
 */
export function resolveCutover(c: MeshliftConfig, opts: { dryRun: boolean }): CutoverSettings {
  const problems: ConfigProblem[] = [];
  const p = c.cutover.progressive;
  if (!p) {
    throw new ConfigError(c.stack, [
      {
        key: `${NAMESPACE}:cutover.progressive`,
        message:
          'is not set: add steps, interval and analysis (e.g. {"analysis":{"prometheus":{"url":"http://prometheus.monitoring:9090"}}})',
      },
    ]);
  }
  if (c.phase !== "cutover") {
    problems.push({
      key: `${NAMESPACE}:phase`,
      given: c.phase,
      message:
        "a progressive cutover runs in phase cutover (meshlift phase advance --stack <stack> until it is reached)",
    });
  }
  if (c.cutover.records.length === 0) {
    problems.push({
      key: `${NAMESPACE}:cutover.records`,
      given: [],
      message: "lists no hostname: there is no DNS weight to shift",
    });
  }
  if (!opts.dryRun && p.interval < c.cutover.ttl) {
    problems.push({
      key: key("interval"),
      given: p.interval,
      message: `must be at least cutover.ttl (${c.cutover.ttl} s): resolvers keep the previous answer that long, so a shorter step judges old traffic (allowed below it only with --dry-run)`,
    });
  }

  const a = p.analysis;
  const provider: ProviderSettings =
    a.provider === "prometheus"
      ? {
          kind: "prometheus",
          url: a.prometheus?.url ?? "",
          timeoutMs: (a.prometheus?.timeout ?? 10) * 1000,
        }
      : {
          kind: "cloudwatch",
          region: a.cloudwatch?.region ?? c.region,
          clusterName: a.cloudwatch?.clusterName ?? c.cluster.name,
        };
  const targets = resolveTargets(c, a, problems);
  if (problems.length) throw new ConfigError(c.stack, problems);

  const startWeight = c.cutover.istioWeight;
  return {
    stack: c.stack,
    dryRun: opts.dryRun,
    steps: p.steps,
    startWeight,
    remaining: p.steps.filter((w) => w > startWeight),
    interval: p.interval,
    ttl: c.cutover.ttl,
    thresholds: {
      maxErrorRate: a.maxErrorRate,
      maxP99Ms: a.maxP99Ms,
      maxErrorRateIncrease: a.maxErrorRateIncrease,
      minRequests: a.minRequests,
      maxHolds: a.maxHolds,
    },
    provider,
    targets,
  };
}

function resolveTargets(
  c: MeshliftConfig,
  a: AnalysisConfig,
  problems: ConfigProblem[],
): CutoverTarget[] {
  const queries = new Map(Object.entries(a.queries));
  const defaults = defaultQueries(a.provider);
  const all = queries.get(ALL_NAMESPACES) ?? {};
  const common: QueryVars = {
    gatewayNamespace: c.istio.gateway.namespace,
    gatewayWorkload: GATEWAY_NAME,
    cluster: c.cluster.name,
  };
  const targets: CutoverTarget[] = [];
  for (const ns of c.migration.namespaces) {
    if (ns.state !== "istio") continue;
    const merged = { ...defaults, ...all, ...queries.get(ns.name) };
    targets.push({
      name: ns.name,
      kind: "namespace",
      queries: merged,
      vars: { ...common, namespace: ns.name },
    });
  }
  for (const [name, set] of queries) {
    if (!name.includes(".")) continue;
    targets.push({ name, kind: "hostname", queries: set, vars: { ...common, hostname: name } });
  }
  if (targets.length === 0) {
    problems.push({
      key: `${NAMESPACE}:cutover.progressive`,
      message:
        "has nothing to judge: no namespace in migration.namespaces has state istio, and analysis.queries names no hostname",
    });
  }
  for (const t of targets) {
    for (const m of REQUIRED_METRICS) {
      if (t.queries[m] !== undefined) continue;
      problems.push({
        key: key(`analysis.queries.${t.kind === "namespace" ? ALL_NAMESPACES : t.name}.${m}`),
        message: `is required for ${t.kind} "${t.name}": provider "${a.provider}" has no default for it${a.provider === "cloudwatch" ? " (Container Insights collects no Istio metric or latency histogram by default)" : ""}`,
      });
    }
    for (const m of QUERY_METRICS) checkRenders(t, m, problems);
  }
  return targets;
}

/** A query naming a placeholder its target cannot fill (`$hostname` for a namespace) fails now, not mid-run. */
function checkRenders(t: CutoverTarget, m: QueryMetric, problems: ConfigProblem[]): void {
  const q = t.queries[m];
  if (q === undefined) return;
  try {
    renderQuery(q, { ...t.vars, window: "60s", period: "60" });
  } catch (e) {
    problems.push({
      key: key(`analysis.queries.${t.name}.${m}`),
      given: q,
      message: (e as Error).message.replace(/^query .*?: /, ""),
    });
  }
}
