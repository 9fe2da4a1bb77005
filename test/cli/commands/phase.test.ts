// `meshlift phase`: status, the plan diff, confirmation rules, `up` with live progress, the missing-CLI message.
import { strict as assert } from "node:assert";
import {
  changePhase,
  PhaseDeps,
  phaseStatus,
  renderPhaseStatus,
} from "../../../cli/commands/phase";
import { GateRunner, outputs, tempDir } from "../../automation/support";
import { Phase } from "../../../phases/phases";
import { RunRequest } from "../../../automation/runners/runner";
import { plan } from "../../support/plan";
import { cli as runCli } from "../../support/cli";
import { countReads } from "../../support/reads";
import * as path from "node:path";
import { PROJECT_DIR } from "../../../plan/offline";

/** Runs the CLI in-process, capturing what it writes. */
function cli(args: string[]) {
  return runCli(...args);
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
      renderPhaseStatus({ ...s, deployed: undefined }, false),
      /deployed phase: +unknown: the Pulumi CLI/,
    );
  });

  it("advance shows the diff, then runs up at the next phase with live progress", async () => {
    const { d, lines, runner } = deps({ interactive: false });
    const reached = await changePhase({ stack: "dev", direction: "advance", yes: true }, d);
    assert.equal(reached, "parallel");
    const text = lines.join("");
    // The diff that knows replacements, the same one `plan --diff-phase` prints.
    assert.match(text, /Moving from phase discovery to parallel/);
    assert.match(text, /\+ {2}create +kubernetes:helm\.sh\/v3:Release {2}istio-istiod/);
    assert.match(
      text,
      /Resources: [1-9]\d* to create, \d+ to update, 0 to replace, 0 to delete, [1-9]\d* unchanged/,
    );
    const target = await plan({ stack: "dev", phase: "parallel", deployedPhase: "discovery" });
    assert.match(text, new RegExp(`\\[1/${target.resources.length}\\] create t cluster`));
    assert.match(text, /done: 2 create, 11 same/);
    assert.match(text, /now at phase parallel/);
    assert.equal(runner.requests[0].kind, "up");
    assert.equal(runner.requests[0].phase, "parallel");
    assert.equal(runner.requests[0].currentPhase, "discovery");
  });

  it("reads and parses the stack file and each export once for an advance", async () => {
    const stackFile = path.join(PROJECT_DIR, "stacks/Pulumi.dev.yaml");
    const shop = path.join(PROJECT_DIR, "stacks/appmesh-exports/dev/shop.yaml");
    const { d } = deps({ interactive: false });
    const reads = await countReads([stackFile, shop], () =>
      changePhase({ stack: "dev", direction: "advance", yes: true }, d),
    );
    assert.deepEqual(reads, { [stackFile]: 1, [shop]: 1 });
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
      await changePhase(
        { stack: "dev", direction: "rollback", to: "workloads", yes: false },
        yes.d,
      ),
      "workloads",
    );
    assert.ok(
      yes.lines.some((l) => /cutover -> workloads: no pod goes back to App Mesh/.test(l)),
      yes.lines.join(""),
    );
  });

  it("refuses a rollback that would restart pods into App Mesh sidecars, saying how to stay on Istio", async () => {
    const { d, runner } = deps({ interactive: false, deployed: "workloads" });
    await assert.rejects(
      changePhase({ stack: "dev", direction: "rollback", to: "parallel", yes: true }, d),
      (e: unknown) =>
        e instanceof Error &&
        /restart the Deployments of namespace\(s\) shop, payments back into App Mesh sidecars.*end of life.*stay on Istio.*istioWeight 0.*sidecars stay.*appmesh\.controlPlane reachable/s.test(
          e.message,
        ),
    );
    assert.equal(runner.requests.length, 0, "nothing ran");
    const r = await cli(["phase", "rollback", "--stack", "dev", "--to", "discovery", "--yes"]);
    assert.equal(r.code, 2);
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
      assert.match(r.out, /Moving from phase discovery to parallel/);
      assert.match(r.err, /needs the Pulumi CLI.*no `pulumi` on PATH.*get\.pulumi\.com/);
      const s = await cli(["phase", "status", "--stack", "dev"]);
      assert.equal(s.code, 0);
      assert.match(s.out, /next step: +meshlift phase advance --stack dev/);
    } finally {
      process.env.PATH = path;
    }
  });
});
