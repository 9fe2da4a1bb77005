// `meshlift phase`: status, the plan diff, confirmation rules, `up` with live progress, the missing-CLI message.
import { strict as assert } from "node:assert";
import { main } from "../../cli/main";
import { changePhase, PhaseDeps, phaseStatus, renderStatus } from "../../cli/commands/phase";
import { GateRunner, outputs, tempDir } from "../automation/support";
import { Phase } from "../../phases/phases";
import { RunRequest } from "../../automation/runners/runner";

/** Runs the CLI in-process, capturing what it writes. */
async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const o = process.stdout.write.bind(process.stdout);
  const e = process.stderr.write.bind(process.stderr);
  process.stdout.write = (s: string) => ((out += s), true);
  process.stderr.write = (s: string) => ((err += s), true);
  try {
    return { code: await main(args), out, err };
  } finally {
    process.stdout.write = o;
    process.stderr.write = e;
  }
}

/** A runner double that runs `up` at once, emitting engine events like the Automation API does. */
class InstantUp extends GateRunner {
  override async run(req: RunRequest) {
    this.requests.push(req);
    for (const name of ["vpc", "cluster"]) {
      const metadata = { op: "create", urn: `urn:pulumi:dev::meshlift::t::${name}`, type: "t" };
      req.onEvent({ resourcePreEvent: { metadata } });
      req.onEvent({ resOutputsEvent: { metadata } });
    }
    req.onEvent({ summaryEvent: { resourceChanges: { create: 2, same: 11 } } });
    return { summary: {}, outputs: outputs({ phase: [req.phase, false] }) };
  }
}

function deps(o: { interactive: boolean; answer?: string; deployed?: Phase; runner?: GateRunner }) {
  const lines: string[] = [];
  const runner = o.runner ?? new InstantUp();
  const d: PhaseDeps = {
    runner,
    deployedPhase: async () => o.deployed,
    out: (t) => lines.push(t),
    interactive: o.interactive,
    ask: async () => o.answer ?? "",
  };
  return { d, lines, runner };
}

describe("meshlift phase", () => {
  it("status shows the configured phase, the next step and the rollback targets", async () => {
    const s = await phaseStatus("dev", deps({ interactive: false, deployed: "workloads" }).d);
    assert.equal(s.configured, "discovery");
    assert.equal(s.current, "workloads");
    assert.equal(s.next, "cutover");
    assert.deepEqual(s.rollbackTo, ["discovery", "parallel"]);
    assert.match(
      renderStatus({ ...s, deployed: undefined }, false),
      /deployed phase: +unknown: the Pulumi CLI/,
    );
  });

  it("advance shows the diff, then runs up at the next phase with live progress", async () => {
    const { d, lines, runner } = deps({ interactive: false });
    const reached = await changePhase({ stack: "dev", direction: "advance", yes: true }, d);
    assert.equal(reached, "parallel");
    const text = lines.join("");
    assert.match(
      text,
      /Stack dev: phase discovery -> parallel \(offline plan diff\): \d+ to create, \d+ to remove, \d+ with changed inputs, \d+ kept/,
    );
    const total = /(\d+) kept/.exec(text)?.[1];
    assert.match(
      text,
      new RegExp(
        `\\[1/${String(Number(total) + Number(/(\d+) to create/.exec(text)?.[1]))}\\] create t cluster`,
      ),
    );
    assert.match(text, /done: 2 create, 11 same/);
    assert.match(text, /now at phase parallel/);
    assert.equal(runner.requests[0].kind, "up");
    assert.equal(runner.requests[0].phase, "parallel");
    assert.equal(runner.requests[0].currentPhase, "discovery");
  });

  it("rewrites one progress line in place on a terminal", async () => {
    const { d, lines } = deps({ interactive: false });
    await changePhase({ stack: "dev", direction: "advance", yes: true }, { ...d, live: true });
    // The terminal's "clear line" sequence, spelled out so the assertions stay readable.
    const text = lines.join("").replaceAll("\r\u001b[K", "<CLR>");
    assert.match(text, /<CLR>\[1\/\d+\] create t cluster<CLR>\[2\/\d+\] create t cluster<CLR>/);
    assert.match(text, /<CLR>\[2\/\d+\] create t cluster\n/);
  });

  it("refuses without --yes when nobody can answer, and changes nothing", async () => {
    const { d, runner } = deps({ interactive: false, deployed: "parallel" });
    await assert.rejects(
      changePhase({ stack: "dev", direction: "rollback", yes: false }, d),
      /refusing to rollback stack "dev" \(parallel -> discovery\) without confirmation: stdin is not a terminal; re-run with --yes/,
    );
    assert.equal(runner.requests.length, 0);
  });

  it("asks when interactive, and stops on anything but yes", async () => {
    const no = deps({ interactive: true, answer: "n", deployed: "parallel" });
    await assert.rejects(
      changePhase({ stack: "dev", direction: "rollback", yes: false }, no.d),
      /not confirmed/,
    );
    assert.equal(no.runner.requests.length, 0);
    const yes = deps({ interactive: true, answer: "y", deployed: "cutover" });
    assert.equal(
      await changePhase({ stack: "dev", direction: "rollback", to: "parallel", yes: false }, yes.d),
      "parallel",
    );
  });

  it("refuses a rollback target that is not earlier, and an advance past the last phase", async () => {
    const { d } = deps({ interactive: false, deployed: "parallel" });
    await assert.rejects(
      changePhase({ stack: "dev", direction: "rollback", to: "cutover", yes: true }, d),
      /earlier phase \(discovery\)/,
    );
    const last = deps({ interactive: false, deployed: "decommission" });
    await assert.rejects(
      changePhase({ stack: "dev", direction: "advance", yes: true }, last.d),
      /the last phase/,
    );
  });

  it("fails with what is missing and how to install it when there is no Pulumi CLI", async () => {
    const path = process.env.PATH;
    process.env.PATH = tempDir("empty-path-");
    try {
      const r = await cli(["phase", "advance", "--stack", "dev", "--yes"]);
      assert.equal(r.code, 4, "4: a prerequisite is missing (3 is for precheck blockers)");
      assert.match(r.out, /phase discovery -> parallel/);
      assert.match(r.err, /needs the Pulumi CLI.*no `pulumi` on PATH.*get\.pulumi\.com/);
      const s = await cli(["phase", "status", "--stack", "dev"]);
      assert.equal(s.code, 0);
      assert.match(s.out, /next step: +meshlift phase advance --stack dev/);
    } finally {
      process.env.PATH = path;
    }
  });
});
