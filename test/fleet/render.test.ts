// Fleet rendering: every object of the four example stacks valid against the operator's v2.9.0 CRDs, and what each field carries.
import { strict as assert } from "node:assert";
import fc from "fast-check";
import { DEFAULT_PROJECT_DIR } from "../../automation/runners/runner";
import { readStackFile } from "../../config/stack-file";
import { PULUMI_OPERATOR, WORKSPACE_IMAGE } from "../../config/versions";
import { loadFleetEnvironments } from "../../config/load";
import { IRSA_ANNOTATION, K8sObject } from "../../fleet/identity";
import { operatorChartRef } from "../../fleet/operator";
import { FleetEnvironmentInput, FleetError, renderFleet, RenderedFile } from "../../fleet/render";
import { stackConfigParts } from "../../fleet/stack";
import { loadKeys, unknownKeys } from "../support/chart-keys";
import { crdErrors } from "../support/crds";
import { EXAMPLES, fleetConfig, ISSUER } from "../support/fleet";

function objects(files: readonly RenderedFile[], kind?: string): K8sObject[] {
  return files
    .filter((f): f is Extract<RenderedFile, { kind: "kubernetes" }> => f.kind === "kubernetes")
    .map((f) => f.object)
    .filter((o) => kind === undefined || o.kind === kind);
}

/** The spec, loosely typed: the tests read it field by field. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Record<string, any>;
function spec(o: K8sObject): Loose {
  return o.spec as Loose;
}

/** An environment as loadFleetEnvironments makes it, from a hand-written flat config. */
function env(config: Record<string, string>, secretKeys: string[] = []): FleetEnvironmentInput {
  return {
    stack: "dev",
    config: { "aws:region": "eu-west-1", "meshlift:environment": "dev", ...config },
    secretKeys,
    environment: "dev",
    cluster: { mode: "create", adminRoleArns: [] },
  };
}

describe("fleet render", () => {
  const envs = loadFleetEnvironments(DEFAULT_PROJECT_DIR, EXAMPLES);

  it("renders the four example stacks as Stack objects valid against the v2.9.0 CRD", () => {
    const { files } = renderFleet(fleetConfig({ operator: { install: true } }), envs);
    const stacks = objects(files, "Stack");
    assert.deepEqual(
      stacks.map((s) => s.metadata.name),
      EXAMPLES.map((s) => `meshlift-${s}`),
    );
    for (const s of stacks) {
      assert.deepEqual(crdErrors(s), [], s.metadata.name);
      // The CRD's CEL rule, which ajv does not evaluate.
      assert.ok(s.metadata.name.length <= 42, s.metadata.name);
      // The workspace template is a strategic-merge patch of a Workspace: its spec must be one.
      const ws = {
        apiVersion: "auto.pulumi.com/v1alpha1",
        kind: "Workspace",
        metadata: { name: s.metadata.name, namespace: s.metadata.namespace },
        spec: spec(s).workspaceTemplate.spec,
      };
      assert.deepEqual(crdErrors(ws), [], `${s.metadata.name} workspace template`);
    }
  });

  it("renders every Stack and workspace valid against the CRDs for any fleet the schema accepts (bounded)", () => {
    const secret = fc.constantFrom("git", "platform-creds");
    const source = fc.oneof(
      fc.record({
        kind: fc.constant("git"),
        repo: fc.constantFrom(
          "https://github.com/acme/platform.git",
          "git@github.com:acme/platform.git",
          "ssh://git@gitlab.example.com:2222/infra/platform.git",
        ),
        branch: fc.constantFrom("main", "refs/heads/release/2026-12"),
        repoDir: fc.option(fc.constantFrom("infra", "infra/meshlift"), { nil: undefined }),
        shallow: fc.boolean(),
        auth: fc.option(
          fc.record({ type: fc.constantFrom("token", "ssh", "basic"), secretName: secret }),
          { nil: undefined },
        ),
      }),
      fc.record({
        kind: fc.constant("flux"),
        sourceRef: fc.record({
          apiVersion: fc.constantFrom(
            "source.toolkit.fluxcd.io/v1",
            "source.toolkit.fluxcd.io/v1beta2",
          ),
          kind: fc.constantFrom("GitRepository", "OCIRepository", "Bucket"),
          name: fc.constantFrom("platform", "meshlift-src"),
        }),
        dir: fc.option(fc.constant("infra/meshlift"), { nil: undefined }),
      }),
    );
    const kms = "awskms:///arn:aws:kms:us-east-1:111122223333:key/1234abcd?region=us-east-1";
    const backend = fc.constantFrom(
      { backend: "https://api.pulumi.com" },
      { backend: "https://pulumi.internal.example.com", secretsProvider: "default" },
      { backend: "s3://acme-pulumi-state/meshlift" },
      { backend: "s3://acme-pulumi-state", secretsProvider: kms },
      { backend: "azblob://state", secretsProvider: "passphrase" },
      { backend: "gs://acme-state/meshlift" },
    );
    const identity = fc.constantFrom(
      { mode: "irsa", accountId: "111122223333", oidcIssuer: ISSUER },
      { mode: "pod-identity", accountId: "111122223333", clusterName: "mgmt" },
    );
    const fleet = fc.record({
      source,
      identity,
      store: backend,
      namespace: fc.constantFrom("meshlift-fleet", "platform"),
      resync: fc.option(fc.integer({ min: 60, max: 86400 }), { nil: undefined }),
      image: fc.constantFrom(
        "pulumi/pulumi:3.270.0-nonroot",
        "123456789012.dkr.ecr.us-east-1.amazonaws.com/pulumi:3.270.0@sha256:" + "a".repeat(64),
      ),
      memory: fc.constantFrom("2Gi", "6Gi"),
      install: fc.boolean(),
    });
    fc.assert(
      fc.property(fleet, (f) => {
        const config = fleetConfig({
          source: f.source,
          identity: f.identity,
          ...f.store,
          namespace: f.namespace,
          ...(f.resync === undefined ? {} : { resyncFrequencySeconds: f.resync }),
          workspace: { image: f.image, resources: { limits: { cpu: "2", memory: f.memory } } },
          operator: { install: f.install },
        });
        const stacks = objects(renderFleet(config, envs).files, "Stack");
        assert.equal(stacks.length, EXAMPLES.length);
        for (const s of stacks) {
          assert.deepEqual(crdErrors(s), [], `${s.metadata.name} ${JSON.stringify(f)}`);
          const ws = {
            apiVersion: "auto.pulumi.com/v1alpha1",
            kind: "Workspace",
            metadata: { name: s.metadata.name, namespace: s.metadata.namespace },
            spec: spec(s).workspaceTemplate.spec,
          };
          assert.deepEqual(crdErrors(ws), [], `${s.metadata.name} workspace ${JSON.stringify(f)}`);
        }
      }),
      { numRuns: 25, seed: 15 },
    );
  });

  it("fails the CRD check on a misspelt field, so that the check above can fail", () => {
    const [s] = objects(renderFleet(fleetConfig(), envs).files, "Stack");
    const bad = { ...s, spec: { ...spec(s), destroyOnFinalise: false, refresh: "yes" } };
    const errors = crdErrors(bad).join("\n");
    assert.match(errors, /additionalProperty":"destroyOnFinalise"/);
    assert.match(errors, /\/spec\/refresh must be boolean/);
  });

  it("carries each environment's config from its stack file, with refresh, no destroy, the backend and the workspace", () => {
    const { files } = renderFleet(fleetConfig(), envs);
    for (const s of objects(files, "Stack")) {
      const stack = s.metadata.labels?.["meshlift.io/stack"] as string;
      const file = readStackFile(DEFAULT_PROJECT_DIR, stack).config;
      const sp = spec(s);
      assert.equal(sp.stack, `organization/meshlift/${stack}`);
      assert.equal(sp.config["meshlift:phase"], file["meshlift:phase"]);
      assert.equal(sp.config["aws:region"], file["aws:region"]);
      assert.deepEqual(sp.config["meshlift:cluster"], JSON.parse(file["meshlift:cluster"]));
      assert.deepEqual(Object.keys(sp.config).sort(), Object.keys(file).sort());
      assert.equal(sp.refresh, true);
      assert.equal(sp.destroyOnFinalize, false);
      assert.equal(sp.backend, "https://api.pulumi.com");
      assert.deepEqual(sp.envRefs, {
        PULUMI_ACCESS_TOKEN: {
          type: "Secret",
          secret: { name: "meshlift-fleet-credentials", key: "accessToken" },
        },
      });
      assert.equal(sp.projectRepo, "https://github.com/acme/platform.git");
      assert.equal(sp.branch, "main");
      assert.equal(sp.serviceAccountName, s.metadata.name);
      assert.equal(sp.workspaceTemplate.spec.serviceAccountName, s.metadata.name);
      assert.equal(sp.workspaceTemplate.spec.image, WORKSPACE_IMAGE);
      assert.deepEqual(sp.workspaceTemplate.spec.resources, {
        requests: { cpu: "1", memory: "2Gi" },
        limits: { cpu: "2", memory: "4Gi" },
      });
    }
  });

  it("runs a multi-cluster peer after the stack that owns its root CA", () => {
    const stacks = objects(renderFleet(fleetConfig(), envs).files, "Stack");
    const byName = new Map(stacks.map((s) => [s.metadata.name, spec(s)]));
    assert.deepEqual(byName.get("meshlift-prod-usw2")?.prerequisites, [
      { name: "meshlift-prod-use1" },
    ]);
    assert.equal(byName.get("meshlift-prod-use1")?.prerequisites, undefined);
    assert.equal(byName.get("meshlift-dev")?.prerequisites, undefined);
  });

  it("gives each workspace an IRSA ServiceAccount, the operator's auth-delegator binding and a role only it can assume", () => {
    const fleet = fleetConfig();
    const { files } = renderFleet(fleet, envs);
    const roles = files.filter(
      (f): f is Extract<RenderedFile, { kind: "iam-role" }> => f.kind === "iam-role",
    );
    assert.equal(roles.length, 4);
    for (const sa of objects(files, "ServiceAccount")) {
      const stack = sa.metadata.labels?.["meshlift.io/stack"] as string;
      const role = roles.find((r) => r.role.name === `meshlift-fleet-${stack}`)?.role;
      assert.ok(role, stack);
      assert.equal(sa.metadata.annotations?.[IRSA_ANNOTATION], role.arn);
      assert.equal(role.arn, `arn:aws:iam::111122223333:role/meshlift-fleet-${stack}`);
      const st = role.trustPolicy.Statement[0];
      assert.equal(st.Action, "sts:AssumeRoleWithWebIdentity");
      const issuer = ISSUER.replace("https://", "");
      assert.deepEqual(st.Principal, {
        Federated: `arn:aws:iam::111122223333:oidc-provider/${issuer}`,
      });
      assert.deepEqual(st.Condition?.StringEquals, {
        [`${issuer}:sub`]: `system:serviceaccount:meshlift-fleet:meshlift-${stack}`,
        [`${issuer}:aud`]: "sts.amazonaws.com",
      });
    }
    const bindings = objects(files, "ClusterRoleBinding");
    assert.equal(bindings.length, 4);
    for (const b of bindings) {
      assert.deepEqual(b.roleRef, {
        apiGroup: "rbac.authorization.k8s.io",
        kind: "ClusterRole",
        name: "system:auth-delegator",
      });
      const [subject] = b.subjects as { name: string; namespace: string }[];
      assert.equal(subject.namespace, "meshlift-fleet");
      assert.match(subject.name, /^meshlift-/);
    }
  });

  it("with EKS Pod Identity: no annotation, a trust in pods.eks.amazonaws.com and the association to create", () => {
    const fleet = fleetConfig({
      identity: { mode: "pod-identity", accountId: "111122223333", clusterName: "mgmt" },
    });
    const { files, nextSteps } = renderFleet(fleet, envs);
    for (const sa of objects(files, "ServiceAccount"))
      assert.equal(sa.metadata.annotations, undefined);
    const role = files.find((f) => f.kind === "iam-role" && f.role.name === "meshlift-fleet-dev");
    assert.ok(role?.kind === "iam-role");
    assert.deepEqual(role.role.trustPolicy.Statement[0].Principal, {
      Service: "pods.eks.amazonaws.com",
    });
    assert.deepEqual(role.role.trustPolicy.Statement[0].Action, [
      "sts:AssumeRole",
      "sts:TagSession",
    ]);
    assert.deepEqual(role.role.podIdentityAssociation, {
      clusterName: "mgmt",
      namespace: "meshlift-fleet",
      serviceAccount: "meshlift-dev",
      roleArn: "arn:aws:iam::111122223333:role/meshlift-fleet-dev",
    });
    assert.match(nextSteps.join("\n"), /pod identity association/);
  });

  it("with a bucket backend and a KMS key: the passphrase is not needed, the role may use the bucket and the key", () => {
    const kms = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34bc-56ef-1234567890ab";
    const fleet = fleetConfig({
      backend: "s3://acme-pulumi-state/meshlift",
      secretsProvider: `awskms:///${kms}?region=us-east-1`,
    });
    const { files } = renderFleet(fleet, envs);
    const [s] = objects(files, "Stack");
    assert.equal(spec(s).backend, "s3://acme-pulumi-state/meshlift");
    assert.equal(spec(s).secretsProvider, `awskms:///${kms}?region=us-east-1`);
    assert.equal(spec(s).envRefs, undefined, "no token, no passphrase");
    const role = files.find((f) => f.kind === "iam-role");
    assert.ok(role?.kind === "iam-role");
    const resources = role.role.inlinePolicy?.Statement.map((x) => x.Resource);
    assert.deepEqual(resources, [
      "arn:aws:s3:::acme-pulumi-state",
      "arn:aws:s3:::acme-pulumi-state/meshlift/*",
      kms,
    ]);
  });

  it("with a bucket backend and no KMS key: the passphrase comes from the credentials Secret", () => {
    const [s] = objects(
      renderFleet(fleetConfig({ backend: "s3://acme-pulumi-state" }), envs).files,
      "Stack",
    );
    assert.deepEqual(spec(s).envRefs, {
      PULUMI_CONFIG_PASSPHRASE: {
        type: "Secret",
        secret: { name: "meshlift-fleet-credentials", key: "passphrase" },
      },
    });
  });

  it("fetches the project from a Flux source instead of git", () => {
    const fleet = fleetConfig({
      source: {
        kind: "flux",
        sourceRef: { kind: "GitRepository", name: "platform" },
        dir: "infra/meshlift",
      },
    });
    const { files, nextSteps } = renderFleet(fleet, envs);
    for (const s of objects(files, "Stack")) {
      assert.deepEqual(spec(s).fluxSource, {
        sourceRef: {
          apiVersion: "source.toolkit.fluxcd.io/v1",
          kind: "GitRepository",
          name: "platform",
        },
        dir: "infra/meshlift",
      });
      assert.equal(spec(s).projectRepo, undefined);
      assert.deepEqual(crdErrors(s), []);
    }
    assert.match(nextSteps.join("\n"), /get gitrepository platform/);
  });

  it("reads git credentials from a Secret for each auth type", () => {
    for (const [type, want] of [
      ["token", { accessToken: { type: "Secret", secret: { name: "git", key: "accessToken" } } }],
      [
        "ssh",
        {
          sshAuth: {
            sshPrivateKey: { type: "Secret", secret: { name: "git", key: "sshPrivateKey" } },
          },
        },
      ],
      [
        "basic",
        {
          basicAuth: {
            userName: { type: "Secret", secret: { name: "git", key: "username" } },
            password: { type: "Secret", secret: { name: "git", key: "password" } },
          },
        },
      ],
    ] as const) {
      const fleet = fleetConfig({
        source: {
          kind: "git",
          repo: "git@github.com:acme/platform.git",
          branch: "refs/heads/main",
          repoDir: "infra",
          auth: { type, secretName: "git" },
        },
      });
      const [s] = objects(renderFleet(fleet, envs).files, "Stack");
      assert.deepEqual(spec(s).gitAuth, want, type);
      assert.equal(spec(s).repoDir, "infra");
      assert.deepEqual(crdErrors(s), [], type);
    }
  });

  it("reads secure values through secretsRef and never carries them", () => {
    const e = env({ "meshlift:dbPassword": "[secret]", "meshlift:phase": "discovery" }, [
      "meshlift:dbPassword",
    ]);
    const [s] = objects(renderFleet(fleetConfig({ stacks: ["dev"] }), [e]).files, "Stack");
    assert.deepEqual(spec(s).secretsRef, {
      "meshlift:dbPassword": {
        type: "Secret",
        secret: { name: "meshlift-dev-secrets", key: "meshlift.dbPassword" },
      },
    });
    assert.equal(spec(s).config["meshlift:dbPassword"], undefined);
    assert.doesNotMatch(JSON.stringify(s), /\[secret\]/);
    assert.deepEqual(crdErrors(s), []);
  });

  it("leaves a key with nested secure values to the encrypted stack file, and says so", () => {
    const e = env({
      "meshlift:multiCluster": JSON.stringify({ rootCa: { certPem: "x", keyPem: "[secret]" } }),
    });
    const parts = stackConfigParts(e);
    assert.deepEqual(parts.fromStackFile, ["meshlift:multiCluster"]);
    assert.equal(parts.config["meshlift:multiCluster"], undefined);
    const { nextSteps } = renderFleet(fleetConfig({ stacks: ["dev"] }), [e]);
    assert.match(nextSteps.join("\n"), /meshlift:multiCluster hold nested secure values/);
  });

  it("refuses a credential in plain text, naming the key and never the value", () => {
    const pem =
      "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----";
    const e = env({
      "meshlift:multiCluster": JSON.stringify({ rootCa: { certPem: "x", keyPem: pem } }),
    });
    assert.throws(
      () => renderFleet(fleetConfig({ stacks: ["dev"] }), [e]),
      (err: Error) =>
        err instanceof FleetError &&
        /meshlift:multiCluster\.rootCa\.keyPem holds a PEM private key in plain text/.test(
          err.message,
        ) &&
        !err.message.includes("MIIEvQ"),
    );
    for (const [key, value] of [
      ["aws:secretKey", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"],
      ["aws:accessKey", "AKIAIOSFODNN7EXAMPLE"],
      ["pulumi:accessToken", "pul-0123456789abcdef0123456789abcdef01234567"],
    ]) {
      assert.throws(
        () => stackConfigParts(env({ [key]: value })),
        (err: Error) => err.message.includes(key) && !err.message.includes(value),
        key,
      );
    }
    // A restart counter is not a credential.
    assert.doesNotThrow(() =>
      stackConfigParts(
        env({ "meshlift:migration": JSON.stringify({ namespaces: [{ restartToken: "2" }] }) }),
      ),
    );
  });

  it("installs the operator from its pinned OCI chart, with values the chart reads", () => {
    const { files, nextSteps } = renderFleet(fleetConfig({ operator: { install: true } }), envs);
    const release = files.find((f) => f.kind === "helm-release");
    assert.ok(release?.kind === "helm-release");
    assert.equal(
      release.release.chart,
      "oci://ghcr.io/pulumi/helm-charts/pulumi-kubernetes-operator",
    );
    assert.equal(release.release.chart, operatorChartRef());
    assert.equal(release.release.version, PULUMI_OPERATOR.chart.version);
    assert.equal(
      PULUMI_OPERATOR.chart.version,
      PULUMI_OPERATOR.version,
      "chart version = operator version",
    );
    assert.equal(release.release.namespace, "pulumi-kubernetes-operator");
    assert.deepEqual(
      unknownKeys(release.release.values, loadKeys("pulumi-kubernetes-operator")),
      [],
    );
    assert.equal(
      (release.release.values.image as { tag: string }).tag,
      `v${PULUMI_OPERATOR.version}`,
    );
    assert.match(
      nextSteps[0],
      /helm upgrade --install pulumi-kubernetes-operator oci:\/\/ghcr\.io\/pulumi\/helm-charts\/pulumi-kubernetes-operator --version 2\.9\.0/,
    );
    const without = renderFleet(fleetConfig(), envs).files;
    assert.equal(without.filter((f) => f.path.startsWith("operator/")).length, 0);
  });

  it("tells what to grant before the first update: credentials, cluster access, role permissions", () => {
    const { nextSteps } = renderFleet(fleetConfig(), envs);
    const text = nextSteps.join("\n");
    assert.match(
      text,
      /create secret generic meshlift-fleet-credentials --from-literal=accessToken=/,
    );
    assert.match(
      text,
      /dev: add arn:aws:iam::111122223333:role\/meshlift-fleet-dev to meshlift:cluster\.adminRoleArns/,
    );
    assert.match(
      text,
      /prod: grant .* access to the existing cluster platform-prod: aws eks create-access-entry/,
    );
    assert.match(text, /no permissions yet/);
  });

  it("is deterministic: the same stack files render the same files", () => {
    const a = renderFleet(fleetConfig(), envs);
    const b = renderFleet(
      fleetConfig(),
      loadFleetEnvironments(DEFAULT_PROJECT_DIR, [...EXAMPLES].reverse()),
    );
    assert.deepEqual(a, b);
  });
});
