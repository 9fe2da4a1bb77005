// Istio objects -> multi-document YAML, byte-for-byte the same for the same objects.
import * as jsyaml from "js-yaml";
import type { K8sObject } from "./types";

export function toYaml(objects: readonly K8sObject[]): string {
  // js-yaml: ~15x faster than the `yaml` package on large exports. Keys keep insertion order (no sortKeys);
  // lineWidth -1 never folds long strings (regexes, reasons), so diffs stay one line per value; noRefs writes
  // shared objects out in full (no &anchors); skipInvalid drops undefined fields as the `yaml` package did.
  // The default schema quotes strings that YAML 1.1 readers (Kubernetes) would take as booleans or dates.
  return objects
    .map((o) => jsyaml.dump(o, { lineWidth: -1, noRefs: true, skipInvalid: true }))
    .join("---\n");
}
