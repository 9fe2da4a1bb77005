// Prerequisite detection: PATH lookups, AWS credential sources, and the missing-CLI message.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  awsCredentials,
  checkPrerequisites,
  findOnPath,
  PulumiCliMissingError,
  pulumiVersion,
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

/** A `pulumi` that prints `version` for `pulumi version`, as the real CLI does. */
function pulumiPrinting(version: string): string {
  const dir = tempDir("bin-");
  fs.writeFileSync(path.join(dir, "pulumi"), `#!/bin/sh\necho ${version}\n`, { mode: 0o755 });
  return dir;
}

function loggedIn(home: string, url: string): string {
  fs.mkdirSync(path.join(home, ".pulumi"), { recursive: true });
  fs.writeFileSync(
    path.join(home, ".pulumi", "credentials.json"),
    JSON.stringify({ current: url, accessTokens: { [url]: "pul-not-shown" } }),
  );
  return home;
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
        ["pulumi-version", false],
        ["pulumi-backend", false],
        ["aws-cli", false],
        ["aws-credentials", false],
        ["kubectl", false],
        ["secrets-passphrase", false],
      ],
    );
    assert.match(missing[0].install, /get\.pulumi\.com/);
    assert.match(missing[2].install, /pulumi login/);
    assert.match(missing[3].purpose, /aws eks get-token/);
    const bin = pulumiPrinting("v3.230.0");
    for (const e of ["kubectl", "aws"])
      fs.copyFileSync(path.join(dirWith(e), e), path.join(bin, e));
    const present = checkPrerequisites(
      { PATH: bin, AWS_PROFILE: "platform", PULUMI_CONFIG_PASSPHRASE: "" },
      loggedIn(tempDir("home-"), "s3://state-bucket"),
    );
    assert.deepEqual(
      present.filter((p) => !p.present).map((p) => p.name),
      [],
    );
    const by = Object.fromEntries(present.map((p) => [p.name, p.detail]));
    assert.match(by["aws-credentials"], /AWS_PROFILE=platform/);
    assert.equal(by["pulumi-backend"], "s3://state-bucket (pulumi login)");
    assert.equal(by["pulumi-version"], "3.230.0 (needs 3.208.0 or newer)");
    assert.ok(!JSON.stringify(present).includes("pul-not-shown"), "tokens are never read out");
  });

  it("checks the Pulumi CLI version the program needs, 3.208.0 or newer", () => {
    const old = pulumiVersion({ PATH: pulumiPrinting("v3.200.0") });
    assert.equal(old.present, false);
    assert.equal(old.detail, "3.200.0 (needs 3.208.0 or newer)");
    assert.match(old.install, /upgrade the Pulumi CLI to 3\.208\.0/);
    assert.equal(pulumiVersion({ PATH: pulumiPrinting("v3.208.0") }).present, true);
    const silent = pulumiVersion({ PATH: dirWith("pulumi") });
    assert.equal(silent.present, false);
    assert.match(silent.detail, /gave no version/);
  });

  it("counts a shared credentials file as AWS credentials", () => {
    const home = tempDir("home-");
    fs.mkdirSync(path.join(home, ".aws"));
    fs.writeFileSync(path.join(home, ".aws", "credentials"), "[default]\n");
    assert.ok(awsCredentials({}, home).present);
  });

  it("asks for a secrets passphrase for file and S3 backends, not for Pulumi Cloud", () => {
    const h = tempDir("home-");
    assert.equal(secretsPassphrase({}, h).present, false);
    assert.match(secretsPassphrase({}, h).install, /PULUMI_CONFIG_PASSPHRASE/);
    assert.equal(secretsPassphrase({ PULUMI_CONFIG_PASSPHRASE_FILE: "/run/p" }, h).present, true);
    assert.equal(secretsPassphrase({ PULUMI_BACKEND_URL: "s3://b" }, h).present, false);
    assert.equal(
      secretsPassphrase({ PULUMI_BACKEND_URL: "https://api.pulumi.com" }, h).present,
      true,
    );
    // The backend the user is logged into decides, as it does for the CLI.
    const cloud = loggedIn(tempDir("home-"), "https://api.pulumi.com");
    assert.equal(secretsPassphrase({}, cloud).present, true);
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
