// The stack files as the service reads them: listed, parsed once per change, their phase, and a request's config and phase judged with 404/422.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigError } from "../../../config/errors";
import { ServiceError } from "../../../automation/service/errors";
import { StackFiles } from "../../../automation/service/stack-files";
import { Store } from "../../../automation/service/store";
import { makeProject, tempDir } from "../support";

/** Asserts `fn` throws a ServiceError with `status` whose message matches `re`; returns its details. */
function refused(fn: () => unknown, status: number, re: RegExp): Record<string, unknown> {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ServiceError, String(e));
    assert.equal(e.status, status, e.message);
    assert.match(e.message, re);
    return e.details;
  }
  assert.fail("not refused");
}

describe("StackFiles", () => {
  const projectDir = makeProject(["dev", "prod"]);
  const store = new Store(path.join(tempDir(), "m.db"));
  const files = new StackFiles(projectDir, store);
  after(() => store.close());
  const stackFile = (s: string) => path.join(projectDir, "stacks", `Pulumi.${s}.yaml`);

  it("lists the stacks with a file, and answers 404 naming the known ones for another", () => {
    assert.deepEqual(files.stacks(), ["dev", "prod"]);
    files.requireStack("dev");
    const details = refused(
      () => files.requireStack("nope"),
      404,
      /unknown stack "nope".*dev, prod/,
    );
    assert.deepEqual(details, { stack: "nope" });
  });

  it("parses a stack file once while it stays the same, and again when it changes", () => {
    const a = files.config("prod");
    assert.ok(!(a instanceof ConfigError));
    assert.equal(a.phase, "discovery");
    assert.equal(files.config("prod"), a, "the same parse while the file is unchanged");
    fs.appendFileSync(stackFile("prod"), "\n");
    const b = files.config("prod");
    assert.notEqual(b, a);
    assert.deepEqual(b, a);
  });

  it("turns a file that is not YAML into that stack's config error, keyed by file and line", () => {
    const projectDir2 = makeProject(["bad"]);
    fs.writeFileSync(path.join(projectDir2, "stacks", "Pulumi.bad.yaml"), "config:\n  a: [\n");
    const bad = new StackFiles(projectDir2, store);
    const e = bad.config("bad");
    assert.ok(e instanceof ConfigError);
    assert.match(e.problems[0]?.key ?? "", /Pulumi\.bad\.yaml:\d+/);
    const phase = bad.phaseOf("bad");
    assert.equal(phase.configured, null);
    assert.match(phase.configError ?? "", /Pulumi\.bad\.yaml/);
  });

  it("takes the deployed phase recorded in the store over the configured one", () => {
    assert.deepEqual(files.phaseOf("dev"), {
      configured: "discovery",
      deployed: null,
      current: "discovery",
      allowPhaseSkip: false,
    });
    store.setStackState("dev", "parallel", {}, "op-1");
    const p = files.phaseOf("dev");
    assert.equal(p.deployed, "parallel");
    assert.equal(p.current, "parallel");
  });

  it("judges a request: bad config is 422 with config fields, a refused phase names the next step", () => {
    const bad = refused(
      () => files.checkConfigAndPhase("prod", "plan", { "meshlift:phse": "x" }, undefined),
      422,
      /meshlift:phse/,
    );
    assert.equal((bad.fields as { path: string }[])[0]?.path, "config.meshlift:phse");
    const skip = refused(
      () => files.checkConfigAndPhase("prod", "up", {}, "cutover"),
      422,
      /cannot move from phase "discovery" to "cutover"/,
    );
    assert.equal(skip.next, "parallel");
    const ok = files.checkConfigAndPhase(
      "prod",
      "up",
      { "meshlift:cutover.istioWeight": "0" },
      "parallel",
    );
    assert.deepEqual(ok.move, { from: "discovery", to: "parallel" });
    assert.equal(ok.loaded.flat["meshlift:phase"], "parallel");
    // refresh and destroy do not move the stack: no transition is judged.
    assert.equal(files.checkConfigAndPhase("prod", "refresh", {}, undefined).move, undefined);
  });

  it("refuses a progressive cutover of a stack without one configured (422)", () => {
    const ok = files.checkConfigAndPhase("prod", "cutover", {}, undefined);
    refused(() => files.checkCutover("prod", ok.loaded.config, true), 422, /cutover/);
  });
});
