// Validators for the Pulumi Kubernetes Operator's CRDs (v2.9.0, test/fixtures/crds): ajv over each version's openAPIV3Schema.
import * as fs from "node:fs";
import * as path from "node:path";
import Ajv, { ErrorObject, ValidateFunction } from "ajv";
import YAML from "yaml";

export const CRD_DIR = path.resolve(
  __dirname,
  "../fixtures/crds/pulumi-kubernetes-operator-v2.9.0",
);

const FILES: Readonly<Record<string, string>> = {
  "pulumi.com/Stack": "pulumi.com_stacks.yaml",
  "pulumi.com/Program": "pulumi.com_programs.yaml",
  "auto.pulumi.com/Workspace": "auto.pulumi.com_workspaces.yaml",
  "auto.pulumi.com/Update": "auto.pulumi.com_updates.yaml",
};

type Schema = Record<string, unknown>;

/**
 * The API server prunes unknown fields instead of failing; kubectl's strict field validation
 * (the default) refuses them. Tests want the refusal, so that a misspelt field fails here:
 * every object with `properties`, no `additionalProperties` and no preserve-unknown-fields becomes closed.
 */
export function closeObjects(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(closeObjects);
  if (typeof s !== "object" || s === null) return s;
  const o: Schema = Object.fromEntries(Object.entries(s).map(([k, v]) => [k, closeObjects(v)]));
  if (
    o.type === "object" &&
    o.properties !== undefined &&
    o.additionalProperties === undefined &&
    o["x-kubernetes-preserve-unknown-fields"] !== true
  ) {
    o.additionalProperties = false;
  }
  return o;
}

function newAjv(): Ajv {
  const ajv = new Ajv({
    strict: true,
    // int-or-string quantities put `pattern` beside anyOf[integer, string]: it applies to strings only.
    strictTypes: false,
    allErrors: true,
    validateFormats: true,
  });
  for (const k of [
    "x-kubernetes-preserve-unknown-fields",
    "x-kubernetes-int-or-string",
    "x-kubernetes-list-type",
    "x-kubernetes-list-map-keys",
    "x-kubernetes-map-type",
    "x-kubernetes-validations",
    "x-kubernetes-embedded-resource",
  ]) {
    ajv.addKeyword(k);
  }
  ajv.addFormat("int32", {
    type: "number",
    validate: (n: number) => Number.isInteger(n) && Math.abs(n) < 2 ** 31,
  });
  ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isInteger(n) });
  ajv.addFormat("double", { type: "number", validate: () => true });
  ajv.addFormat("byte", /^[A-Za-z0-9+/]*={0,2}$/);
  ajv.addFormat("date-time", /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i);
  return ajv;
}

const cache = new Map<string, ValidateFunction>();

/** The validator of `<group>/<kind>` at `version` (strict on unknown fields). */
export function crdValidator(group: string, kind: string, version: string): ValidateFunction {
  const key = `${group}/${kind}@${version}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const file = FILES[`${group}/${kind}`];
  if (!file) throw new Error(`no CRD fixture for ${group}/${kind}`);
  const crd = YAML.parse(fs.readFileSync(path.join(CRD_DIR, file), "utf8")) as {
    spec: { versions: { name: string; schema: { openAPIV3Schema: Schema } }[] };
  };
  const v = crd.spec.versions.find((x) => x.name === version);
  if (!v) throw new Error(`${file} has no version ${version}`);
  const validate = newAjv().compile(closeObjects(v.schema.openAPIV3Schema) as Schema);
  cache.set(key, validate);
  return validate;
}

/** Validates an object by its apiVersion and kind; returns the error lines (empty when valid). */
export function crdErrors(obj: { apiVersion?: unknown; kind?: unknown }): string[] {
  const [group, version] = String(obj.apiVersion).split("/");
  const validate = crdValidator(group, String(obj.kind), version);
  if (validate(obj)) return [];
  return (validate.errors ?? []).map(
    (e: ErrorObject) => `${e.instancePath || "/"} ${e.message ?? ""} ${JSON.stringify(e.params)}`,
  );
}
