// The Pulumi Kubernetes Operator's own objects: its namespace, its pinned Helm release and the command that installs it.
import { strict as assert } from "node:assert";
import { PULUMI_OPERATOR } from "../../config/versions";
import {
  OPERATOR_RELEASE,
  operatorChartRef,
  operatorInstallCommand,
  operatorNamespace,
  operatorRelease,
  operatorValues,
} from "../../fleet/operator";
import { fleetConfig } from "../support/fleet";

describe("fleet operator", () => {
  const fleet = fleetConfig({ operator: { install: true, namespace: "pko" } });

  it("releases the pinned chart into the configured namespace with the pinned image", () => {
    const r = operatorRelease(fleet);
    assert.equal(r.release, OPERATOR_RELEASE);
    assert.equal(r.chart, `${PULUMI_OPERATOR.chart.repo}/${PULUMI_OPERATOR.chart.chart}`);
    assert.equal(r.chart, operatorChartRef());
    assert.equal(r.version, PULUMI_OPERATOR.chart.version);
    assert.equal(r.namespace, "pko");
    assert.deepEqual(r.values, operatorValues());
    assert.deepEqual(operatorValues().image, PULUMI_OPERATOR.image);
    assert.deepEqual(operatorValues().controller, { logFormat: "json" });
  });

  it("labels its namespace as meshlift's", () => {
    assert.deepEqual(operatorNamespace(fleet), {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: "pko", labels: { "app.kubernetes.io/managed-by": "meshlift" } },
    });
  });

  it("prints one helm command that installs exactly that release", () => {
    assert.equal(
      operatorInstallCommand(fleet, "operator/values.yaml"),
      `helm upgrade --install pulumi-kubernetes-operator ${operatorChartRef()} --version ${PULUMI_OPERATOR.chart.version} --namespace pko --create-namespace --values operator/values.yaml`,
    );
  });
});
