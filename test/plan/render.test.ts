// What people read of a plan: the resource tree with key inputs and flags, and the YAML files of --out.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import YAML from "yaml";
import { OFFLINE_NOTICE, renderTree, writeManifests } from "../../plan/render";
import { planDocument, planResource } from "../support/plan-document";

const RELEASE = "kubernetes:helm.sh/v3:Release";

describe("renderTree", () => {
  const parent = planResource("meshlift:index:IstioMesh", "mesh", { size: 3, nested: { a: 1 } });
  const release = planResource(
    RELEASE,
    "mesh-istiod",
    { chart: "istiod", version: "1.30.0", values: { big: true } },
    {
      parent: parent.urn,
      protect: true,
      provider: "urn:pulumi:t::meshlift::pulumi:providers:kubernetes::k8s",
    },
  );
  const ns = planResource(
    "kubernetes:core/v1:Namespace",
    "ns",
    { metadata: { name: "shop", namespace: undefined, labels: { a: "b" } } },
    { parent: parent.urn },
  );
  const text = renderTree(
    planDocument("parallel", [parent, release, ns], { long: "x".repeat(200), n: 1 }),
  );
  const lines = text.split("\n");

  it("starts with the offline notice and the stack, phase and resource count", () => {
    assert.equal(lines[0], OFFLINE_NOTICE);
    assert.match(OFFLINE_NOTICE, /not a preview of live state.*<computed>/);
    assert.equal(lines[2], "Stack meshlift/t, phase parallel: 3 resources");
  });

  it("indents children under their parent and flags protected resources and providers", () => {
    assert.ok(lines.includes("  meshlift:index:IstioMesh  mesh"));
    assert.ok(lines.includes(`    ${RELEASE}  mesh-istiod  [protected, provider=k8s]`));
    assert.ok(lines.includes("    kubernetes:core/v1:Namespace  ns"));
  });

  it("shows the key inputs of known types, metadata of Kubernetes objects, scalars of others", () => {
    assert.ok(lines.includes("        chart: istiod"));
    assert.ok(lines.includes("        version: 1.30.0"));
    assert.ok(!text.includes("big"), "values are not a key input of a release");
    assert.ok(lines.includes('        metadata: {"name":"shop"}'));
    assert.ok(lines.includes("      size: 3"));
    assert.ok(!text.includes("nested"), "objects of unknown types are left out");
  });

  it("lists outputs, cutting long values to 120 characters", () => {
    const at = lines.indexOf("Outputs:");
    assert.ok(at > 0);
    assert.equal(lines[at + 1], `  long: ${"x".repeat(117)}...`);
    assert.equal(lines[at + 2], "  n: 1");
  });
});

describe("writeManifests", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "meshlift-render-"));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("writes each Kubernetes object and Helm release as YAML, numbered, and skips the rest", () => {
    const out = path.join(dir, "out");
    const files = writeManifests(
      planDocument("parallel", [
        planResource("aws:iam/role:Role", "role", { name: "r" }),
        planResource(RELEASE, "mesh-istiod", {
          name: "istiod",
          chart: "istiod",
          version: "1.30.0",
          namespace: "istio-system",
          repositoryOpts: { repo: "https://istio-release.storage.googleapis.com/charts" },
        }),
        planResource("kubernetes:core/v1:ConfigMap", "cm/odd name", {
          apiVersion: "v1",
          kind: "ConfigMap",
          metadata: { name: "cm" },
        }),
        planResource("kubernetes:core/v1:NamespacePatch", "patch", { metadata: { name: "x" } }),
      ]),
      out,
    );
    assert.deepEqual(
      files.map((f) => path.relative(out, f)),
      ["001-HelmRelease-mesh-istiod.yaml", "002-ConfigMap-cm_odd_name.yaml"],
    );
    assert.deepEqual(YAML.parse(fs.readFileSync(files[0], "utf8")), {
      release: "istiod",
      chart: "istiod",
      version: "1.30.0",
      repository: "https://istio-release.storage.googleapis.com/charts",
      namespace: "istio-system",
      values: {},
    });
    assert.deepEqual(YAML.parse(fs.readFileSync(files[1], "utf8")), {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "cm" },
    });
  });
});
