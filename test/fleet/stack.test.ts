// One environment's pulumi.com/v1 Stack: its config split (inline, by Secret, left to the stack file), source, backend and workspace.
import { strict as assert } from "node:assert";
import { credentialEnvRefs } from "../../fleet/identity";
import {
  configSecretName,
  FleetEnvironment,
  FleetError,
  qualifiedStackName,
  secretKeyFor,
  stackConfigParts,
  stackObject,
} from "../../fleet/stack";
import { fleetConfig } from "../support/fleet";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Record<string, any>;

const env = (config: Record<string, string>, secretKeys: string[] = []): FleetEnvironment => ({
  stack: "dev",
  config: { "meshlift:environment": "dev", ...config },
  secretKeys,
  environment: "dev",
});

describe("fleet stack", () => {
  it("names the Secret of secure values and a Secret key for each config key", () => {
    assert.equal(configSecretName("dev"), "meshlift-dev-secrets");
    assert.equal(secretKeyFor("meshlift:db.password"), "meshlift.db.password");
    assert.equal(secretKeyFor("aws:secret key/é"), "aws.secret.key..");
  });

  it("carries scalars as strings and JSON objects as values, and reads secure keys by reference", () => {
    const parts = stackConfigParts(
      env(
        {
          "meshlift:phase": "discovery",
          "meshlift:cutover": '{"istioWeight":10}',
          "meshlift:note": "{not json",
          "meshlift:token": "[secret]",
        },
        ["meshlift:token"],
      ),
    );
    assert.deepEqual(parts.config, {
      "meshlift:cutover": { istioWeight: 10 },
      "meshlift:environment": "dev",
      "meshlift:note": "{not json",
      "meshlift:phase": "discovery",
    });
    assert.deepEqual(parts.secretsRef, {
      "meshlift:token": {
        type: "Secret",
        secret: { name: "meshlift-dev-secrets", key: "meshlift.token" },
      },
    });
    assert.deepEqual(parts.fromStackFile, []);
  });

  it("refuses two secure keys that map to one Secret key", () => {
    assert.throws(
      () => stackConfigParts(env({ "a:b c": "[secret]", "a:b.c": "[secret]" }, ["a:b c", "a:b.c"])),
      (e: Error) =>
        e instanceof FleetError &&
        e.message ===
          'stacks/Pulumi.dev.yaml: secure keys "a:b c" and "a:b.c" map to the same Secret key "a.b.c"; rename one',
    );
  });

  it("qualifies the stack name with the organisation and the project", () => {
    assert.equal(
      qualifiedStackName(fleetConfig({ organization: "acme" }), "prod"),
      "acme/meshlift/prod",
    );
  });

  it("builds a Stack that refreshes, never destroys, and runs after the stack it reads from", () => {
    const fleet = fleetConfig({ resyncFrequencySeconds: 600 });
    const s = stackObject(fleet, { ...env({ "meshlift:phase": "discovery" }), readsFrom: "prod" });
    const spec = s.spec as Loose;
    assert.equal(s.apiVersion, "pulumi.com/v1");
    assert.equal(s.metadata.name, "meshlift-dev");
    assert.equal(s.metadata.namespace, fleet.namespace);
    assert.equal(s.metadata.labels?.["meshlift.io/environment"], "dev");
    assert.equal(spec.stack, qualifiedStackName(fleet, "dev"));
    assert.equal(spec.projectRepo, "https://github.com/acme/platform.git");
    assert.equal(spec.branch, "main");
    assert.equal(spec.refresh, true);
    assert.equal(spec.destroyOnFinalize, false);
    assert.equal(spec.resyncFrequencySeconds, 600);
    assert.deepEqual(spec.prerequisites, [{ name: "meshlift-prod" }]);
    assert.deepEqual(spec.envRefs, credentialEnvRefs(fleet));
    assert.equal(spec.serviceAccountName, "meshlift-dev");
    assert.equal(spec.workspaceTemplate.spec.securityProfile, "restricted");
    assert.equal(spec.workspaceTemplate.spec.image, fleet.workspace.image);
    assert.equal(spec.secretsRef, undefined);
  });

  it("reads git credentials from the named Secret per auth type, or takes a Flux source", () => {
    const auth = (type: string) =>
      (
        stackObject(
          fleetConfig({
            source: {
              kind: "git",
              repo: "https://github.com/acme/platform.git",
              branch: "main",
              auth: { type, secretName: "git" },
            },
          }),
          env({}),
        ).spec as Loose
      ).gitAuth;
    const ref = (key: string) => ({ type: "Secret", secret: { name: "git", key } });
    assert.deepEqual(auth("token"), { accessToken: ref("accessToken") });
    assert.deepEqual(auth("ssh"), { sshAuth: { sshPrivateKey: ref("sshPrivateKey") } });
    assert.deepEqual(auth("basic"), {
      basicAuth: { userName: ref("username"), password: ref("password") },
    });
    const sourceRef = {
      apiVersion: "source.toolkit.fluxcd.io/v1",
      kind: "GitRepository",
      name: "platform",
    };
    const flux = stackObject(
      fleetConfig({ source: { kind: "flux", sourceRef, dir: "infra" } }),
      env({}),
    ).spec as Loose;
    assert.deepEqual(flux.fluxSource, { sourceRef, dir: "infra" });
    assert.equal(flux.projectRepo, undefined);
  });
});
