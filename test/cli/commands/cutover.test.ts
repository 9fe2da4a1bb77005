// `meshlift cutover run` in a child process: Ctrl-C (a real SIGINT) stops after the current step and says where the weight is; then `cutover status`.
import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import * as path from "node:path";
import * as readline from "node:readline";
import { cutoverStatusText } from "../../../cli/commands/cutover";
import { DEFAULT_PROJECT_DIR } from "../../../automation/runners/runner";
import { tempDir } from "../../automation/support";
import { cutoverSet, lab } from "../../cutover/support";

const MAIN = path.join(DEFAULT_PROJECT_DIR, "cli", "main.ts");

describe("meshlift cutover run (child process)", function () {
  this.timeout(120_000);

  it("Ctrl-C stops after the current step, leaves the weight and says so (exit 130)", async function () {
    const { prometheus, exporter } = await lab(this);
    exporter.set("sigint");
    const home = tempDir();
    const set = cutoverSet("sigint", { url: prometheus.url, steps: [10, 100], interval: 600 });
    const args = [
      "--import",
      "tsx",
      MAIN,
      "cutover",
      "run",
      "--stack",
      "dev",
      "--dry-run",
      "--json",
    ];
    for (const [k, v] of Object.entries(set)) args.push("--set", `${k}=${v}`);
    const child = spawn(process.execPath, args, {
      env: { ...process.env, MESHLIFT_HOME: home },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const err: string[] = [];
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    const lines = readline.createInterface({ input: child.stderr });
    lines.on("line", (line) => {
      err.push(line);
      // Step 1's weight is set and the run observes it: interrupt as a person would.
      if (line.startsWith("step 1/2: Istio weight 10 set")) child.kill("SIGINT");
    });
    const killer = setTimeout(() => child.kill("SIGKILL"), 100_000);
    const code = await exited;
    clearTimeout(killer);
    const text = err.join("\n");
    assert.equal(code, 130, text);
    assert.match(
      text,
      /interrupt: stopping after the current step; the Istio weight stays where it is/,
    );
    assert.match(
      err[err.length - 1],
      /^stopped on request at step 1 \(weight 10, dry-run: nothing was applied\); step 1 was not judged\. Resume: meshlift cutover run --stack dev --dry-run$/,
    );
    assert.equal(out, "", "no decision was made for the interrupted step");
    const status = cutoverStatusText(
      { stack: "dev", json: false },
      { journalDir: path.join(home, "cutover") },
    );
    assert.match(status, /last run .* \(dry-run\).*: interrupted \(exit 130\)/);
  });
});
