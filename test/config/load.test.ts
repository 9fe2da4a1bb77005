// Stack config parsing: every example stack parses, and each bad key gets its own clear message.
import * as assert from "node:assert/strict";
import { ConfigError, didYouMean } from "../../config/errors";
import { parseConfig } from "../../config/load";
import { listStacks, readStackFile, flattenConfig } from "../../config/stack-file";
import { PROJECT_DIR } from "../../plan/offline";

const base = {
  "aws:region": "eu-west-1",
  "meshlift:environment": "dev",
  "meshlift:cluster": JSON.stringify({ mode: "create" }),
};

function problems(flat: Record<string, string>): string[] {
  try {
    parseConfig("t", flat);
  } catch (e) {
    assert.ok(e instanceof ConfigError, String(e));
    return e.problems.map((p) => `${p.key}: ${p.message}`);
  }
  assert.fail("expected a ConfigError");
}

describe("stack config", () => {
  for (const stack of listStacks(PROJECT_DIR)) {
    it(`parses the example stack ${stack}`, () => {
      const cfg = parseConfig(stack, readStackFile(PROJECT_DIR, stack).config);
      assert.equal(cfg.stack, stack);
    });
  }

  it("the prod example adopts its cluster and keeps the LB controller that cluster already runs", () => {
    const cfg = parseConfig("prod", readStackFile(PROJECT_DIR, "prod").config);
    assert.equal(cfg.cluster.mode, "existing");
    assert.equal(cfg.istio.lbController.install, false);
  });

  it("applies documented defaults for a minimal create-mode stack", () => {
    const cfg = parseConfig("t", base);
    assert.equal(cfg.phase, "discovery");
    assert.equal(cfg.allowPhaseSkip, false);
    assert.equal(cfg.cluster.mode, "create");
    if (cfg.cluster.mode !== "create") return;
    assert.equal(cfg.cluster.name, "meshlift-dev");
    assert.equal(cfg.cluster.kubernetesVersion, "1.36");
    assert.equal(cfg.cluster.protect, false);
    assert.equal(cfg.cluster.vpc.availabilityZones, 3);
    assert.deepEqual(cfg.cluster.nodeGroups.core, {
      instanceTypes: ["m6i.xlarge"],
      minSize: 2,
      desiredSize: 3,
      maxSize: 6,
      diskSize: 50,
    });
    assert.deepEqual(cfg.cluster.nodeGroups.gateway.instanceTypes, ["m6i.2xlarge"]);
    assert.deepEqual(
      [
        cfg.cluster.nodeGroups.gateway.minSize,
        cfg.cluster.nodeGroups.gateway.desiredSize,
        cfg.cluster.nodeGroups.gateway.maxSize,
      ],
      [1, 2, 4],
    );
  });

  it("protects clusters of prod environments by default", () => {
    const cfg = parseConfig("t", { ...base, "meshlift:environment": "prod-eu" });
    assert.equal(cfg.cluster.mode === "create" && cfg.cluster.protect, true);
  });

  it("expands dotted keys the way `pulumi config set meshlift:a.b` writes them", () => {
    const cfg = parseConfig("t", {
      ...base,
      "meshlift:cluster.nodeGroups": JSON.stringify({ core: { maxSize: 9 } }),
    });
    assert.equal(cfg.cluster.mode === "create" && cfg.cluster.nodeGroups.core.maxSize, 9);
  });

  it("names every bad key in one error, with the value given and what is allowed", () => {
    const msgs = problems({
      "aws:region": "mars",
      "meshlift:environment": "Dev",
      "meshlift:phase": "cutover-now",
      "meshlift:cluster": JSON.stringify({
        mode: "create",
        kubernetesVersion: 1.3,
        nodeGroups: { core: { minSize: 5 } },
      }),
    });
    assert.equal(msgs.length, 5, msgs.join("\n"));
    assert.match(msgs.join("\n"), /aws:region: must be an AWS region/);
    assert.match(msgs.join("\n"), /meshlift:environment: must be lower-case/);
    assert.match(msgs.join("\n"), /meshlift:phase: must be one of: "discovery", "parallel"/);
    assert.match(msgs.join("\n"), /kubernetesVersion: must be a quoted EKS version/);
    assert.match(msgs.join("\n"), /minSize <= desiredSize <= maxSize \(got 5 <= 3 <= 6\)/);
  });

  it("reports three unrelated problems (schema, observability, export file) in one message", () => {
    assert.throws(
      () =>
        parseConfig("t", {
          ...base,
          "meshlift:cluster": JSON.stringify({
            mode: "create",
            nodeGroups: { core: { instanceTypes: ["huge"] } },
          }),
          "meshlift:observability": JSON.stringify({ prometheus: { enabled: false } }),
          "meshlift:migration": JSON.stringify({
            namespaces: [{ name: "shop", state: "istio", appmeshExport: "no/such/export.yaml" }],
          }),
        }),
      (e: unknown) => {
        assert.ok(e instanceof ConfigError, String(e));
        assert.deepEqual(e.problems.map((p) => p.key).sort(), [
          "meshlift:cluster.nodeGroups.core.instanceTypes.0",
          "meshlift:migration.namespaces.0.appmeshExport",
          "meshlift:observability.kiali.enabled",
        ]);
        assert.match(e.message, /3 problems/);
        assert.match(e.message, /must be an EC2 instance type/);
        assert.match(e.message, /Kiali needs Prometheus/);
        assert.match(e.message, /namespace "shop": cannot read .*ENOENT/);
        return true;
      },
    );
  });

  it("quotes the given value in the message", () => {
    try {
      parseConfig("t", { ...base, "meshlift:phase": "cutover-now" });
      assert.fail("expected an error");
    } catch (e) {
      assert.match((e as Error).message, /meshlift:phase \(given: "cutover-now"\)/);
      assert.match((e as Error).message, /nothing was created/);
    }
  });

  it("rejects unknown keys with a did-you-mean", () => {
    const msgs = problems({
      ...base,
      "meshlift:phse": "parallel",
      "meshlift:cluster.nodeGrups": "{}",
    });
    assert.ok(
      msgs.some((m) => m.startsWith("meshlift:phse: unknown key; did you mean meshlift:phase?")),
      msgs.join("\n"),
    );
    assert.ok(
      msgs.some((m) =>
        m.includes(
          "meshlift:cluster.nodeGrups: unknown key; did you mean meshlift:cluster.nodeGroups?",
        ),
      ),
      msgs.join("\n"),
    );
  });

  it("requires aws:region, environment and cluster", () => {
    const msgs = problems({});
    assert.deepEqual(
      msgs.map((m) => m.split(":").slice(0, 2).join(":")),
      ["aws:region", "meshlift:environment", "meshlift:cluster"],
    );
  });

  it("requires a mode and a name to adopt an existing cluster", () => {
    assert.match(
      problems({ ...base, "meshlift:cluster": JSON.stringify({ mode: "adopt" }) })[0],
      /mode: "create".*"existing"/,
    );
    assert.match(
      problems({ ...base, "meshlift:cluster": JSON.stringify({ mode: "existing" }) })[0],
      /cluster.name: is required/,
    );
  });

  it("checks an existing VPC has private subnets, and subnets come with a VPC", () => {
    const one = problems({
      ...base,
      "meshlift:cluster": JSON.stringify({
        mode: "create",
        vpc: { vpcId: "vpc-0123456789abcdef0", privateSubnetIds: ["subnet-01234567"] },
      }),
    });
    assert.match(one[0], /privateSubnetIds: an existing vpcId needs at least 2 private subnet ids/);
    const two = problems({
      ...base,
      "meshlift:cluster": JSON.stringify({
        mode: "create",
        vpc: { privateSubnetIds: ["subnet-01234567"] },
      }),
    });
    assert.match(two[0], /vpcId: subnet ids are only allowed together with an existing vpcId/);
  });

  it("accepts the Kubernetes versions Istio 1.30 supports, 1.32 to 1.36, and no others", () => {
    const v = (kubernetesVersion: string) =>
      problems({
        ...base,
        "meshlift:cluster": JSON.stringify({ mode: "create", kubernetesVersion }),
      })[0];
    for (const bad of ["1.29", "1.31", "1.37"]) {
      assert.match(
        v(bad),
        /must be from 1\.32 to 1\.36: the Kubernetes versions Istio 1\.30 supports/,
      );
    }
    for (const ok of ["1.32", "1.34", "1.36"]) {
      const c = parseConfig("t", {
        ...base,
        "meshlift:cluster": JSON.stringify({ mode: "create", kubernetesVersion: ok }),
      }).cluster;
      assert.equal(c.mode === "create" && c.kubernetesVersion, ok);
    }
  });

  it("reads secure values as a placeholder offline", () => {
    const f = flattenConfig({
      "meshlift:x": { secure: "AAE=" },
      "meshlift:y": { a: [{ secure: "AAE=" }] },
    });
    assert.equal(f.config["meshlift:x"], "[secret]");
    assert.equal(f.config["meshlift:y"], JSON.stringify({ a: ["[secret]"] }));
    assert.deepEqual(f.secretKeys, ["meshlift:x"]);
  });

  it("suggests only close matches", () => {
    assert.equal(didYouMean("phse", ["phase", "cluster"]), "phase");
    assert.equal(didYouMean("zzzzzz", ["phase", "cluster"]), undefined);
  });
});
