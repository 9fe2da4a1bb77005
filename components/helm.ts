// One shape for every Helm release meshlift installs: pinned chart, stable name, wait for readiness, roll back a failed upgrade.
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
  return {
    // A fixed release name: charts derive resource names and pod labels from it.
    name,
    chart: ref.chart,
    version: ref.version,
    repositoryOpts: { repo: ref.repo },
    namespace,
    values,
    skipAwait: false,
    atomic: true,
    timeout: HELM_TIMEOUT_SECONDS,
  };
}
