// The one place that turns an error into an exit code and one line: user errors exit 2 as written, a bug exits 1 with its trace.
import * as assert from "node:assert/strict";
import { ConfigError } from "../../config/errors";
import { FileError } from "../../config/files";
import { StackFileError, StackNotFoundError } from "../../config/stack-file";
import { DeployGuardError } from "../../phases/guards";
import { FleetError } from "../../fleet/stack";
import { PlanFileError } from "../../policy/plan-file";
import { CutoverBusyError } from "../../cutover/journal";
import { CliError, EXIT, exitCodeFor } from "../../cli/errors";

describe("exitCodeFor", () => {
  it("keeps a CliError's own exit code and message", () => {
    assert.deepEqual(exitCodeFor(new CliError("precheck found 2 blockers", EXIT.blocked)), {
      code: 3,
      message: "precheck found 2 blockers",
    });
  });

  it("maps the known user errors to exit 2 with their message as written", () => {
    const known: Error[] = [
      new ConfigError("dev", [{ key: "meshlift:phse", given: "x", message: "unknown key" }]),
      new StackNotFoundError("nope", ["dev", "prod"]),
      new StackFileError("stacks/Pulumi.dev.yaml", "not YAML", 3, 1),
      new FileError("a.yaml", "permission denied (EACCES)", "EACCES"),
      new DeployGuardError("cluster.adopt changed"),
      new FleetError("--repo: not a git URL"),
      new PlanFileError("plan.json: not JSON"),
      new CutoverBusyError("a cutover of dev is running"),
    ];
    for (const e of known)
      assert.deepEqual(exitCodeFor(e), { code: 2, message: e.message }, e.name);
  });

  it("takes a filesystem error on a named path for the user's input: exit 2, path and reason", () => {
    const e = Object.assign(new Error("EACCES: permission denied, open '/etc/x'"), {
      code: "EACCES",
      path: "/etc/x",
    });
    assert.deepEqual(exitCodeFor(e), { code: 2, message: "/etc/x: permission denied (EACCES)" });
  });

  it("reports anything else as an internal error with its stack, exit 1", () => {
    const bug = new TypeError("cannot read properties of undefined");
    const r = exitCodeFor(bug);
    assert.equal(r.code, EXIT.internal);
    assert.ok(r.message.startsWith("internal error (please report it): TypeError: cannot read"));
    assert.match(r.message, /\n\s+at /, "the trace, for the bug report");
    // A thrown non-Error, and an errno error without a path, are bugs too.
    assert.deepEqual(exitCodeFor("boom"), {
      code: 1,
      message: "internal error (please report it): boom",
    });
    assert.equal(exitCodeFor(Object.assign(new Error("x"), { code: "EPIPE" })).code, 1);
  });
});
