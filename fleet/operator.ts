// Pure builders for the Pulumi Kubernetes Operator itself: its namespace and its Helm release (chart pinned in config/versions.ts).
import { FleetConfig } from "../config/sections/fleet";
import { PULUMI_OPERATOR } from "../config/versions";
import { K8sObject } from "./identity";

/** A Helm release as data: what `helm upgrade --install` or a Pulumi helm.v3.Release takes. */
export interface HelmReleaseSpec {
  readonly release: string;
  /** The chart reference; an OCI chart is `oci://<registry>/<path>/<chart>` and has no repository. */
  readonly chart: string;
  readonly version: string;
  readonly namespace: string;
  readonly values: Record<string, unknown>;
}

export const OPERATOR_RELEASE = "pulumi-kubernetes-operator";

/** The OCI reference of the pinned chart. */
export function operatorChartRef(): string {
  return `${PULUMI_OPERATOR.chart.repo}/${PULUMI_OPERATOR.chart.chart}`;
}

/**
 * Values of the operator chart (keys from its values.yaml at v2.9.0). The image is pinned here so a
 * chart bump cannot move the controller silently; logs are JSON for log pipelines; the chart's
 * 128Mi limit is raised because the controller caches every Stack, Workspace and Update it watches.
 */
export function operatorValues(): Record<string, unknown> {
  return {
    image: { ...PULUMI_OPERATOR.image },
    controller: { logFormat: "json" },
    resources: {
      requests: { cpu: "200m", memory: "256Mi" },
      limits: { cpu: "1", memory: "512Mi" },
    },
  };
}

export function operatorNamespace(fleet: FleetConfig): K8sObject {
  return {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: {
      name: fleet.operator.namespace,
      labels: { "app.kubernetes.io/managed-by": "meshlift" },
    },
  };
}

export function operatorRelease(fleet: FleetConfig): HelmReleaseSpec {
  return {
    release: OPERATOR_RELEASE,
    chart: operatorChartRef(),
    version: PULUMI_OPERATOR.chart.version,
    namespace: fleet.operator.namespace,
    values: operatorValues(),
  };
}

/** The one command that installs the pinned operator, for people without a management stack. */
export function operatorInstallCommand(fleet: FleetConfig, valuesFile: string): string {
  const r = operatorRelease(fleet);
  return `helm upgrade --install ${r.release} ${r.chart} --version ${r.version} --namespace ${r.namespace} --create-namespace --values ${valuesFile}`;
}
