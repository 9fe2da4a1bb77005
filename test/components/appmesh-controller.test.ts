// AppMeshController: the adopted release's import id and inputs, and its removal at decommission.
import * as assert from "node:assert/strict";
import { controllerImportId } from "../../builders/appmesh-controller";
import { parseConfig } from "../../config/load";
import { planAt } from "../support/phases";
import { ofType } from "../support/plan";

const controller = (c: Record<string, unknown>) =>
  parseConfig("t", {
    "aws:region": "eu-west-1",
    "meshlift:environment": "dev",
    "meshlift:cluster": JSON.stringify({ mode: "create" }),
    "meshlift:appmesh": JSON.stringify({ controller: c }),
  }).appmesh.controller!;

describe("AppMeshController", () => {
  it("imports the release as <namespace>/<name> unless an import id is given", () => {
    assert.equal(
      controllerImportId(controller({ version: "1.13.1" })),
      "appmesh-system/appmesh-controller",
    );
    assert.equal(
      controllerImportId(controller({ version: "1.13.1", releaseName: "am", namespace: "mesh" })),
      "mesh/am",
    );
    assert.equal(controllerImportId(controller({ version: "1.13.1", importId: "x/y" })), "x/y");
  });

  it("registers the release with the installed chart, version and values, on the cluster provider", async () => {
    const doc = await planAt("cutover", {
      set: {
        appmesh: JSON.stringify({
          controller: { version: "1.13.1", values: { region: "eu-west-1" } },
        }),
      },
    });
    const [rel] = ofType(doc, "kubernetes:helm.sh/v3:Release");
    assert.equal(rel.inputs.name, "appmesh-controller");
    assert.equal(rel.inputs.namespace, "appmesh-system");
    assert.equal(rel.inputs.version, "1.13.1");
    assert.deepEqual(rel.inputs.repositoryOpts, { repo: "https://aws.github.io/eks-charts" });
    assert.deepEqual(rel.inputs.values, { region: "eu-west-1" });
    assert.match(String(rel.provider), /cluster-k8s$/);
    // Import inputs: exactly what Helm records, plus the repository, which Helm does not record
    // and the import therefore ignores (`compat` is the SDK's own marker on every Release).
    assert.equal(rel.inputs.compat, "true");
    assert.deepEqual(
      Object.keys(rel.inputs)
        .filter((k) => k !== "compat")
        .sort(),
      ["chart", "name", "namespace", "repositoryOpts", "values", "version"],
    );
    assert.deepEqual(rel.options, {
      import: "appmesh-system/appmesh-controller",
      ignoreChanges: ["repositoryOpts"],
    });
    assert.equal(doc.outputs.manualCleanup, undefined, "only decommission lists manual steps");
  });
});
