// The migration, cutover and appmesh config sections, and the export loader: bad entries are config errors naming the entry.
import { convert } from "../../appmesh";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runOfflinePlan } from "../../plan/offline";
import { ConfigError } from "../../config/errors";
import { readExports } from "../../config/exports";
import { parseConfig } from "../../config/load";
import { convertNamespaces } from "../../config/conversions";
import { tinyConvert } from "../support/phases";

const base = {
  "aws:region": "eu-west-1",
  "meshlift:environment": "dev",
  "meshlift:cluster": JSON.stringify({ mode: "create" }),
};

function withNamespaces(namespaces: unknown, extra: Record<string, string> = {}) {
  return { ...base, "meshlift:migration": JSON.stringify({ namespaces }), ...extra };
}

function problems(
  flat: Record<string, string>,
): { key: string; message: string; given?: unknown }[] {
  try {
    parseConfig("t", flat);
  } catch (e) {
    assert.ok(e instanceof ConfigError, String(e));
    return [...e.problems];
  }
  assert.fail("expected a ConfigError");
}

describe("config: migration.namespaces", () => {
  it("defaults to no namespaces, istioWeight 0, no health check, ttl 60, no controller", () => {
    const cfg = parseConfig("t", base);
    assert.deepEqual(cfg.migration.namespaces, []);
    assert.equal(cfg.cutover.istioWeight, 0);
    assert.equal(cfg.cutover.healthCheck, false);
    assert.equal(cfg.cutover.ttl, 60);
    assert.deepEqual(cfg.cutover.records, []);
    assert.equal(cfg.appmesh.controller, undefined);
  });

  it("names the duplicate entry", () => {
    const p = problems(
      withNamespaces([
        { name: "shop", state: "istio" },
        { name: "cart", state: "istio" },
        { name: "shop", state: "istio" },
      ]),
    );
    assert.equal(p.length, 1);
    assert.equal(p[0].key, "meshlift:migration.namespaces.2.name");
    assert.equal(p[0].given, "shop");
    assert.match(p[0].message, /"shop" is listed twice \(entries 0 and 2\)/);
  });

  it("names a namespace listed in both states", () => {
    const p = problems(
      withNamespaces([
        { name: "shop", state: "appmesh" },
        { name: "shop", state: "istio" },
      ]),
    );
    assert.equal(p[0].key, "meshlift:migration.namespaces.1.name");
    assert.match(p[0].message, /both states: appmesh \(entry 0\) and istio \(entry 1\)/);
  });

  it("rejects bad names, reserved namespaces, unknown states and unknown keys, each on its entry", () => {
    const p = problems(
      withNamespaces([
        { name: "Shop_1", state: "istio" },
        { name: "kube-system", state: "istio" },
        { name: "cart", state: "linkerd" },
        { name: "web", state: "istio", restart: "x" },
      ]),
    );
    const keys = p.map((x) => x.key);
    assert.ok(keys.includes("meshlift:migration.namespaces.0.name"), keys.join());
    assert.ok(keys.includes("meshlift:migration.namespaces.1.name"), keys.join());
    assert.ok(keys.includes("meshlift:migration.namespaces.2.state"), keys.join());
    assert.ok(keys.includes("meshlift:migration.namespaces.3.restart"), keys.join());
    assert.match(p.find((x) => x.key.endsWith("1.name"))!.message, /reserved/);
    assert.match(p.find((x) => x.key.endsWith("2.state"))!.message, /"appmesh", "istio"/);
  });

  it("refuses decommission while a namespace is still on App Mesh, naming it", () => {
    const p = problems(
      withNamespaces(
        [
          { name: "shop", state: "istio" },
          { name: "payments", state: "appmesh" },
        ],
        { "meshlift:phase": "decommission" },
      ),
    );
    assert.equal(p.length, 1);
    assert.equal(p[0].key, "meshlift:migration.namespaces.1.state");
    assert.match(p[0].message, /"payments" is still on App Mesh/);
  });
});

describe("config: cutover and appmesh.controller", () => {
  const rec = {
    name: "shop.example.com",
    zoneName: "example.com",
    appmesh: { dnsName: "a.elb.eu-west-1.amazonaws.com", zoneId: "Z2IFOLAFXWLO4F" },
  };

  it("accepts 0 and 100 and rejects weights outside, naming the key", () => {
    for (const w of [0, 100]) {
      const cfg = parseConfig("t", {
        ...base,
        "meshlift:cutover": JSON.stringify({ istioWeight: w }),
      });
      assert.equal(cfg.cutover.istioWeight, w);
    }
    for (const w of [-5, 101, 2.5]) {
      const p = problems({ ...base, "meshlift:cutover": JSON.stringify({ istioWeight: w }) });
      assert.equal(p[0].key, "meshlift:cutover.istioWeight");
    }
  });

  it("needs exactly one of zoneId and zoneName, and the name inside the zone", () => {
    const both = problems({
      ...base,
      "meshlift:cutover": JSON.stringify({ records: [{ ...rec, zoneId: "Z123" }] }),
    });
    assert.equal(both[0].key, "meshlift:cutover.records.0.zoneId");
    const outside = problems({
      ...base,
      "meshlift:cutover": JSON.stringify({ records: [{ ...rec, name: "shop.other.org" }] }),
    });
    assert.equal(outside[0].key, "meshlift:cutover.records.0.name");
    assert.match(outside[0].message, /not inside zone "example.com"/);
  });

  it("normalises hostnames and rejects a duplicate record", () => {
    const cfg = parseConfig("t", {
      ...base,
      "meshlift:cutover": JSON.stringify({ records: [{ ...rec, name: "Shop.Example.com." }] }),
    });
    assert.equal(cfg.cutover.records[0].name, "shop.example.com");
    const p = problems({ ...base, "meshlift:cutover": JSON.stringify({ records: [rec, rec] }) });
    assert.equal(p[0].key, "meshlift:cutover.records.1.name");
  });

  it("fills the controller handle's defaults and needs its installed version", () => {
    const cfg = parseConfig("t", {
      ...base,
      "meshlift:appmesh": JSON.stringify({ controller: { version: "1.13.1" } }),
    });
    assert.equal(cfg.appmesh.controller?.releaseName, "appmesh-controller");
    assert.equal(cfg.appmesh.controller?.namespace, "appmesh-system");
    const p = problems({ ...base, "meshlift:appmesh": JSON.stringify({ controller: {} }) });
    assert.equal(p[0].key, "meshlift:appmesh.controller.version");
  });
});

describe("App Mesh exports", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "meshlift-exports-"));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, content: string) => fs.writeFileSync(path.join(dir, name), content);
  write(
    "good.yaml",
    [
      "apiVersion: appmesh.k8s.aws/v1beta2\nkind: Mesh\nmetadata: {name: m}\nspec: {awsName: real-mesh}",
      "apiVersion: appmesh.k8s.aws/v1beta2\nkind: VirtualService\nmetadata: {name: cart, namespace: shop}\nspec: {}",
      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: cart, namespace: shop}",
      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}",
      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: elsewhere, namespace: other}",
    ].join("\n---\n"),
  );
  write("bad.yaml", "kind: Mesh\nmetadata: {name: [unclosed\n");
  write("bad.json", '{"meshName": "m",');
  write("nokind.yaml", "metadata: {name: x}\n");
  write("api.json", '{"meshName": "api-mesh", "virtualNodeName": "vn"}');
  write(
    "blocker.yaml",
    "kind: VirtualService\nmetadata: {name: x, annotations: {test/blocker: no equivalent}}\n",
  );
  const ns = (name: string, file: string, state: "istio" | "appmesh" = "istio") => ({
    name,
    state,
    appmeshExport: file,
    deployments: [] as string[],
  });

  it("reads Deployments of the namespace in restart order (config first, then the export's) and mesh names from an export", () => {
    const { inputs, problems } = readExports(
      [{ ...ns("shop", "good.yaml"), deployments: ["extra"] }, ns("api", "api.json")],
      dir,
    );
    assert.deepEqual(problems, []);
    const [shop, api] = inputs;
    assert.deepEqual(shop.deployments, ["extra", "cart", "web"]);
    assert.deepEqual(shop.meshes, ["real-mesh"]);
    assert.equal(shop.files[0].path, "good.yaml");
    assert.deepEqual(api.meshes, ["api-mesh"]);
  });

  it("counts an export's App Mesh custom resources per kind once, as it reads the file", () => {
    const { inputs } = readExports(
      [
        ns("shop", "good.yaml"),
        ns("api", "api.json"),
        { ...ns("none", ""), appmeshExport: undefined },
      ],
      dir,
    );
    const [shop, api, none] = inputs;
    assert.equal(shop.appmeshObjects?.Mesh, 1);
    assert.equal(shop.appmeshObjects?.VirtualService, 1);
    assert.equal(shop.appmeshObjects?.VirtualNode, 0);
    assert.ok(api.appmeshObjects, "an API JSON export is read");
    assert.equal(
      Object.values(api.appmeshObjects).reduce((a, b) => a + b, 0),
      0,
      "API JSON documents are not custom resources",
    );
    assert.equal(none.appmeshObjects, undefined, "no export, no count");
  });

  it("reports every export that is missing or does not parse, naming the entry", () => {
    const { inputs, problems } = readExports(
      [ns("a", "good.yaml"), ns("b", "bad.yaml"), ns("c", "bad.json"), ns("d", "missing.yaml")],
      dir,
    );
    const by = new Map(problems.map((p) => [p.key, p.message]));
    assert.equal(problems.length, 3);
    assert.match(
      by.get("meshlift:migration.namespaces.1.appmeshExport")!,
      /"b": does not parse as YAML/,
    );
    assert.match(
      by.get("meshlift:migration.namespaces.2.appmeshExport")!,
      /"c": does not parse as JSON/,
    );
    assert.match(
      by.get("meshlift:migration.namespaces.3.appmeshExport")!,
      /"d": cannot read .*ENOENT/,
    );
    assert.deepEqual(
      inputs.map((i) => i.files.length),
      [1, 0, 0, 0],
      "an entry that failed has no files",
    );
  });

  it("turns the converter's InputError and a migrating namespace's blockers into config errors", () => {
    const { inputs } = readExports(
      [ns("a", "nokind.yaml"), ns("b", "blocker.yaml"), ns("c", "blocker.yaml", "appmesh")],
      dir,
    );
    const { problems } = convertNamespaces(inputs, tinyConvert);
    assert.deepEqual(
      problems.map((p) => p.key),
      [
        "meshlift:migration.namespaces.0.appmeshExport",
        "meshlift:migration.namespaces.1.appmeshExport",
      ],
    );
    assert.match(problems[0].message, /rejects nokind.yaml document 1: document has no kind/);
    assert.match(problems[1].message, /"b" cannot move to Istio: 1 blocker/);
  });

  it("stops on the real converter's InputError (an old App Mesh API version) as a config error", () => {
    fs.writeFileSync(
      path.join(dir, "v1beta1.yaml"),
      "apiVersion: appmesh.k8s.aws/v1beta1\nkind: VirtualNode\nmetadata:\n  name: a\n  namespace: a\nspec: {}\n",
    );
    const old = readExports([ns("a", "v1beta1.yaml")], dir).inputs;
    const { problems } = convertNamespaces(old, convert);
    assert.equal(problems.length, 1);
    assert.equal(problems[0].key, "meshlift:migration.namespaces.0.appmeshExport");
    assert.match(problems[0].message, /rejects .*v1beta1\.yaml.*v1beta2/);
  });

  it("lets an error that is not an input error through as it is", () => {
    const { inputs } = readExports([ns("a", "good.yaml")], dir);
    assert.throws(
      () =>
        convertNamespaces(inputs, () => {
          throw new RangeError("a bug, not an input error");
        }),
      RangeError,
    );
  });

  it("stops the plan with the config error naming the entry", async () => {
    await assert.rejects(
      runOfflinePlan({
        stack: "dev",
        phase: "workloads",
        projectDir: undefined,
        set: {
          migration: JSON.stringify({
            namespaces: [
              { name: "shop", state: "istio", appmeshExport: "stacks/no-such-export.yaml" },
            ],
          }),
        },
      }),
      (e: unknown) => {
        assert.ok(e instanceof ConfigError, String(e));
        assert.match(e.message, /meshlift:migration\.namespaces\.0\.appmeshExport.*cannot read/);
        return true;
      },
    );
  });
});

describe("config: cutover.healthCheck", () => {
  it("refuses a Route 53 health check on an internal gateway, which public checkers never reach", () => {
    const p = problems({
      ...base,
      "meshlift:cutover": JSON.stringify({ healthCheck: true }),
      "meshlift:istio.gateway.scheme": "internal",
    });
    assert.equal(p.length, 1);
    assert.equal(p[0].key, "meshlift:cutover.healthCheck");
    assert.match(p[0].message, /public internet.*istio\.gateway\.scheme "internal"/);
    const ok = parseConfig("t", { ...base, "meshlift:istio.gateway.scheme": "internal" });
    assert.equal(ok.cutover.healthCheck, false, "internal gateway without a health check is fine");
  });
});
