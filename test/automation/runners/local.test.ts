// The Automation API runner up to where the Pulumi CLI is needed, and against a stand-in CLI: backend, overrides, version.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import YAML from "yaml";
import { describeBackend, PulumiCliMissingError } from "../../../automation/prerequisites";
import {
  AutomationRunner,
  prepareBackend,
  PulumiCliTooOldError,
} from "../../../automation/runners/local";
import { makeProject, tempDir } from "../support";

describe("AutomationRunner", () => {
  const runner = new AutomationRunner({
    env: { PATH: tempDir() },
    backendUrl: "file:///nowhere",
  });

  it("says what is missing before touching Pulumi when the CLI is not installed", async () => {
    assert.ok(runner.unavailable("up") instanceof PulumiCliMissingError);
    assert.ok(runner.unavailable("plan"), "plan belongs to the offline runner");
    for (const kind of ["preview", "up", "refresh", "destroy"] as const) {
      await assert.rejects(
        runner.run({
          stack: "dev",
          kind,
          signal: new AbortController().signal,
          onEvent: () => undefined,
        }),
        (e: unknown) =>
          e instanceof PulumiCliMissingError && e.message.includes(`operation "${kind}"`),
      );
    }
    await assert.rejects(runner.outputs("dev"), PulumiCliMissingError);
  });

  it("finds the CLI when one is on PATH", () => {
    const bin = tempDir();
    fs.writeFileSync(path.join(bin, "pulumi"), "#!/bin/sh\n", { mode: 0o755 });
    assert.equal(new AutomationRunner({ env: { PATH: bin } }).unavailable("up"), undefined);
  });

  it("uses the backend the user is logged into unless one is configured, and creates a file backend", () => {
    const home = tempDir();
    fs.mkdirSync(path.join(home, ".pulumi"));
    fs.writeFileSync(
      path.join(home, ".pulumi", "credentials.json"),
      JSON.stringify({
        current: "https://api.pulumi.com",
        accessTokens: { "https://api.pulumi.com": "pul-secret" },
      }),
    );
    assert.deepEqual(describeBackend({}, home), {
      url: "https://api.pulumi.com",
      source: "pulumi login",
    });
    assert.deepEqual(describeBackend({ PULUMI_BACKEND_URL: "s3://b" }, home), {
      url: "s3://b",
      source: "PULUMI_BACKEND_URL",
    });
    assert.deepEqual(describeBackend({ PULUMI_BACKEND_URL: "s3://b" }, home, "file:///x"), {
      url: "file:///x",
      source: "configured",
    });
    assert.deepEqual(describeBackend({}, tempDir()), { source: "none" });
    assert.ok(!JSON.stringify(describeBackend({}, home)).includes("pul-secret"));
    assert.equal(
      prepareBackend("file://~/.meshlift/state", home),
      `file://${home}/.meshlift/state`,
    );
    assert.ok(fs.statSync(path.join(home, ".meshlift", "state")).isDirectory());
    assert.equal(prepareBackend("s3://bucket", home), "s3://bucket");
  });
});

describe("AutomationRunner against a Pulumi CLI", () => {
  /**
   * A stand-in `pulumi` that answers `version` and succeeds at everything else, logging each
   * call (its argv, the backend it was given, and the --config-file it was handed) as JSON lines.
   */
  function fakeCli(version: string): { bin: string; calls: () => Record<string, unknown>[] } {
    const root = tempDir("pulumi-");
    const log = path.join(root, "calls.jsonl");
    fs.mkdirSync(path.join(root, "bin"));
    fs.writeFileSync(
      path.join(root, "bin", "pulumi"),
      `#!${process.execPath}
const fs = require("fs");
const args = process.argv.slice(2);
const entry = { args, backend: process.env.PULUMI_BACKEND_URL ?? null };
const i = args.indexOf("--config-file");
if (i >= 0) entry.configFile = fs.readFileSync(args[i + 1], "utf8");
fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify(entry) + "\\n");
if (args[0] === "version") process.stdout.write(${JSON.stringify(version)} + "\\n");
`,
      { mode: 0o755 },
    );
    return {
      bin: path.join(root, "bin"),
      calls: () =>
        fs
          .readFileSync(log, "utf8")
          .trim()
          .split("\n")
          .map((l) => JSON.parse(l) as Record<string, unknown>),
    };
  }

  const preview = (runner: AutomationRunner) =>
    runner.run({
      stack: "dev",
      kind: "preview",
      phase: "parallel",
      config: { "cutover.istioWeight": "25", "aws:secretKey": "not-for-a-plain-file" },
      signal: new AbortController().signal,
      onEvent: () => undefined,
    });

  it("previews with its overrides in a copy of the stack file, which stays as it was", async () => {
    const cli = fakeCli("v3.230.0");
    const dir = makeProject(["dev"]);
    const stackFile = path.join(dir, "stacks", "Pulumi.dev.yaml");
    const before = fs.readFileSync(stackFile, "utf8");
    const home = tempDir();
    await preview(new AutomationRunner({ projectDir: dir, env: { PATH: cli.bin, HOME: home } }));
    assert.equal(fs.readFileSync(stackFile, "utf8"), before, "stack file untouched");
    const calls = cli.calls();
    const args = (c: Record<string, unknown>) => c.args as string[];
    const pv = calls.find((c) => args(c)[0] === "preview");
    assert.ok(pv, JSON.stringify(calls.map(args)));
    const file = args(pv)[args(pv).indexOf("--config-file") + 1];
    assert.notEqual(path.resolve(file), stackFile);
    const copy = YAML.parse(String(pv.configFile)) as { config: Record<string, unknown> };
    assert.equal(copy.config["meshlift:environment"], "dev", "a copy of the stack file");
    // Every override is set by the CLI in that copy (secrets encrypted by it), none in the stack file.
    const sets = calls.filter((c) => args(c)[0] === "config");
    assert.deepEqual(
      sets.map((c) => {
        const a = args(c);
        return [a[a.indexOf("--config-file") + 1], a.at(-2), a.at(-1), a.includes("--secret")];
      }),
      [
        [file, "meshlift:cutover.istioWeight", "25", false],
        [file, "aws:secretKey", "not-for-a-plain-file", true],
        [file, "meshlift:phase", "parallel", false],
      ],
    );
    assert.ok(!fs.existsSync(file), "the copy is removed afterwards");
    // No backend forced: the CLI uses the user's own `pulumi login`.
    const inherited = process.env.PULUMI_BACKEND_URL ?? null;
    assert.ok(
      calls.every((c) => c.backend === inherited),
      JSON.stringify(calls),
    );
  });

  it("forces a backend only when one is configured", async () => {
    const cli = fakeCli("v3.230.0");
    const dir = makeProject(["dev"]);
    const state = tempDir("state-");
    await preview(
      new AutomationRunner({
        projectDir: dir,
        backendUrl: `file://${state}`,
        env: { PATH: cli.bin, HOME: tempDir() },
      }),
    );
    assert.ok(cli.calls().some((c) => c.backend === `file://${state}`));
  });

  it("refuses a Pulumi CLI older than the program needs, before running anything", async () => {
    const cli = fakeCli("v3.200.0");
    await assert.rejects(
      preview(new AutomationRunner({ projectDir: makeProject(["dev"]), env: { PATH: cli.bin } })),
      (e: unknown) =>
        e instanceof PulumiCliTooOldError &&
        /is v?3\.200\.0; meshlift needs 3\.208\.0 or newer/.test(e.message),
    );
    assert.deepEqual(
      cli.calls().map((c) => c.args),
      [["version"]],
    );
  });
});
