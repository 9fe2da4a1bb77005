// Hostile input to the meshlift CLI as a user runs it (argv, --set, files, devices): each case of issue 17.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { assertCleanError, meshliftCli, meshliftMain, pemKey } from "./support";

const EXPORT = path.resolve(__dirname, "../../stacks/appmesh-exports/dev/shop.yaml");

describe("hostile input to the CLI", () => {
  let tmp: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "meshlift-hostile-cli-"));
    fs.chmodSync(tmp, 0o755);
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  describe("item 1: prototype pollution through --set", () => {
    it("plan --set __proto__.polluted=1 exits 2 naming the key", async () => {
      // In a new process, as a user runs it: the fresh process must not exit 1 with a trace.
      assertCleanError(
        meshliftCli(["plan", "--stack", "dev", "--set", "__proto__.polluted=1"]),
        /"__proto__" is not allowed in a config key/,
      );
    });
  });

  describe("item 3: secrets under misspelt keys", () => {
    it("never prints a PEM given under rootCa.kyePem", async () => {
      const r = await meshliftMain([
        "plan",
        "--stack",
        "dev",
        "--set",
        `multiCluster.rootCa.kyePem=${pemKey()}`,
      ]);
      assertCleanError(r, /multiCluster\.rootCa\.kyePem/);
      assert.doesNotMatch(r.stderr + r.stdout, /PRIVATE KEY/);
    });
  });

  describe("item 7: an unknown but well-formed region", () => {
    it("plan --set aws:region=eu-west-9 exits 2 with a config error", async () => {
      assertCleanError(
        await meshliftMain(["plan", "--stack", "dev", "--set", "aws:region=eu-west-9"]),
        /aws:region \(given: "eu-west-9"\): is not a region meshlift supports/,
      );
    });
  });

  describe("item 9: filesystem errors", () => {
    it("a dangling symlink in a -f directory: exit 2 with the path", async () => {
      const dir = fs.mkdtempSync(path.join(tmp, "dangling-"));
      fs.copyFileSync(EXPORT, path.join(dir, "a.yaml"));
      fs.symlinkSync(path.join(dir, "missing.yaml"), path.join(dir, "b.yaml"));
      assertCleanError(
        await meshliftMain(["precheck", "-f", dir]),
        /-f .*b\.yaml: no such file or directory \(ENOENT\) \(a dangling symlink\)/,
      );
    });

    it("a looping symlink in a -f directory: exit 2 with the path", async () => {
      const dir = fs.mkdtempSync(path.join(tmp, "loop-"));
      fs.symlinkSync(path.join(dir, "y.yaml"), path.join(dir, "x.yaml"));
      fs.symlinkSync(path.join(dir, "x.yaml"), path.join(dir, "y.yaml"));
      assertCleanError(
        await meshliftMain(["convert", "-f", dir]),
        /-f .*x\.yaml: too many levels of symbolic links/,
      );
    });

    it("an unreadable file: exit 2 with the path and permission denied", async () => {
      // As root, the run drops to nobody: root reads a 0000 file, nobody cannot.
      const file = path.join(tmp, "secret.yaml");
      fs.copyFileSync(EXPORT, file);
      fs.chmodSync(file, 0o000);
      assertCleanError(
        meshliftCli(["convert", "-f", file], { unprivileged: true }),
        /-f .*secret\.yaml: permission denied \(EACCES\)/,
      );
    });

    it("convert -f /dev/zero stops at the size limit instead of hanging", async () => {
      assertCleanError(
        // A new process, bounded: on a reader that does not stop, this would hang or run out of memory.
        meshliftCli(["convert", "-f", "/dev/zero"], { timeoutMs: 60_000 }),
        /-f \/dev\/zero: is too large: more, at most \d+ bytes are read/,
      );
    });

    it("convert -o /dev/full: exit 2, not a directory", async () => {
      assertCleanError(
        await meshliftMain(["convert", "-f", EXPORT, "-o", "/dev/full"]),
        /-o \/dev\/full: exists and is not a directory/,
      );
    });

    it("convert --report /dev/full: exit 2, no space left on device", async () => {
      assertCleanError(
        await meshliftMain([
          "convert",
          "-f",
          EXPORT,
          "-o",
          path.join(tmp, "out"),
          "--report",
          "/dev/full",
        ]),
        /--report \/dev\/full: no space left on device \(ENOSPC\)/,
      );
    });

    it("convert --report into a missing directory: exit 2 with the path", async () => {
      const report = path.join(tmp, "nowhere", "findings.json");
      assertCleanError(
        await meshliftMain([
          "convert",
          "-f",
          EXPORT,
          "-o",
          path.join(tmp, "out2"),
          "--report",
          report,
        ]),
        /--report .*nowhere\/findings\.json: no such file or directory \(ENOENT\)/,
      );
    });

    it("plan --json into a missing directory, and --out /proc/x, exit 2 without hanging", async () => {
      assertCleanError(
        await meshliftMain(["plan", "--stack", "dev", "--json", path.join(tmp, "no", "plan.json")]),
        /--json .*no\/plan\.json: no such file or directory \(ENOENT\)/,
      );
      assertCleanError(
        // A new process, bounded: Node's recursive mkdir loops forever on /proc/x.
        meshliftCli(["plan", "--stack", "dev", "--out", "/proc/x"], { timeoutMs: 60_000 }),
        /--out \/proc\/x: no such file or directory \(ENOENT\)/,
      );
    });
  });

  describe("item 11: config quirks", () => {
    it("--set cluster.mode.x=1 names cluster.mode, in one problem", async () => {
      const r = await meshliftMain(["plan", "--stack", "dev", "--set", "cluster.mode.x=1"]);
      assertCleanError(
        r,
        /\(1 problem\)[^]*meshlift:cluster\.mode\.x: cannot be set: meshlift:cluster\.mode is "create"/,
      );
    });

    it("--set config:phase=parallel is refused, with the key it may have meant", async () => {
      assertCleanError(
        await meshliftMain(["plan", "--stack", "dev", "--set", "config:phase=parallel"]),
        /config:phase: is in namespace "config:".*did you mean meshlift:phase\?/,
      );
    });

    it("shows a bad restartToken as given", async () => {
      assertCleanError(
        await meshliftMain([
          "plan",
          "--stack",
          "dev",
          "--set",
          'migration.namespaces.0.restartToken="no way"',
        ]),
        /restartToken \(given: "no way"\)/,
      );
    });

    it("phase advance without the Pulumi CLI exits 4 (a missing prerequisite), not 3", async () => {
      const empty = fs.mkdtempSync(path.join(tmp, "path-"));
      const r = await meshliftMain(["phase", "advance", "--stack", "dev", "--yes"], {
        env: { PATH: empty },
      });
      assertCleanError(r, /needs the Pulumi CLI.*meshlift doctor/, 4);
    });
  });
});
