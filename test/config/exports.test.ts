// App Mesh export files of migration.namespaces[].appmeshExport: what is read from them, each missing or unreadable one a config error naming the entry, and their conversion's errors.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { convert } from "../../appmesh";
import { ConfigError } from "../../config/errors";
import { convertNamespaces } from "../../config/conversions";
import { readExports } from "../../config/exports";
import { runOfflinePlan } from "../../plan/offline";
import { tinyConvert } from "../support/phases";

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
