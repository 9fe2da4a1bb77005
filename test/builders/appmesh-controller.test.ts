// Pure builders of AppMeshController and decommission: what is left to remove by hand.
import * as assert from "node:assert/strict";
import { manualCleanup } from "../../builders/appmesh-controller";

describe("manualCleanup", () => {
  it("lists CRs, the controller, the CRDs and delete-mesh when the controller is not adopted", () => {
    const steps = manualCleanup({ controllerAdopted: false, meshes: ["m1"], namespaces: ["a"] });
    assert.match(steps[0], /for ns in a;.*virtualnodes\.appmesh\.k8s\.aws/);
    assert.ok(steps.some((s) => s.startsWith("helm uninstall appmesh-controller")));
    assert.ok(steps.some((s) => /crd.*appmesh\.k8s\.aws/.test(s)));
    assert.equal(steps.at(-1), "aws appmesh delete-mesh --mesh-name m1");
  });

  it("leaves the controller out when the stack uninstalls it", () => {
    const steps = manualCleanup({ controllerAdopted: true, meshes: [], namespaces: [] });
    assert.ok(!steps.some((s) => s.startsWith("helm uninstall")));
    assert.ok(steps.includes("aws appmesh delete-mesh --mesh-name <mesh-name>"));
  });
});
