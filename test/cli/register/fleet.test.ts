// `meshlift fleet render` as registered: the mandatory flags, the choices of --source, --git-auth and --identity; bad values exit 2 before anything is written.
import * as assert from "node:assert/strict";
import { registerFleet } from "../../../cli/register/fleet";
import { assertRefused, optionLines, registeredCommand } from "../../support/cli";

describe("registerFleet", () => {
  it("registers fleet render with --stacks, --source and --out mandatory and IRSA by default", () => {
    const lines = optionLines(registeredCommand(registerFleet, "fleet", "render"));
    assert.deepEqual(
      lines.filter((l) => / mandatory| choices| default/.test(l)),
      [
        "--stacks <list> mandatory",
        "--source <kind> mandatory choices git|flux",
        "--out <dir> mandatory",
        "--git-auth <type> choices token|ssh|basic",
        '--identity <mode> choices irsa|pod-identity default "irsa"',
      ],
    );
    // Every other flag takes its value as given: the command checks them all at once.
    assert.equal(lines.length, 28);
    for (const flag of [
      "--repo <url>",
      "--role-policy-arn <arn...>",
      "--operator",
      "--project-dir <dir>",
    ])
      assert.ok(lines.includes(flag), flag);
  });

  it("refuses an unknown --source, --git-auth or --identity, and a missing --out, with exit 2", async () => {
    const base = ["fleet", "render", "--stacks", "dev", "--out", "/nonexistent/out"];
    await assertRefused(
      [...base, "--source", "svn"],
      /--source <kind>' argument 'svn' is invalid\. Allowed choices are git, flux/,
    );
    await assertRefused(
      [...base, "--source", "git", "--git-auth", "password"],
      /--git-auth <type>' argument 'password' is invalid\. Allowed choices are token, ssh, basic/,
    );
    await assertRefused(
      [...base, "--source", "git", "--identity", "keys"],
      /--identity <mode>' argument 'keys' is invalid\. Allowed choices are irsa, pod-identity/,
    );
    await assertRefused(
      ["fleet", "render", "--stacks", "dev", "--source", "git"],
      /required option '--out <dir>' not specified/,
    );
  });
});
