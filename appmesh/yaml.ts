// Istio objects -> multi-document YAML, byte-for-byte the same for the same objects.
import * as YAML from "yaml";
import { IstioObject } from "./types";

export function toYaml(objects: readonly IstioObject[]): string {
  // lineWidth 0: never fold long strings (regexes, reasons), so diffs stay one line per value.
  return objects
    .map((o) => YAML.stringify(o, { lineWidth: 0, aliasDuplicateObjects: false }))
    .join("---\n");
}
