// Pure builders of AppMeshController and decommission: what is left to remove by hand, after App Mesh's end of life.
import * as assert from "node:assert/strict";
import { APPMESH_WEBHOOKS, manualCleanup } from "../../builders/appmesh-controller";

describe("manualCleanup", () => {
  const at = (steps: string[], re: RegExp) => steps.findIndex((s) => re.test(s));

  it("strips App Mesh finalizers before deleting, then the webhooks, then the controller, then the CRDs", () => {
    const steps = manualCleanup({ controllerAdopted: false, meshes: ["m1"], namespaces: ["a"] });
    const strip = at(steps, /virtualnodes\.appmesh\.k8s\.aws.*kubectl patch .*"finalizers":null/);
    const del = at(
      steps,
      /^kubectl delete gatewayroutes.*virtualnodes\.appmesh\.k8s\.aws -A --all/,
    );
    const meshes = at(steps, /meshes\.appmesh\.k8s\.aws.*"finalizers":null.*kubectl delete meshes/);
    const hooks = at(
      steps,
      new RegExp(`${APPMESH_WEBHOOKS.mutating}.*${APPMESH_WEBHOOKS.validating}`),
    );
    const helm = at(steps, /^helm uninstall appmesh-controller/);
    const crds = at(steps, /crd.*appmesh\.k8s\.aws/);
    assert.ok(strip >= 0 && del > strip && meshes > del, steps.join("\n"));
    assert.ok(hooks > meshes && helm > hooks && crds > helm, steps.join("\n"));
  });

  it("never calls AWS: no delete-mesh, App Mesh's API is gone since its end of life", () => {
    for (const adopted of [true, false]) {
      const steps = manualCleanup({ controllerAdopted: adopted, meshes: ["m1"], namespaces: [] });
      assert.ok(!steps.some((s) => /^aws /.test(s)), steps.join("\n"));
      assert.match(
        steps.at(-1) ?? "",
        /^# no `aws appmesh delete-mesh` \(m1\): .*end of life on 2026-09-30/,
      );
    }
  });

  it("with the controller uninstalled by the stack: webhooks first, then the resources, no helm", () => {
    const steps = manualCleanup({ controllerAdopted: true, meshes: [], namespaces: [] });
    assert.ok(!steps.some((s) => s.startsWith("helm uninstall")));
    assert.equal(at(steps, /mutatingwebhookconfiguration/), 0);
    assert.ok(at(steps, /"finalizers":null/) > 0);
  });
});
