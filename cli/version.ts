// `meshlift --version`: the package version and the pins a platform team checks first (Istio, its charts, Kubernetes, Pulumi).
import * as fs from "node:fs";
import * as path from "node:path";
import { PROJECT_ROOT } from "../config/project";
import {
  CHARTS,
  DEFAULT_KUBERNETES_VERSION,
  ISTIO_HUB,
  ISTIO_VERSION,
  MAX_KUBERNETES_VERSION,
  MIN_KUBERNETES_VERSION,
  MIN_PULUMI_VERSION,
  PULUMI_OPERATOR,
} from "../config/versions";

/** The version of this copy of meshlift, from its package.json. */
export function packageVersion(root: string = PROJECT_ROOT): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as {
    version?: unknown;
  };
  return typeof pkg.version === "string" ? pkg.version : "unknown";
}

export function versionText(root: string = PROJECT_ROOT): string {
  const charts = Object.entries({ ...CHARTS, pulumiOperator: PULUMI_OPERATOR.chart });
  const width = Math.max(...charts.map(([k]) => k.length));
  return [
    `meshlift ${packageVersion(root)}`,
    `istio ${ISTIO_VERSION} (images from ${ISTIO_HUB})`,
    `kubernetes ${DEFAULT_KUBERNETES_VERSION} by default (${MIN_KUBERNETES_VERSION} to ${MAX_KUBERNETES_VERSION} accepted)`,
    `pulumi CLI ${MIN_PULUMI_VERSION} or later`,
    "charts (config/versions.ts):",
    ...charts.map(([k, c]) => `  ${k.padEnd(width)}  ${c.chart} ${c.version}  ${c.repo}`),
  ].join("\n");
}
