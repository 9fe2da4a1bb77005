// Prerequisite detection: PATH lookups, AWS credential sources, and the missing-CLI message.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  awsCredentials,
  checkPrerequisites,
  findOnPath,
  PulumiCliMissingError,
  requirePulumiCli,
  secretsPassphrase,
} from "../../automation/prerequisites";
import { tempDir } from "./support";

function dirWith(...executables: string[]): string {
  const dir = tempDir("bin-");
  for (const e of executables) {
    fs.writeFileSync(path.join(dir, e), "#!/bin/sh\nexit 0\n", { mode: 0o755 });
  }
  return dir;
}

describe("prerequisites", () => {
  it("finds executables on PATH and ignores non-executable files", () => {
    const bin = dirWith("pulumi");
    fs.writeFileSync(path.join(bin, "kubectl"), "not executable", { mode: 0o644 });
    const env = { PATH: [tempDir(), bin].join(path.delimiter) };
    assert.equal(findOnPath("pulumi", env), path.join(bin, "pulumi"));
    assert.equal(findOnPath("kubectl", env), undefined);
  });

  it("reports each prerequisite as present or missing with how to get it", () => {
    const home = tempDir("home-");
    const missing = checkPrerequisites({ PATH: tempDir() }, home);
    assert.deepEqual(
      missing.map((p) => [p.name, p.present]),
      [
        ["pulumi", false],
        ["aws-credentials", false],
        ["kubectl", false],
        ["secrets-passphrase", false],
      ],
    );
    assert.match(missing[0].install, /get\.pulumi\.com/);
    const present = checkPrerequisites(
      { PATH: dirWith("pulumi", "kubectl"), AWS_PROFILE: "platform", PULUMI_CONFIG_PASSPHRASE: "" },
      home,
    );
    assert.ok(present.every((p) => p.present));
    assert.match(present[1].detail, /AWS_PROFILE=platform/);
  });

  it("counts a shared credentials file as AWS credentials", () => {
    const home = tempDir("home-");
    fs.mkdirSync(path.join(home, ".aws"));
    fs.writeFileSync(path.join(home, ".aws", "credentials"), "[default]\n");
    assert.ok(awsCredentials({}, home).present);
  });

  it("asks for a secrets passphrase for file and S3 backends, not for Pulumi Cloud", () => {
    assert.equal(secretsPassphrase({}).present, false);
    assert.match(secretsPassphrase({}).install, /PULUMI_CONFIG_PASSPHRASE/);
    assert.equal(secretsPassphrase({ PULUMI_CONFIG_PASSPHRASE_FILE: "/run/p" }).present, true);
    assert.equal(secretsPassphrase({ PULUMI_BACKEND_URL: "s3://b" }).present, false);
    assert.equal(secretsPassphrase({ PULUMI_BACKEND_URL: "https://api.pulumi.com" }).present, true);
  });

  it("refuses with a message naming the CLI and how to install it", () => {
    assert.throws(
      () => requirePulumiCli('operation "up"', { PATH: tempDir() }),
      (e: unknown) =>
        e instanceof PulumiCliMissingError &&
        /operation "up" needs the Pulumi CLI.*no `pulumi` on PATH.*install/.test(e.message),
    );
  });
});
