// Reading the fleet's stack files: one environment per file, and every problem of every file as problems of fleet.stacks.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { DEFAULT_PROJECT_DIR } from "../../automation/runners/runner";
import { ConfigError } from "../../config/errors";
import { parseConfig } from "../../config/load";
import { StackNotFoundError } from "../../config/stack-file";
import { loadFleetEnvironment, readFleetEnvironments } from "../../fleet/environments";
import { FleetError } from "../../fleet/stack";
import { fleetProject } from "../support/fleet";

describe("fleet environments", () => {
  let dir: string;
  before(() => {
    dir = fleetProject({
      "stacks/Pulumi.garbage.yaml": "config: [unclosed\n",
      "stacks/Pulumi.badcfg.yaml": "config:\n  aws:region: eu-west-1\n  meshlift:phase: sideways\n",
      "stacks/Pulumi.leaky.yaml": fs
        .readFileSync(path.join(DEFAULT_PROJECT_DIR, "stacks/Pulumi.dev.yaml"), "utf8")
        .replace(
          "config:\n",
          "config:\n  aws:secretKey: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n",
        ),
    });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("reads a stack file with its parsed environment, cluster and the CA stack it runs after", () => {
    const all = new Set(["dev", "prod", "prod-use1", "prod-usw2"]);
    const dev = loadFleetEnvironment(dir, "dev", all, parseConfig);
    assert.equal(dev.stack, "dev");
    assert.equal(dev.environment, parseConfig("dev", dev.config).environment);
    assert.equal(dev.cluster.mode, parseConfig("dev", dev.config).cluster.mode);
    const peers = ["prod-use1", "prod-usw2"].map((s) =>
      loadFleetEnvironment(dir, s, all, parseConfig),
    );
    assert.ok(peers.some((p) => p.readsFrom !== undefined && all.has(p.readsFrom)));
    // A CA stack outside the fleet is no prerequisite.
    for (const s of ["prod-use1", "prod-usw2"])
      assert.equal(loadFleetEnvironment(dir, s, new Set([s]), parseConfig).readsFrom, undefined);
  });

  it("throws StackNotFoundError, FleetError (unreadable, plain credential) and ConfigError as they are", () => {
    const none = new Set<string>();
    assert.throws(() => loadFleetEnvironment(dir, "nope", none, parseConfig), StackNotFoundError);
    assert.throws(
      () => loadFleetEnvironment(dir, "garbage", none, parseConfig),
      (e: Error) =>
        e instanceof FleetError &&
        /^stacks\/Pulumi\.garbage\.yaml: cannot read it: /.test(e.message) &&
        !e.message.includes("\n"),
    );
    assert.throws(() => loadFleetEnvironment(dir, "badcfg", none, parseConfig), ConfigError);
    assert.throws(
      () => loadFleetEnvironment(dir, "leaky", none, parseConfig),
      (e: Error) =>
        e instanceof FleetError &&
        e.message.includes("aws:secretKey") &&
        !e.message.includes("wJalr"),
    );
  });

  it("gathers every environment's problems under its fleet.stacks key, keeping the good ones", () => {
    const { environments, problems } = readFleetEnvironments(
      dir,
      ["dev", "nope", "garbage", "badcfg"],
      (p) => `meshlift:${p.join(".")}`,
      parseConfig,
    );
    assert.deepEqual(
      environments.map((e) => e.stack),
      ["dev"],
    );
    assert.deepEqual(
      [...new Set(problems.map((p) => p.key))],
      ["meshlift:fleet.stacks.1", "meshlift:fleet.stacks.2", "meshlift:fleet.stacks.3"],
    );
    const bad = problems.filter((p) => p.key === "meshlift:fleet.stacks.3");
    assert.ok(
      bad.every((p) => p.given === "badcfg" && p.message.startsWith("stacks/Pulumi.badcfg.yaml: ")),
    );
    assert.ok(bad.some((p) => p.message.includes('meshlift:phase (given: "sideways")')));
  });
});
