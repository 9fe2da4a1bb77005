// Hostile input to `meshlift fleet render`: every flag, the stack files and the output directory; one clear error, nothing written.
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import { DEFAULT_PROJECT_DIR } from "../../../automation/runners/runner";
import { exitCodeFor } from "../../../cli/errors";
import {
  FleetRenderFlags,
  fleetConfigFromFlags,
  fleetRender,
  RENDER_MARKER,
} from "../../../cli/commands/fleet";
import { fleetProject } from "../../support/fleet";

const BASE: FleetRenderFlags = {
  stacks: "dev",
  source: "git",
  repo: "https://github.com/acme/platform.git",
  branch: "main",
  out: "",
  identity: "irsa",
  accountId: "111122223333",
  oidcIssuer: "https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE",
};

/** Runs the command in-process as the CLI does: exit code and the one line it would print. */
function render(over: Partial<FleetRenderFlags>): { code: number; message: string; out: string } {
  const out = over.out ?? path.join(fs.mkdtempSync(path.join(os.tmpdir(), "fleet-out-")), "out");
  try {
    fleetRender({ ...BASE, ...over, out });
    return { code: 0, message: "", out };
  } catch (e) {
    const { code, message } = exitCodeFor(e);
    return { code, message, out };
  }
}

/** Refused with exit 2, a message matching `re`, and nothing written. */
function refused(over: Partial<FleetRenderFlags>, re: RegExp): string {
  const r = render(over);
  assert.equal(r.code, 2, `${JSON.stringify(over)}: ${r.message}`);
  assert.match(r.message, re);
  assert.doesNotMatch(r.message, /\n\s+at /, "no stack trace");
  assert.equal(fs.existsSync(r.out) && fs.readdirSync(r.out).length > 0, false, "nothing written");
  const parent = path.dirname(r.out);
  if (fs.existsSync(parent)) {
    assert.deepEqual(
      fs.readdirSync(parent).filter((f) => f.startsWith(".")),
      [],
      "no staging directory left",
    );
  }
  return r.message;
}

describe("fleet render: hostile input", () => {
  it("renders with the base flags (the control case)", () => {
    const r = render({});
    assert.equal(r.code, 0, r.message);
    assert.ok(fs.existsSync(path.join(r.out, "kubernetes", "dev", "stack.yaml")));
  });

  it("refuses stack names that cannot name a Stack object", () => {
    for (const s of [
      "Dev",
      "dev_1",
      "a".repeat(34),
      "../etc",
      "dev/x",
      "__proto__",
      "dév",
      "-dev",
      "",
      "dev,,prod",
    ]) {
      refused({ stacks: s }, /--stacks/);
    }
    refused({ stacks: "dev,dev" }, /--stacks "dev": stack "dev" is listed twice/);
    refused(
      { stacks: Array.from({ length: 1001 }, (_, i) => `s${i}`).join(",") },
      /--stacks .*at most 1000/,
    );
  });

  it("refuses a stack without a stack file, naming the known ones", () => {
    const m = refused(
      { stacks: "dev,constructor" },
      /unknown stack "constructor": no stacks\/Pulumi\.constructor\.yaml/,
    );
    assert.match(m, /stacks: .*dev/);
  });

  it("refuses repository URLs that are not a fetchable, credential-free git URL", () => {
    const cases: [string, RegExp][] = [
      ["http://github.com/acme/platform.git", /must use https:\/\/ or ssh:\/\//],
      ["file:///etc/passwd", /must use https:\/\/ or ssh:\/\//],
      ["ext::sh -c touch% /tmp/pwned", /whitespace or control characters/],
      ["-oProxyCommand=touch /tmp/x", /whitespace or control characters/],
      ["--upload-pack=touch", /must be a git URL/],
      [" https://github.com/acme/platform.git", /whitespace/],
      ["https://github.com/acme/\nplatform.git", /control characters/],
      ["https://github.com", /needs a repository path/],
      ["https://github.com/acme/platform.git?ref=x", /query or fragment/],
      [`https://github.com/${"a".repeat(3000)}`, /longer than 2048/],
      ["https://gith_ub.com/acme/p.git", /invalid host/],
    ];
    for (const [repo, re] of cases) refused({ repo }, re);
    refused({ repo: undefined }, /--repo: is required with --source git/);
  });

  it("never echoes credentials from a repository URL", () => {
    const m = refused(
      { repo: "https://alice:ghp_0123456789abcdefghijklmnopqrstuvwxyzAB@github.com/acme/p.git" },
      /must not carry credentials/,
    );
    assert.doesNotMatch(m, /alice|ghp_/);
    assert.match(m, /https:\/\/\*\*\*@github\.com/);
  });

  it("refuses branch names git refuses", () => {
    for (const branch of [
      "-delete",
      "a..b",
      "a b",
      "a~1",
      "a^",
      "a:b",
      "refs/heads/",
      "x.lock",
      "@",
      "a/.b",
      "a//b",
      "a@{1}",
      "",
      "b".repeat(256),
      "x\u0000y",
    ]) {
      refused({ branch }, /--branch/);
    }
    for (const ok of ["feature/fleet", "refs/heads/main", "release-2026.12", "fé"]) {
      assert.equal(render({ branch: ok }).code, 0, ok);
    }
  });

  it("refuses bad values for every other flag, each naming its flag and what is allowed", () => {
    const cases: [Partial<FleetRenderFlags>, RegExp][] = [
      [{ repoDir: "../outside" }, /--repo-dir "\.\.\/outside": must be a relative directory/],
      [{ repoDir: "/abs" }, /--repo-dir/],
      [{ gitAuth: "token" }, /--git-auth-secret: is required with --git-auth/],
      [
        { gitAuthSecret: "Not_A_Name" },
        /--git-auth-secret "Not_A_Name": must be a Kubernetes name/,
      ],
      [{ namespace: "Fleet" }, /--namespace "Fleet": must be a Kubernetes name/],
      [{ backend: "file:///tmp/state" }, /--backend .*lost with it/],
      [{ backend: "ftp://x" }, /--backend "ftp:\/\/x": must be a Pulumi backend URL/],
      [{ org: "a b" }, /--org "a b": must be a Pulumi organization name/],
      [{ secretsProvider: "rot13" }, /--secrets-provider "rot13"/],
      [
        { secretsProvider: "default", backend: "s3://bucket-x" },
        /--secrets-provider "default": "default" is Pulumi Cloud's/,
      ],
      [{ accountId: "12" }, /--account-id "12": must be a 12-digit AWS account id/],
      [{ accountId: undefined }, /--account-id: is required/],
      [{ oidcIssuer: "http://oidc.example" }, /--oidc-issuer/],
      [{ oidcIssuer: undefined }, /--oidc-issuer: is required with --identity irsa/],
      [{ identity: "pod-identity" }, /--cluster-name: is required with --identity pod-identity/],
      [{ rolePrefix: "x".repeat(31) }, /--role-prefix/],
      [{ rolePolicyArn: ["arn:aws:iam::aws:policy/Admin", "*"] }, /--role-policy-arn/],
      [{ workspaceImage: "pulumi/pulumi:latest" }, /--workspace-image .*must be pinned/],
      [{ workspaceImage: "pulumi/pulumi" }, /--workspace-image .*a tag, a digest or both/],
      [{ workspaceImage: "pulumi/pulumi:3.270.0@sha256:abc" }, /--workspace-image .*a digest/],
      [{ resyncSeconds: "abc" }, /--resync-seconds "abc"/],
      [{ resyncSeconds: "5" }, /--resync-seconds "5": .*>=60|--resync-seconds "5"/],
      [{ resyncSeconds: "1e9" }, /--resync-seconds "1e9"/],
      [{ operator: true, operatorNamespace: "Op NS" }, /--operator-namespace "Op NS"/],
      [{ source: "flux" }, /--flux-kind: .*one of.*GitRepository|--flux-kind/],
      [
        { source: "flux", fluxKind: "HelmChart", fluxName: "x" },
        /--flux-kind "HelmChart": must be one of: "GitRepository", "OCIRepository", "Bucket"/,
      ],
      [
        { source: "flux", fluxKind: "GitRepository", fluxName: "x", fluxApiVersion: "v1" },
        /--flux-api-version "v1"/,
      ],
      [
        { source: "flux", fluxKind: "GitRepository", fluxName: "x", fluxDir: "a/../../b" },
        /--flux-dir/,
      ],
    ];
    for (const [over, re] of cases) refused(over, re);
  });

  it("lists every bad flag at once", () => {
    const m = refused({ stacks: "Dev", branch: "a..b", accountId: "x" }, /invalid fleet flags/);
    assert.match(m, /--stacks "Dev"/);
    assert.match(m, /--branch "a\.\.b"/);
    assert.match(m, /--account-id "x"/);
  });

  it("refuses a stack file that is not YAML, or a bad config, naming the file", () => {
    const project = fleetProject({});
    fs.writeFileSync(
      path.join(project, "stacks", "Pulumi.broken.yaml"),
      "config: [unclosed\n  - : :\n",
    );
    refused(
      { stacks: "broken", projectDir: project },
      /stacks\/Pulumi\.broken\.yaml: cannot read it:/,
    );
    fs.writeFileSync(
      path.join(project, "stacks", "Pulumi.bad.yaml"),
      "config:\n  aws:region: eu-west-1\n  meshlift:environment: BAD\n  meshlift:cluster: {mode: create}\n",
    );
    refused(
      { stacks: "bad", projectDir: project },
      /invalid config for stack "bad".*\n.*meshlift:environment/,
    );
  });

  it("refuses an unreadable stack file", function () {
    if (process.getuid?.() === 0) {
      console.log("      (skipped: running as root, file permissions do not stop reads)");
      this.skip();
    }
    const project = fleetProject({});
    const file = path.join(project, "stacks", "Pulumi.dev.yaml");
    fs.chmodSync(file, 0o000);
    try {
      refused({ projectDir: project }, /stacks\/Pulumi\.dev\.yaml: cannot read it: EACCES/);
    } finally {
      fs.chmodSync(file, 0o644);
    }
  });

  it("refuses secrets in plain text in a stack file, without quoting them", () => {
    const project = fleetProject({});
    const file = path.join(project, "stacks", "Pulumi.dev.yaml");
    fs.appendFileSync(file, "  aws:secretKey: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n");
    const m = refused(
      { projectDir: project },
      /aws:secretKey holds a plain value under the credential key "secretKey"/,
    );
    assert.doesNotMatch(m, /wJalrXUtnFEMI/);
  });

  it("refuses an --out that is a file, a foreign non-empty directory, or has no parent; replaces an earlier render", () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "fleet-out-"));
    const file = path.join(tmp, "file");
    fs.writeFileSync(file, "x");
    assert.match(render({ out: file }).message, /exists and is not a directory/);
    const foreign = path.join(tmp, "foreign");
    fs.mkdirSync(foreign);
    fs.writeFileSync(path.join(foreign, "keep.txt"), "mine");
    const f = render({ out: foreign });
    assert.equal(f.code, 2);
    assert.match(f.message, /not empty and holds no earlier fleet render/);
    assert.deepEqual(fs.readdirSync(foreign), ["keep.txt"], "the user's files are untouched");
    assert.match(
      render({ out: path.join(tmp, "no", "such", "dir") }).message,
      /parent directory .* does not exist/,
    );
    const out = path.join(tmp, "fleet");
    assert.equal(render({ out, stacks: "dev,prod" }).code, 0);
    assert.equal(render({ out, stacks: "dev" }).code, 0);
    assert.deepEqual(fs.readdirSync(path.join(out, "kubernetes")).sort(), [
      "00-namespace.yaml",
      "dev",
    ]);
    assert.ok(fs.existsSync(path.join(out, RENDER_MARKER)));
  });

  it("never fails with an internal error on arbitrary flag values (bounded fuzz)", () => {
    const text = fc.string({ maxLength: 80, unit: "binary" });
    fc.assert(
      fc.property(text, text, text, text, (stacks, repo, branch, accountId) => {
        try {
          fleetConfigFromFlags({ ...BASE, stacks, repo, branch, accountId });
        } catch (e) {
          const { code, message } = exitCodeFor(e);
          assert.equal(code, 2, message);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("exits 2 from the real command line, with one message and no stack trace", () => {
    const r = spawnSync(
      process.execPath,
      [
        require.resolve("tsx/cli"),
        path.join(DEFAULT_PROJECT_DIR, "cli/main.ts"),
        "fleet",
        "render",
        "--stacks",
        "dev",
        "--source",
        "git",
        "--repo",
        "http://x/y",
        "--branch",
        "main",
        "--out",
        path.join(os.tmpdir(), "never-written"),
        "--account-id",
        "111122223333",
        "--oidc-issuer",
        BASE.oidcIssuer as string,
      ],
      { encoding: "utf8", cwd: DEFAULT_PROJECT_DIR },
    );
    assert.equal(r.status, 2, r.stderr);
    assert.match(
      r.stderr,
      /^meshlift: invalid fleet flags:\n {2}- --repo "http:\/\/x\/y": must use https:\/\/ or ssh:\/\//,
    );
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    assert.equal(fs.existsSync(path.join(os.tmpdir(), "never-written")), false);
  });
});
