// The rules across sections on their own: each adds its problems to the same list in one pass (none throws), so unrelated problems arrive together.
import * as assert from "node:assert/strict";
import type { ConfigProblem } from "../../config/errors";
import { crossSectionRules, phaseProblems } from "../../config/cross-section";
import { migrationSchema } from "../../config/sections/migration";
import { multiClusterSchema } from "../../config/sections/multicluster";
import { observabilitySchema } from "../../config/sections/observability";

const key = (path: readonly (string | number)[]) => `meshlift:${path.join(".")}`;
const onAppMesh = migrationSchema.parse({ namespaces: [{ name: "shop", state: "appmesh" }] });

describe("config cross-section rules", () => {
  it("refuses a namespace on App Mesh only in the phase that removes App Mesh", () => {
    assert.deepEqual(phaseProblems("cutover", onAppMesh, key), []);
    const [p] = phaseProblems("decommission", onAppMesh, key);
    assert.match(p.key, /^meshlift:migration\.namespaces/);
    assert.match(p.message, /shop/);
  });

  it("adds the multi-cluster, phase and observability problems to one list, and converts nothing without namespaces", () => {
    const problems: ConfigProblem[] = [];
    const result = crossSectionRules(
      "prod-use1",
      key,
      {
        phase: "decommission",
        migration: onAppMesh,
        environment: "dev",
        observability: observabilitySchema.parse({ prometheus: { enabled: false } }),
        multiCluster: multiClusterSchema.parse({
          meshId: "m",
          clusterName: "c",
          network: "n",
          caStack: "prod-use1",
          peers: [{ name: "self", stack: "prod-use1" }],
        }),
      },
      { convert: () => assert.fail("no namespace has an export") },
      problems,
    );
    const keys = problems.map((p) => p.key);
    assert.ok(
      keys.some((k) => k.startsWith("meshlift:multiCluster.peers")),
      keys.join(),
    );
    assert.ok(
      keys.some((k) => k.startsWith("meshlift:migration.namespaces")),
      keys.join(),
    );
    assert.ok(keys.includes("meshlift:observability.kiali.enabled"), keys.join());
    assert.equal(result.observability?.kiali, true);
    assert.equal(result.namespaces.length, 1);
    assert.deepEqual(result.namespaces[0].objects, []);
  });

  it("checks what it can when sections are missing (they failed the schema and are reported already)", () => {
    const problems: ConfigProblem[] = [];
    const result = crossSectionRules("dev", key, {}, {}, problems);
    assert.deepEqual(problems, []);
    assert.deepEqual(result, { observability: undefined, namespaces: [] });
  });
});
