// Running the mesh policies offline: every finding named by its policy, in the policies' order, one line each.
import { strict as assert } from "node:assert";
import type { MeshPolicy } from "../../policy/checks";
import { checkSubject, formatViolations } from "../../policy/run";
import type { MeshSubject } from "../../policy/subject";

const subject: MeshSubject = {
  resources: [
    { urn: "urn:a", type: "t", name: "a", props: {}, protect: false },
    { urn: "urn:b", type: "t", name: "b", props: {}, protect: false },
  ],
  outputs: { phase: "parallel" },
  secretsVisible: true,
};

const perResource: MeshPolicy = {
  name: "per-resource",
  description: "one finding per resource",
  check: (s) => s.resources.map((r) => ({ urn: r.urn, message: `${r.name} is bad` })),
};
const stackWide: MeshPolicy = {
  name: "stack-wide",
  description: "one finding for the stack",
  check: (s) => [{ message: `phase ${String(s.outputs.phase)}` }],
};
const passing: MeshPolicy = { name: "passing", description: "finds nothing", check: () => [] };

describe("policy run", () => {
  it("names each finding by its policy, in the order of the policies given", () => {
    assert.deepEqual(checkSubject(subject, [stackWide, passing, perResource]), [
      { policy: "stack-wide", message: "phase parallel" },
      { policy: "per-resource", urn: "urn:a", message: "a is bad" },
      { policy: "per-resource", urn: "urn:b", message: "b is bad" },
    ]);
    assert.deepEqual(checkSubject(subject, [passing]), []);
  });

  it("runs the mesh policies when none are given", () => {
    const record = (id: string, weight: number) => ({
      urn: `urn:pulumi:dev::meshlift::aws:route53/record:Record::dns-${id}`,
      type: "aws:route53/record:Record",
      name: `dns-${id}`,
      props: {
        name: "shop.example.com",
        type: "A",
        setIdentifier: id,
        weightedRoutingPolicies: [{ weight }],
      },
      protect: false,
    });
    const found = checkSubject({
      resources: [record("appmesh", 100), record("istio", 10)],
      outputs: { phase: "parallel", environment: "dev" },
      secretsVisible: true,
    });
    assert.deepEqual(
      found.map((v) => v.policy),
      ["route53-weights-total-100"],
    );
  });

  it("writes one mandatory line per violation, (stack) when it names no resource", () => {
    assert.deepEqual(formatViolations(checkSubject(subject, [perResource, stackWide])), [
      "mandatory per-resource: urn:a: a is bad",
      "mandatory per-resource: urn:b: b is bad",
      "mandatory stack-wide: (stack): phase parallel",
    ]);
    assert.deepEqual(formatViolations([]), []);
  });
});
