// Bounded fuzzing of the CLI: generated argv and --set values through main(); never exit 1, never a trace, nothing polluted.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import { meshliftMain } from "./support";

const EXPORT = path.resolve(__dirname, "../../stacks/appmesh-exports/dev/shop.yaml");

/** Case budget: each property stops at its count or its time, whichever comes first. */
const RUNS = 250;
const TIME_LIMIT_MS = 40_000;

describe("CLI fuzz (bounded)", function () {
  this.timeout(120_000);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "meshlift-cli-fuzz-"));
  const loopDir = path.join(tmp, "loop");
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  before(() => {
    fs.mkdirSync(loopDir);
    fs.symlinkSync(path.join(loopDir, "b.yaml"), path.join(loopDir, "a.yaml"));
    fs.symlinkSync(path.join(loopDir, "a.yaml"), path.join(loopDir, "b.yaml"));
    fs.writeFileSync(path.join(tmp, "bad.yaml"), "a:\n\tb: 1\n");
    fs.writeFileSync(path.join(tmp, "deep.yaml"), `a: ${"[".repeat(5000)}${"]".repeat(5000)}\n`);
  });

  // Every path the fuzz may name is absolute and under tmp (or a device): nothing lands in the project.
  const inputPath = fc.constantFrom(
    EXPORT,
    "/dev/null",
    path.join(tmp, "missing.yaml"),
    loopDir,
    tmp,
    path.join(tmp, "bad.yaml"),
    path.join(tmp, "deep.yaml"),
  );
  const outputPath = fc.constantFrom(
    path.join(tmp, "out"),
    path.join(tmp, "no", "such", "dir", "x.json"),
    "/dev/full",
    "/proc/x",
    path.join(tmp, "bad.yaml", "under-a-file"),
    "-",
  );

  const setKey = fc.oneof(
    fc.constantFrom(
      "phase",
      "cutover.istioWeight",
      "cluster.nodeGroups",
      "cluster.nodeGroups.core.maxSize",
      "cluster.vpc.cidr",
      "cluster.mode.x",
      "migration.namespaces.0.restartToken",
      "migration.namespaces.9.state",
      "multiCluster.rootCa.kyePem",
      "istio.mode",
      "aws:region",
      "config:phase",
      "__proto__.polluted",
      "constructor.prototype.polluted",
      "cluster.__proto__.x",
      "a..b",
      ".",
      "",
    ),
    fc.stringMatching(/^[A-Za-z_:.0-9-]{1,24}$/),
  );
  const setValue = fc.oneof(
    fc.constantFrom(
      "parallel",
      "10",
      "-1",
      "1e400",
      "true",
      "null",
      '{"core":{"maxSize":8}}',
      '{"__proto__":{"polluted":1}}',
      '{"mode":"create","constructor":{"prototype":{"polluted":1}}}',
      "999.999.0.0/16",
      "10.20.5.7/16",
      "eu-west-9",
      "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----",
      `${"[".repeat(3000)}${"]".repeat(3000)}`,
      "x".repeat(10_000),
    ),
    fc.string({ maxLength: 30 }),
    fc.json({ maxDepth: 3 }),
  );
  const setArg = fc.tuple(setKey, setValue).map(([k, v]) => `${k}=${v}`);

  const argv = fc.oneof(
    fc
      .tuple(
        fc.constantFrom("plan", "runbook"),
        fc.constantFrom("dev", "prod", "nope", "../dev", ""),
        fc.array(setArg, { maxLength: 3 }),
        fc.option(fc.constantFrom("discovery", "parallel", "later"), { nil: undefined }),
        fc.option(outputPath, { nil: undefined }),
      )
      .map(([cmd, stack, sets, phase, out]) => [
        cmd,
        "--stack",
        stack,
        ...sets.flatMap((s) => ["--set", s]),
        ...(phase && cmd === "plan" ? ["--phase", phase] : []),
        ...(out && cmd === "plan" && out !== "-" ? ["--json", out] : []),
      ]),
    fc
      .tuple(
        fc.constantFrom("convert", "precheck"),
        fc.array(inputPath, { minLength: 0, maxLength: 2 }),
        fc.option(outputPath, { nil: undefined }),
        fc.option(outputPath, { nil: undefined }),
        fc.option(fc.stringMatching(/^[a-zA-Z0-9_ -]{0,12}$/), { nil: undefined }),
      )
      .map(([cmd, inputs, out, report, ns]) => [
        cmd,
        ...inputs.flatMap((f) => ["-f", f]),
        ...(out && cmd === "convert" ? ["-o", out] : []),
        ...(report && cmd === "convert" && report !== "-" ? ["--report", report] : []),
        ...(ns !== undefined ? ["-n", ns] : []),
      ]),
    fc
      .tuple(
        fc.constantFrom("phase"),
        fc.constantFrom("status", "sideways", ""),
        fc.constantFrom("dev", "nope"),
      )
      .map(([a, b, stack]) => [a, b, "--stack", stack]),
    fc.array(fc.string({ maxLength: 12 }), { maxLength: 4 }),
  );

  it("never exits 1 or prints a trace for generated argv and --set values", async () => {
    const protoKeys = Object.getOwnPropertyNames(Object.prototype).sort();
    const started = Date.now();
    let runs = 0;
    const codes = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(argv, async (args) => {
        runs += 1;
        // In-process, so no `-f -`: it would read the test runner's own stdin.
        const r = await meshliftMain(args);
        codes.set(r.code ?? -1, (codes.get(r.code ?? -1) ?? 0) + 1);
        const shown = `meshlift ${JSON.stringify(args).slice(0, 300)} -> ${r.code}\n${r.stderr.slice(0, 600)}`;
        assert.notEqual(r.code, 1, shown);
        assert.ok(r.code !== null && [0, 2, 3, 4].includes(r.code), shown);
        assert.doesNotMatch(r.stderr + r.stdout, /\n\s+at [^\n]+:\d+:\d+/, `a trace: ${shown}`);
        assert.doesNotMatch(r.stderr, /internal error/, shown);
        assert.doesNotMatch(r.stderr, /MIIE/, `a key was printed: ${shown}`);
        assert.deepEqual(
          Object.getOwnPropertyNames(Object.prototype).sort(),
          protoKeys,
          `polluted: ${shown}`,
        );
      }),
      { numRuns: RUNS, interruptAfterTimeLimit: TIME_LIMIT_MS, markInterruptAsFailure: false },
    );
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `      CLI fuzz: ${runs} runs in ${seconds.toFixed(1)} s; exit codes ${[...codes]
        .sort()
        .map(([k, v]) => `${k}x${v}`)
        .join(" ")}`,
    );
    assert.ok(runs >= 20, `only ${runs} runs in the time limit`);
  });
});
