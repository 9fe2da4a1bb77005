// TEMPORARY (until the rewrite is done): the rebuilt istio emitter against the pre-rewrite converter, byte for byte.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import * as YAML from "yaml";
import { convert, Finding, K8sObject, SourceFile, toYaml } from "../../appmesh";
import { convert as legacyConvert } from "../support/legacy-appmesh/convert";
import { ISTIO_KIND_ORDER } from "../../appmesh/emitters/istio";
import { k8sName } from "../../appmesh/names";
import { apiRoute, input } from "./arbitraries";
import { EXAMPLES, FIXTURES, source } from "./helpers";

function files(dir: string): string[] {
  return fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((f) => /\.(ya?ml|json)$/.test(f))
        .sort()
        .map((f) => path.join(dir, f))
    : [];
}

const key = (f: Finding) =>
  JSON.stringify([f.severity, f.source, f.field, f.reason, f.file, f.document]);

type Result = { objects: K8sObject[]; findings: Finding[] };

/**
 * Differences that are fixes, by file: each says what changed and checks exactly that, on top of the old output.
 * - Cloud Map gap: node `server` registers app=color,version=server while Service `color` selects app=color,
 *   so the route goes to a subset with the node's labels (a DestinationRule), and one info finding says so.
 */
const FIXES: Record<string, (old: Result, now: Result) => Result> = {
  "howto-k8s-grpc.yaml": (old, now) => {
    const objects = structuredClone(old.objects);
    const vs = objects.find((o) => o.kind === "VirtualService" && o.metadata.name === "color")!;
    const http = vs.spec.http as { route: { destination: Record<string, unknown> }[] }[];
    http[0].route[0].destination.subset = "server";
    objects.push(now.objects.find((o) => o.kind === "DestinationRule")!);
    const dr = now.objects.find((o) => o.kind === "DestinationRule")!;
    assert.deepEqual(dr.spec, {
      host: "color.howto-k8s-grpc.svc.cluster.local",
      subsets: [{ name: "server", labels: { app: "color", version: "server" } }],
    });
    const added = now.findings.filter((f) => !old.findings.some((o) => key(o) === key(f)));
    assert.deepEqual(
      added.map((f) => [f.severity, f.source, f.field]),
      [["info", "VirtualNode howto-k8s-grpc/server", "spec.serviceDiscovery.awsCloudMap"]],
    );
    const rank = (o: K8sObject) => ISTIO_KIND_ORDER.indexOf(o.kind);
    objects.sort((a, b) => rank(a) - rank(b) || a.metadata.name.localeCompare(b.metadata.name));
    return { objects, findings: [...old.findings, ...added] };
  },
};

/**
 * Fix on every input: Istio's webhook refuses an empty string prefix, so an empty header prefix (which matches
 * any value) becomes a presence match and an empty URI prefix becomes "/".
 */
function emptyPrefixFix(old: Result): Result {
  const walk = (v: unknown, key: string): unknown => {
    if (Array.isArray(v)) return v.map((x) => walk(x, key));
    if (v === null || typeof v !== "object") return v;
    const o = v as Record<string, unknown>;
    if (o.prefix === "" && Object.keys(o).length === 1) return key === "uri" ? { prefix: "/" } : {};
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, walk(x, k)]));
  };
  return { ...old, objects: old.objects.map((o) => walk(o, "") as K8sObject) };
}

function compare(input: SourceFile[], opts: { namespace?: string } = {}) {
  let old: ReturnType<typeof legacyConvert> | undefined;
  let oldError: unknown;
  try {
    old = legacyConvert(input, opts);
  } catch (e) {
    oldError = e;
  }
  if (oldError) {
    assert.throws(
      () => convert(input, opts),
      (e: unknown) =>
        e instanceof Error && oldError instanceof Error && e.message === oldError.message,
    );
    return;
  }
  const now = convert(input, opts);
  const fix = input.length === 1 ? FIXES[path.basename(input[0].path)] : undefined;
  const expected = fix ? fix(old!, now) : emptyPrefixFix(old!);
  assert.equal(toYaml(now.objects), toYaml(expected.objects));
  // Fix: a router used by several VirtualServices is resolved once, so its findings are no longer repeated.
  const unique = (fs: Finding[]) => [...new Set(fs.map(key))].sort();
  // Fix: a Cloud Map node whose Service has no selector reaches no pods in Istio: a blocker now says so.
  const selectorless = (f: Finding) =>
    f.severity === "blocker" && /has no selector, so Istio has no endpoints/.test(f.reason);
  assert.deepEqual(unique(now.findings.filter((f) => !selectorless(f))), unique(expected.findings));
  assert.equal(now.findings.length, unique(now.findings).length, "each finding once");
}

describe("istio emitter parity with the pre-rewrite converter", () => {
  for (const p of files(FIXTURES)) {
    it(`fixture ${path.basename(p)}`, () => compare([source(p)]));
  }
  for (const dir of ["k8s", "api", "invalid"]) {
    for (const p of files(path.join(EXAMPLES, dir))) {
      it(`${dir}/${path.basename(p)}`, () => compare([source(p)]));
    }
  }
});

describe("istio emitter parity on random input", () => {
  const runs = { numRuns: Number(process.env.MESHLIFT_PROPERTY_RUNS ?? 60) };
  it("schema-valid App Mesh documents convert exactly as before", () => {
    fc.assert(
      fc.property(input, (docs) => {
        // Duplicate objects are a named fix (the first is converted, the second reported), not parity.
        const ids = docs.map((d) => JSON.stringify([d.kind, d.metadata]));
        fc.pre(new Set(ids).size === ids.length);
        compare([
          { path: "random.yaml", content: docs.map((d) => YAML.stringify(d)).join("---\n") },
        ]);
      }),
      runs,
    );
  });
  it("AWS API route documents convert exactly as before", () => {
    fc.assert(
      fc.property(fc.array(apiRoute, { minLength: 1, maxLength: 4 }), (routes) => {
        // Routes whose names collide once made DNS names are duplicates: a named fix, not parity.
        const ids = routes.map((r) => `${k8sName(r.virtualRouterName)}/${r.routeName}`);
        fc.pre(new Set(ids).size === ids.length);
        compare(
          routes.map((r, i) => ({ path: `route-${i}.json`, content: JSON.stringify(r) })),
          { namespace: "payments" },
        );
      }),
      runs,
    );
  });
});
