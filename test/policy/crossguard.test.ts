// CrossGuard's resources as mesh subjects: preview's unknowns read <computed> instead of throwing, the root stack gives the outputs, each mesh policy is a mandatory stack policy.
import { strict as assert } from "node:assert";
import type { PolicyResource, ReportViolation, StackValidationArgs } from "@pulumi/policy";
import { MESH_POLICIES, MeshPolicy } from "../../policy/checks";
import {
  crossGuardPolicies,
  plainProps,
  subjectFromCrossGuard,
  toStackPolicy,
} from "../../policy/crossguard";
import { STACK_TYPE } from "../../policy/subject";

/** The SDK's own proxy (not in its typings): it throws UnknownValueError on a preview unknown. */
const proxy = require("@pulumi/policy/proxy") as {
  unknownCheckingProxy<T>(o: T): T;
  unknownStringValue: unknown;
};

function resource(
  type: string,
  name: string,
  props: Record<string, unknown>,
  protect = false,
): PolicyResource {
  return {
    urn: `urn:pulumi:dev::meshlift::${type}::${name}`,
    type,
    name,
    props: proxy.unknownCheckingProxy(props),
    opts: { protect, ignoreChanges: [], aliases: [], additionalSecretOutputs: [] },
    dependencies: [],
    propertyDependencies: {},
    isType: () => false,
    asType: () => undefined,
  } as unknown as PolicyResource;
}

describe("crossguard", () => {
  it("copies proxied props, reading each preview unknown as <computed>", () => {
    const props = proxy.unknownCheckingProxy({
      name: "istiod",
      ip: proxy.unknownStringValue,
      ports: [15012, 15017],
      addresses: ["10.0.0.1", proxy.unknownStringValue],
      nested: { values: { hub: "docker.io/istio", tag: proxy.unknownStringValue } },
      none: null,
    });
    assert.deepEqual(plainProps(props), {
      name: "istiod",
      ip: "<computed>",
      ports: [15012, 15017],
      // One unknown element is <computed>; the known ones stay judged.
      addresses: ["10.0.0.1", "<computed>"],
      nested: { values: { hub: "docker.io/istio", tag: "<computed>" } },
      none: null,
    });
  });

  it("passes through errors other than an unknown, and stops copying past 64 levels", () => {
    const broken = {
      get bad(): unknown {
        throw new Error("boom");
      },
    };
    assert.throws(() => plainProps(broken), /boom/);
    let deep: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < 100; i++) deep = { d: deep };
    let copied = plainProps(deep) as Record<string, unknown>;
    let levels = 0;
    let original: Record<string, unknown> = deep;
    // Past the cap the rest is handed over as it is (the same object), not copied.
    while (copied !== original) {
      copied = copied.d as Record<string, unknown>;
      original = original.d as Record<string, unknown>;
      levels++;
    }
    assert.equal(levels, 65);
  });

  it("maps a CrossGuard stack: the root stack's props are the outputs, protect comes from the options", () => {
    const subject = subjectFromCrossGuard([
      resource(STACK_TYPE, "meshlift-dev", { phase: "parallel", ip: proxy.unknownStringValue }),
      resource("kubernetes:helm.sh/v3:Release", "istiod", { chart: "istiod" }, true),
    ]);
    assert.deepEqual(subject, {
      resources: [
        {
          urn: "urn:pulumi:dev::meshlift::kubernetes:helm.sh/v3:Release::istiod",
          type: "kubernetes:helm.sh/v3:Release",
          name: "istiod",
          props: { chart: "istiod" },
          protect: true,
        },
      ],
      outputs: { phase: "parallel", ip: "<computed>" },
      secretsVisible: false,
    });
    assert.deepEqual(subjectFromCrossGuard([]).outputs, {});
  });

  it("turns a mesh policy into a mandatory stack policy that reports each finding with its urn", () => {
    let calls = 0;
    const policy: MeshPolicy = {
      name: "test-policy",
      description: "a policy for this test",
      check: (s) => {
        calls++;
        return s.resources.map((r) => ({ urn: r.urn, message: `bad ${r.name}` }));
      },
    };
    const stack = toStackPolicy(policy);
    assert.equal(stack.name, "test-policy");
    assert.equal(stack.description, "a policy for this test");
    assert.equal(stack.enforcementLevel, "mandatory");
    const reported: [string, string | undefined][] = [];
    const report: ReportViolation = (message, urn) => reported.push([message, urn]);
    void stack.validateStack(
      {
        resources: [resource("aws:route53/record:Record", "dns-istio", {})],
      } as StackValidationArgs,
      report,
    );
    assert.deepEqual(reported, [
      ["bad dns-istio", "urn:pulumi:dev::meshlift::aws:route53/record:Record::dns-istio"],
    ]);
    assert.equal(calls, 1);
  });

  it("serves every mesh policy, in order", () => {
    assert.deepEqual(
      crossGuardPolicies().map((p) => [p.name, p.enforcementLevel]),
      MESH_POLICIES.map((p) => [p.name, "mandatory"]),
    );
  });
});
