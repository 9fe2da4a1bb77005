// Each meshlift command loads only what it needs: `--help`, convert, precheck, discover and runbook rendering never load the Pulumi SDK.
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Command } from "commander";
import { buildCli } from "../../cli/main";
import type { ProbeResult, ProbeStep } from "../support/load-probe";

const ROOT = path.join(__dirname, "../..");
const SMALL = path.join(ROOT, "test/fixtures/appmesh/shop.yaml");

/** Runs the steps in one new process (a module-load hook installed first) and returns what each loaded. */
function probe(steps: readonly ProbeStep[]): ProbeResult[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "meshlift-probe-"));
  try {
    const file = path.join(dir, "result.json");
    const r = spawnSync(
      process.execPath,
      [
        require.resolve("tsx/cli"),
        path.join(__dirname, "../support/load-probe.ts"),
        JSON.stringify(steps),
        file,
      ],
      { cwd: ROOT, encoding: "utf8", timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
    );
    assert.equal(r.status, 0, `probe exited ${String(r.status ?? r.signal)}: ${r.stderr}`);
    return JSON.parse(fs.readFileSync(file, "utf8")) as ProbeResult[];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Every command path (`plan`, `phase status`, ...) the CLI registers, so new commands are covered too. */
function commandPaths(c: Command, prefix: string[] = []): string[][] {
  return c.commands.flatMap((sub) => {
    const p = [...prefix, sub.name()];
    return [p, ...commandPaths(sub, p)];
  });
}

const pulumiModules = (r: ProbeResult) =>
  r.loaded.filter((f) => f.includes("/node_modules/@pulumi/"));
const label = (r: ProbeResult) =>
  "argv" in r.step ? `meshlift ${r.step.argv.join(" ")}` : `require(${r.step.module})`;

describe("meshlift start-up (lazy loading)", () => {
  const paths = commandPaths(buildCli());

  it("registers the commands it is asked about (the list below is not empty by accident)", () => {
    const names = paths.map((p) => p.join(" "));
    for (const c of ["plan", "convert", "precheck", "discover", "runbook", "serve", "phase status"])
      assert.ok(names.includes(c), `${c} missing from ${names.join(", ")}`);
  });

  it("answers --help of meshlift and of every command without loading @pulumi/* or any command's work", () => {
    const results = probe([
      { argv: ["--help"] },
      ...paths.map((p) => ({ argv: [...p, "--help"] })),
    ]);
    for (const r of results) {
      assert.equal(r.code, 0, label(r));
      assert.deepEqual(pulumiModules(r), [], `${label(r)} loaded the Pulumi SDK`);
      const work = r.loaded.filter((f) =>
        f.includes(`${path.sep}cli${path.sep}commands${path.sep}`),
      );
      assert.deepEqual(work, [], `${label(r)} loaded a command's work for --help`);
    }
    // The first step loaded the CLI itself: the hook saw it (the probe measures something).
    assert.ok(results[0]?.loaded.some((f) => f.endsWith(path.join("cli", "main.ts"))));
  });

  it("converts, prechecks and prints discover's ClusterRole without loading @pulumi/*", () => {
    const results = probe([
      { argv: ["convert", "-f", SMALL] },
      { argv: ["precheck", "-f", SMALL] },
      { argv: ["precheck", "-f", SMALL, "--json"] },
      { argv: ["discover", "--print-cluster-role"] },
      { argv: ["convert", "-f", path.join(ROOT, "test/fixtures/appmesh/bad-weight.yaml")] },
    ]);
    for (const r of results)
      assert.deepEqual(pulumiModules(r), [], `${label(r)} loaded the Pulumi SDK`);
    // They did their work: the converter and the discover module were loaded and answered.
    assert.equal(results[0]?.code, 0);
    assert.ok(results[0]?.loaded.some((f) => f.includes(`${path.sep}appmesh${path.sep}`)));
    assert.ok([0, 3].includes(results[1]?.code ?? -1));
    assert.equal(results[3]?.code, 0);
  });

  it("renders runbooks and serves the API without loading @pulumi/* up front", () => {
    const results = probe([
      { module: "plan/runbook.ts" },
      { module: "plan/diff.ts" },
      { module: "automation/service/server.ts" },
      // The service: the Automation API comes only with the first preview/up (automation/runners/local.ts).
      { module: "cli/commands/serve.ts" },
    ]);
    for (const r of results)
      assert.deepEqual(pulumiModules(r), [], `${label(r)} loaded the Pulumi SDK`);
  });

  it("loads the Pulumi SDK for plan, where it is needed (the hook sees it)", () => {
    const [r] = probe([{ argv: ["plan", "--stack", "dev"] }]);
    assert.equal(r?.code, 0);
    assert.ok(r && pulumiModules(r).length > 0, "plan --stack dev loaded no @pulumi module");
  });
});
