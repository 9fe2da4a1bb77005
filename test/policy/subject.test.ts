// An offline plan document as the policies read it: inputs as props, the root stack left out, the document's phase as the stack's when outputs lack one.
import { strict as assert } from "node:assert";
import { STACK_TYPE, subjectFromPlan, UNKNOWN } from "../../policy/subject";

const istiod = {
  urn: "urn:pulumi:dev::meshlift::kubernetes:helm.sh/v3:Release::istiod",
  type: "kubernetes:helm.sh/v3:Release",
  name: "istiod",
  inputs: { chart: "istiod", values: { pilot: { env: {} } } },
  protect: true,
};
const root = {
  urn: "urn:pulumi:dev::meshlift::pulumi:pulumi:Stack::meshlift-dev",
  type: STACK_TYPE,
  name: "meshlift-dev",
  inputs: {},
  protect: false,
};

describe("policy subject", () => {
  it("reads a plan's resources with their inputs as props, without the root stack", () => {
    const s = subjectFromPlan({
      phase: "parallel",
      outputs: { environment: "prod" },
      resources: [root, istiod],
    });
    assert.deepEqual(s.resources, [
      {
        urn: istiod.urn,
        type: istiod.type,
        name: "istiod",
        props: istiod.inputs,
        protect: true,
      },
    ]);
    assert.deepEqual(s.outputs, { environment: "prod", phase: "parallel" });
    // Offline, secrets read "[secret]", so the policies can tell them apart.
    assert.equal(s.secretsVisible, true);
  });

  it("keeps the stack's own phase output over the document's", () => {
    const s = subjectFromPlan({
      phase: "parallel",
      outputs: { phase: "workloads" },
      resources: [],
    });
    assert.equal(s.outputs.phase, "workloads");
  });

  it("reads an unknown as the offline plan's <computed>", () => {
    assert.equal(UNKNOWN, "<computed>");
  });
});
