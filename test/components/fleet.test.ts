// Fleet on its own under mocks: the operator release, and per environment its identity (IRSA or EKS Pod Identity), auth-delegator binding and Stack object after them; refusals before anything exists.
import * as assert from "node:assert/strict";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Fleet, FleetArgs } from "../../components/fleet";
import { FleetConfig } from "../../config/sections/fleet";
import { podIdentityTrustPolicy, stateAccessPolicy } from "../../fleet/identity";
import { operatorRelease } from "../../fleet/operator";
import { FleetEnvironmentInput } from "../../fleet/render";
import { stackObject } from "../../fleet/stack";
import { HELM_TIMEOUT_SECONDS } from "../../builders/helm";
import { buildUnderMocks, ofType, optionsSeen, promiseOf } from "../support/component-mocks";
import { crdErrors } from "../support/crds";
import { fleetConfig } from "../support/fleet";

const CALLER = "444455556666";
const POLICY = "arn:aws:iam::111122223333:policy/meshlift-deployer";
const STACK = "kubernetes:pulumi.com/v1:Stack";

function env(stack: string): FleetEnvironmentInput {
  return {
    stack,
    environment: stack,
    config: { "aws:region": "eu-west-1", "meshlift:environment": stack },
    secretKeys: [],
    cluster: { mode: "existing", name: stack },
  };
}

async function build(fleet: FleetConfig, over: Partial<FleetArgs> = {}) {
  const opts = optionsSeen();
  const built = await buildUnderMocks(
    () =>
      new Fleet(
        "fleet",
        {
          fleet,
          environments: fleet.stacks.map(env),
          clusterName: "mgmt",
          oidcProviderArn: "arn:aws:iam::111122223333:oidc-provider/oidc.example/id/A",
          oidcIssuer: "oidc.example/id/A",
          tags: { team: "platform" },
          ...over,
        },
        {
          providers: [new k8s.Provider("k8s", { kubeconfig: "{}" })],
          transformations: opts.transformations,
        },
      ),
    {
      // Every resource constructed under the component, so that all are registered.
      settle: () => [...opts.names.keys()].map((r) => r.urn),
      invokes: {
        "aws:index/getCallerIdentity:getCallerIdentity": {
          accountId: CALLER,
          arn: `arn:aws:iam::${CALLER}:user/ci`,
          id: CALLER,
          userId: "AID",
        },
      },
      state: (r) =>
        r.type === "aws:iam/role:Role"
          ? { arn: `arn:aws:iam::${CALLER}:role/${String(r.inputs.name)}` }
          : {},
    },
  );
  const dependsOn = (name: string) =>
    ((opts.seen.get(name)?.dependsOn ?? []) as pulumi.Resource[]).map((r) => opts.names.get(r));
  return { ...built, seen: opts.seen, dependsOn };
}

describe("Fleet", () => {
  const irsa = fleetConfig({
    stacks: ["dev", "prod"],
    rolePolicyArns: [POLICY],
    operator: { install: true },
  });

  it("installs the operator's pinned OCI chart in its own namespace, atomically", async () => {
    const { registered, dependsOn, seen, component } = await build(irsa);
    const r = operatorRelease(irsa);
    const [release, ...more] = ofType(registered, "kubernetes:helm.sh/v3:Release");
    assert.deepEqual(more, []);
    assert.equal(release.name, "fleet-operator");
    assert.deepEqual(
      [release.inputs.name, release.inputs.chart, release.inputs.version, release.inputs.namespace],
      [r.release, r.chart, r.version, r.namespace],
    );
    assert.deepEqual(release.inputs.values, r.values);
    assert.equal(release.inputs.repositoryOpts, undefined, "an OCI chart has no repository");
    assert.equal(release.inputs.atomic, true);
    assert.equal(release.inputs.timeout, HELM_TIMEOUT_SECONDS);
    assert.deepEqual(dependsOn("fleet-operator"), ["fleet-operator-ns"]);
    assert.equal(seen.get("fleet-operator")?.parent, component);
    const namespaces = ofType(registered, "kubernetes:core/v1:Namespace").map(
      (n) => (n.inputs.metadata as { name: string }).name,
    );
    assert.deepEqual(namespaces.sort(), [r.namespace, irsa.namespace].sort());
  });

  it("applies each environment's Stack object as the fleet builder renders it, after its identity, binding and the operator", async () => {
    const { registered, dependsOn } = await build(irsa);
    const stacks = ofType(registered, STACK);
    assert.deepEqual(
      stacks.map((s) => s.name),
      ["fleet-dev-stack", "fleet-prod-stack"],
    );
    for (const s of stacks) {
      const e = env(s.name.split("-")[1]);
      const obj = stackObject(irsa, e);
      assert.deepEqual(s.inputs.spec, obj.spec, s.name);
      assert.deepEqual(s.inputs.metadata, obj.metadata, s.name);
      assert.deepEqual(crdErrors(s.inputs), [], s.name);
      assert.deepEqual(dependsOn(s.name), [
        "fleet-ns",
        `fleet-${e.stack}-auth-delegator`,
        `fleet-${e.stack}-irsa-sa`,
        "fleet-operator",
      ]);
    }
    const [crb] = ofType(registered, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding");
    assert.equal((crb.inputs.roleRef as { name: string }).name, "system:auth-delegator");
  });

  it("with IRSA: a fixed-name role per environment trusted by the management cluster, the policies attached, its outputs", async () => {
    const { registered, component, dependsOn } = await build(irsa);
    assert.deepEqual(
      ofType(registered, "meshlift:iam:IrsaRole").map((r) => r.name),
      ["fleet-dev-irsa", "fleet-prod-irsa"],
    );
    const roles = ofType(registered, "aws:iam/role:Role");
    assert.deepEqual(
      roles.map((r) => r.inputs.name),
      ["meshlift-fleet-dev", "meshlift-fleet-prod"],
    );
    assert.match(String(roles[0].inputs.assumeRolePolicy), /oidc-provider\/oidc\.example\/id\/A/);
    assert.deepEqual(roles[0].inputs.tags, { team: "platform" });
    const attachments = ofType(registered, "aws:iam/rolePolicyAttachment:RolePolicyAttachment");
    assert.deepEqual(
      attachments.map((a) => [a.name, a.inputs.policyArn]),
      [
        ["fleet-dev-irsa-meshlift-deployer", POLICY],
        ["fleet-prod-irsa-meshlift-deployer", POLICY],
      ],
    );
    assert.deepEqual(
      ofType(registered, "aws:eks/podIdentityAssociation:PodIdentityAssociation"),
      [],
    );
    assert.ok(dependsOn("fleet-dev-irsa-sa").includes("fleet-ns"), "the namespace first");
    assert.deepEqual(component.stacks, { dev: "meshlift-dev", prod: "meshlift-prod" });
    assert.equal(
      await promiseOf(component.roleArns.prod),
      `arn:aws:iam::${CALLER}:role/meshlift-fleet-prod`,
    );
  });

  it("with EKS Pod Identity and an S3 backend: a role trusting pods.eks.amazonaws.com, the state policy, an association after them, no operator", async () => {
    const fleet = fleetConfig({
      stacks: ["dev"],
      backend: "s3://state-bucket/meshlift",
      secretsProvider: "passphrase",
      identity: { mode: "pod-identity" },
      rolePolicyArns: [POLICY],
      operator: { install: false },
    });
    const { registered, dependsOn } = await build(fleet);
    const [role] = ofType(registered, "aws:iam/role:Role");
    assert.equal(role.name, "fleet-dev-role");
    assert.equal(role.inputs.name, "meshlift-fleet-dev");
    assert.equal(
      role.inputs.assumeRolePolicy,
      JSON.stringify(podIdentityTrustPolicy(CALLER)),
      "the caller's account when identity.accountId is not given",
    );
    const [inline] = ofType(registered, "aws:iam/rolePolicy:RolePolicy");
    assert.equal(inline.inputs.policy, JSON.stringify(stateAccessPolicy(fleet)));
    assert.match(String(inline.inputs.policy), /arn:aws:s3:::state-bucket\/meshlift\/\*/);
    const [assoc] = ofType(registered, "aws:eks/podIdentityAssociation:PodIdentityAssociation");
    assert.deepEqual(
      [assoc.inputs.clusterName, assoc.inputs.namespace, assoc.inputs.serviceAccount],
      ["mgmt", fleet.namespace, "meshlift-dev"],
    );
    assert.deepEqual(dependsOn("fleet-dev-pod-identity"), [
      "fleet-dev-meshlift-deployer",
      "fleet-dev-state",
    ]);
    const [sa] = ofType(registered, "kubernetes:core/v1:ServiceAccount");
    assert.equal((sa.inputs.metadata as { annotations?: unknown }).annotations, undefined);
    assert.deepEqual(dependsOn("fleet-dev-stack"), [
      "fleet-ns",
      "fleet-dev-auth-delegator",
      "fleet-dev-sa",
      "fleet-dev-pod-identity",
    ]);
    assert.deepEqual(ofType(registered, "kubernetes:helm.sh/v3:Release"), []);
  });

  it("associates on identity.clusterName and trusts identity.accountId when given", async () => {
    const fleet = fleetConfig({
      stacks: ["dev"],
      identity: { mode: "pod-identity", accountId: "777788889999", clusterName: "ops" },
    });
    const { registered } = await build(fleet);
    const [role] = ofType(registered, "aws:iam/role:Role");
    assert.equal(
      role.inputs.assumeRolePolicy,
      JSON.stringify(podIdentityTrustPolicy("777788889999")),
    );
    const [assoc] = ofType(registered, "aws:eks/podIdentityAssociation:PodIdentityAssociation");
    assert.equal(assoc.inputs.clusterName, "ops");
    assert.deepEqual(
      ofType(registered, "aws:iam/rolePolicy:RolePolicy"),
      [],
      "no state policy on Pulumi Cloud",
    );
  });

  describe("refuses before registering anything", () => {
    async function refusal(make: (o: pulumi.ComponentResourceOptions) => Fleet): Promise<string> {
      const opts = optionsSeen();
      await pulumi.runtime.setMocks({
        newResource: (a) => ({ id: `${a.name}-id`, state: a.inputs as Record<string, unknown> }),
        call: () => ({}),
      });
      let message = "";
      assert.throws(
        () => make({ transformations: opts.transformations }),
        (e: unknown) => {
          assert.ok(e instanceof pulumi.ResourceError, String(e));
          message = e.message;
          return true;
        },
      );
      assert.deepEqual([...opts.seen.keys()], ["fleet"], "nothing was constructed under it");
      return message;
    }
    const args = (fleet: FleetConfig, environments = fleet.stacks.map(env)): FleetArgs => ({
      fleet,
      environments,
      clusterName: "mgmt",
      oidcProviderArn: "arn",
      oidcIssuer: "issuer",
    });

    it("environments that are not fleet.stacks: one missing, one extra", async () => {
      const fleet = fleetConfig({ stacks: ["dev", "prod"] });
      const provider = () => [new k8s.Provider("k8s", { kubeconfig: "{}" })];
      assert.equal(
        await refusal(
          (o) => new Fleet("fleet", args(fleet, [env("dev")]), { ...o, providers: provider() }),
        ),
        "Fleet fleet: environments (dev) are not fleet.stacks (dev, prod)",
      );
      assert.match(
        await refusal(
          (o) =>
            new Fleet("fleet", args(fleet, [env("dev"), env("stage")]), {
              ...o,
              providers: provider(),
            }),
        ),
        /environments \(dev, stage\) are not fleet\.stacks \(dev, prod\)/,
      );
    });

    it("no Kubernetes provider for the management cluster", async () => {
      const fleet = fleetConfig({ stacks: ["dev"] });
      assert.match(
        await refusal((o) => new Fleet("fleet", args(fleet), o)),
        /Fleet fleet: a Kubernetes provider \(opts\.providers\) is required for the management cluster/,
      );
    });
  });
});
