// Walks Helm values against a chart's key list (reference/charts/<chart>.keys): every set key must exist.
import * as fs from "node:fs";
import * as path from "node:path";

export const REFERENCE_DIR = path.resolve(__dirname, "../../reference");

/** Chart name (as installed) -> key file name under reference/charts. */
export const KEY_FILES: Readonly<Record<string, string>> = {
  base: "istio-base",
  istiod: "istiod",
  cni: "istio-cni",
  gateway: "istio-gateway",
  "aws-load-balancer-controller": "aws-load-balancer-controller",
  "kiali-server": "kiali-server",
  ztunnel: "ztunnel",
  "kube-prometheus-stack": "kube-prometheus-stack",
};

export function loadKeys(file: string): Set<string> {
  const text = fs.readFileSync(path.join(REFERENCE_DIR, "charts", `${file}.keys`), "utf8");
  return new Set(
    text
      .split("\n")
      .map((l) => l.trim())
      .filter(Boolean),
  );
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * The dotted paths in `values` the chart does not read. A path is fine when it is listed, or when a
 * prefix of it is listed as a free-form map (`prefix.*`); lists and scalars are leaves.
 */
export function unknownKeys(values: Record<string, unknown>, keys: ReadonlySet<string>): string[] {
  const bad: string[] = [];
  const walk = (node: Record<string, unknown>, prefix: string) => {
    for (const [k, v] of Object.entries(node)) {
      const p = prefix ? `${prefix}.${k}` : k;
      if (keys.has(`${p}.*`) || keys.has(p)) continue;
      if (isObject(v) && Object.keys(v).length > 0) walk(v, p);
      else bad.push(p);
    }
  };
  walk(values, "");
  return bad;
}
