// Whole-stack test of Fleet's part of the plan: a management stack with `meshlift:fleet` applies the operator and each environment's Stack with Pulumi.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigError } from "../../config/errors";
import { PlanDocument, PlanResource } from "../../plan/offline";
import { PULUMI_OPERATOR } from "../../config/versions";
import { loadFleetEnvironments } from "../../config/load";
import { stackObject } from "../../fleet/stack";
import { fleetSchema } from "../../config/sections/fleet";
import { checkSubject, formatViolations } from "../../policy/run";
import { subjectFromPlan } from "../../policy/subject";
import { crdErrors } from "../support/crds";
import { fleetProject } from "../support/fleet";
import { named, ofType, plan } from "../support/plan";

const FLEET = {
  stacks: ["dev", "prod-use1", "prod-usw2"],
  source: { kind: "git", repo: "https://github.com/acme/platform.git", branch: "main" },
  identity: { mode: "irsa" },
  rolePolicyArns: ["arn:aws:iam::111122223333:policy/meshlift-deployer"],
  operator: { install: true },
};

/** A project whose stack `mgmt` manages the example stacks from an adopted management cluster. */
function managementProject(fleet: Record<string, unknown> = FLEET): string {
  const dir = fleetProject();
  const stack = {
    config: {
      "aws:region": "us-east-1",
      "meshlift:environment": "mgmt",
      "meshlift:cluster": { mode: "existing", name: "mgmt" },
      "meshlift:fleet": fleet,
    },
  };
  fs.writeFileSync(path.join(dir, "stacks", "Pulumi.mgmt.yaml"), JSON.stringify(stack));
  return dir;
}

function stackResources(doc: PlanDocument): PlanResource[] {
  return ofType(doc, "kubernetes:pulumi.com/v1:Stack");
}

describe("Fleet (management stack)", () => {
  let dir: string;
  let doc: PlanDocument;

  before(async () => {
    dir = managementProject();
    doc = await plan({ stack: "mgmt", projectDir: dir });
  });

  it("installs the operator from its pinned OCI chart before any Stack", () => {
    const op = named(doc, "fleet-operator");
    assert.equal(op.inputs.chart, `${PULUMI_OPERATOR.chart.repo}/${PULUMI_OPERATOR.chart.chart}`);
    assert.equal(op.inputs.version, PULUMI_OPERATOR.chart.version);
    assert.equal(op.inputs.namespace, "pulumi-kubernetes-operator");
    assert.equal(op.inputs.repositoryOpts, undefined, "an OCI chart has no repository");
    for (const s of stackResources(doc)) assert.ok(s.dependsOn.includes(op.urn), s.name);
  });

  it("applies each environment's Stack as fleet render renders it, valid against the CRD", () => {
    const stacks = stackResources(doc);
    assert.deepEqual(stacks.map((s) => s.name).sort(), [
      "fleet-dev-stack",
      "fleet-prod-use1-stack",
      "fleet-prod-usw2-stack",
    ]);
    const fleet = fleetSchema.parse(FLEET);
    const envs = loadFleetEnvironments(dir, FLEET.stacks);
    for (const env of envs) {
      const r = named(doc, `fleet-${env.stack}-stack`);
      assert.deepEqual(crdErrors(r.inputs), [], r.name);
      assert.deepEqual(
        r.inputs.spec,
        stackObject(fleet, env).spec,
        "one builder for the CLI and the stack",
      );
      assert.equal((r.inputs.spec as { destroyOnFinalize: boolean }).destroyOnFinalize, false);
    }
  });

  it("gives each workspace an IRSA role trusted by the management cluster, its ServiceAccount and the auth-delegator binding", () => {
    for (const stack of FLEET.stacks) {
      const role = named(doc, `fleet-${stack}-irsa-role`);
      assert.equal(
        role.inputs.name,
        `meshlift-fleet-${stack}`,
        "a fixed name, for the environments' access entries",
      );
      assert.match(
        String(role.inputs.description),
        new RegExp(`system:serviceaccount:meshlift-fleet:meshlift-${stack}`),
      );
      const attachment = named(doc, `fleet-${stack}-irsa-meshlift-deployer`);
      assert.equal(attachment.inputs.policyArn, FLEET.rolePolicyArns[0]);
      const sa = named(doc, `fleet-${stack}-irsa-sa`);
      const md = sa.inputs.metadata as {
        name: string;
        namespace: string;
        annotations: Record<string, string>;
        labels: Record<string, string>;
      };
      assert.equal(md.name, `meshlift-${stack}`);
      assert.equal(md.namespace, "meshlift-fleet");
      assert.ok("eks.amazonaws.com/role-arn" in md.annotations);
      assert.equal(md.labels["meshlift.io/stack"], stack);
      const crb = named(doc, `fleet-${stack}-auth-delegator`);
      assert.equal((crb.inputs.roleRef as { name: string }).name, "system:auth-delegator");
      const s = named(doc, `fleet-${stack}-stack`);
      assert.ok(
        s.dependsOn.includes(sa.urn) && s.dependsOn.includes(crb.urn),
        "identity before the first update",
      );
    }
    assert.deepEqual(doc.outputs.fleetStacks, {
      dev: "meshlift-dev",
      "prod-use1": "meshlift-prod-use1",
      "prod-usw2": "meshlift-prod-usw2",
    });
  });

  it("passes the mesh policy pack", () => {
    assert.deepEqual(formatViolations(checkSubject(subjectFromPlan(doc))), []);
  });

  it("with EKS Pod Identity: a role trusting the EKS pods service and an association on the management cluster", async () => {
    const pd = await plan({
      stack: "mgmt",
      projectDir: managementProject({
        ...FLEET,
        stacks: ["dev"],
        identity: { mode: "pod-identity" },
        operator: { install: false },
      }),
    });
    const role = named(pd, "fleet-dev-role");
    assert.equal(role.inputs.name, "meshlift-fleet-dev");
    const trust = JSON.parse(String(role.inputs.assumeRolePolicy)) as {
      Statement: { Principal: unknown }[];
    };
    assert.deepEqual(trust.Statement[0].Principal, { Service: "pods.eks.amazonaws.com" });
    for (const st of stackResources(pd)) assert.deepEqual(crdErrors(st.inputs), [], st.name);
    const assoc = named(pd, "fleet-dev-pod-identity");
    assert.equal(assoc.inputs.clusterName, "mgmt");
    assert.equal(assoc.inputs.serviceAccount, "meshlift-dev");
    assert.equal(ofType(pd, "kubernetes:helm.sh/v3:Release").length, 0, "no operator asked for");
    assert.equal(
      (named(pd, "fleet-dev-sa").inputs.metadata as { annotations?: unknown }).annotations,
      undefined,
    );
  });

  it("stops before registering anything on a bad fleet: an unknown stack, a bad field, a bad environment", async () => {
    await assert.rejects(
      plan({ stack: "mgmt", projectDir: managementProject({ ...FLEET, stacks: ["dev", "nope"] }) }),
      (e: unknown) =>
        e instanceof ConfigError &&
        /meshlift:fleet\.stacks\.1 \(given: "nope"\): unknown stack "nope": no stacks\/Pulumi\.nope\.yaml/.test(
          e.message,
        ),
    );
    await assert.rejects(
      plan({
        stack: "mgmt",
        projectDir: managementProject({
          ...FLEET,
          source: { ...FLEET.source, repo: "http://x/y" },
        }),
      }),
      /meshlift:fleet\.source\.repo.*must use https:\/\/ or ssh:\/\//,
    );
    const broken = managementProject({ ...FLEET, stacks: ["dev"] });
    fs.appendFileSync(
      path.join(broken, "stacks", "Pulumi.dev.yaml"),
      "  aws:secretKey: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n",
    );
    await assert.rejects(
      plan({ stack: "mgmt", projectDir: broken }),
      /aws:secretKey holds a plain value/,
    );
  });

  it("names a bad environment's keys with its file, beside the management stack's own problems, in one error", async () => {
    const dir = managementProject({ ...FLEET, stacks: ["dev", "prod-use1"] });
    const devFile = path.join(dir, "stacks", "Pulumi.dev.yaml");
    fs.writeFileSync(
      devFile,
      fs
        .readFileSync(devFile, "utf8")
        .replace(/meshlift:environment: .*/, "meshlift:environment: 7"),
    );
    const mgmt = path.join(dir, "stacks", "Pulumi.mgmt.yaml");
    const doc = JSON.parse(fs.readFileSync(mgmt, "utf8")) as { config: Record<string, unknown> };
    doc.config["meshlift:phase"] = "sideways";
    fs.writeFileSync(mgmt, JSON.stringify(doc));
    await assert.rejects(plan({ stack: "mgmt", projectDir: dir }), (e: unknown) => {
      assert.ok(e instanceof ConfigError, String(e));
      const keys = e.problems.map((p) => p.key);
      assert.ok(keys.includes("meshlift:phase"), keys.join(", "));
      const env = e.problems.find((p) => p.key === "meshlift:fleet.stacks.0");
      assert.ok(env, keys.join(", "));
      assert.match(env.message, /^stacks\/Pulumi\.dev\.yaml: meshlift:environment/);
      assert.ok(!keys.includes("meshlift:fleet.stacks.1"), "prod-use1 is fine");
      return true;
    });
  });

  it("reads a fleet that lists the management stack itself once, without looping", async () => {
    const doc = await plan({
      stack: "mgmt",
      projectDir: managementProject({ ...FLEET, stacks: ["dev", "mgmt"] }),
    });
    assert.deepEqual(doc.outputs.fleetStacks, { dev: "meshlift-dev", mgmt: "meshlift-mgmt" });
  });
});
