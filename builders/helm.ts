// Helm release arguments in one shape (pinned chart, stable name, wait, roll back a failed upgrade) and helpers for chart values.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ChartRef } from "../config/versions";

/** Seconds a release may take to become ready before Helm rolls it back. */
export const HELM_TIMEOUT_SECONDS = 600;

export function helmReleaseArgs(
  ref: ChartRef,
  name: string,
  namespace: string,
  values: pulumi.Input<Record<string, unknown>>,
): k8s.helm.v3.ReleaseArgs {
  // An OCI registry names the chart by URL; Helm takes no repository for it.
  const oci = ref.repo.startsWith("oci://");
  return {
    // A fixed release name: charts derive resource names and pod labels from it.
    name,
    chart: oci ? `${ref.repo.replace(/\/+$/, "")}/${ref.chart}` : ref.chart,
    version: ref.version,
    ...(oci ? {} : { repositoryOpts: { repo: ref.repo } }),
    namespace,
    values,
    skipAwait: false,
    atomic: true,
    timeout: HELM_TIMEOUT_SECONDS,
  };
}

/** The chart from another repository (a mirror, or the OCI registry): same chart, same version. */
export function fromRepository(ref: ChartRef, repo: string): ChartRef {
  return { ...ref, repo };
}

/** Chart values, as Helm takes them. */
export type Values = Record<string, unknown>;

const ZONE = "topology.kubernetes.io/zone";

function isPlainObject(v: unknown): v is Values {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Deep-merges `over` into `base` (objects merge, arrays and scalars replace), like Helm merges values. */
export function deepMerge(base: Values, over: Values): Values {
  const out: Values = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = isPlainObject(b) && isPlainObject(v) ? deepMerge(b, v) : v;
  }
  return out;
}

/** Spreads pods with these labels over zones; ScheduleAnyway so a zone outage never blocks a rollout. */
export function zoneSpread(matchLabels: Record<string, string>): Values[] {
  return [
    {
      maxSkew: 1,
      topologyKey: ZONE,
      whenUnsatisfiable: "ScheduleAnyway",
      labelSelector: { matchLabels },
    },
  ];
}
