// Restart recovery: kill -9 the service mid-operation, start it on the same SQLite file, find `interrupted`.
import { strict as assert } from "node:assert";
import { ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import * as readline from "node:readline";
import { PlanRunner } from "../../../automation/runners/plan";
import { AutomationRunner } from "../../../automation/runners/local";
import {
  get,
  makeProject,
  readSse,
  startService,
  submit,
  tempDir,
  TOKEN_TEXT,
  waitFor,
  waitStatus,
} from "../support";

const FIXTURE = path.join(__dirname, "..", "fixtures", "serve-hanging.ts");

function spawnService(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", FIXTURE], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on("line", (line) => resolve({ child, url: (JSON.parse(line) as { url: string }).url }));
    child.on("exit", (code) => reject(new Error(`service exited (${code}): ${stderr}`)));
  });
}

describe("automation service restart recovery", () => {
  it("marks operations a killed process left running or queued as interrupted, with guidance", async () => {
    const project = makeProject(["dev", "prod"]);
    const dbFile = path.join(tempDir(), "meshlift.db");
    const { child, url } = await spawnService({
      TEST_DB: dbFile,
      TEST_PROJECT: project,
      TEST_TOKENS: TOKEN_TEXT,
    });
    let running: string;
    let queued: string;
    let plan: string;
    try {
      running = (await submit(url, "dev", { kind: "up", phase: "parallel" })).body.id;
      queued = (await submit(url, "dev", { kind: "refresh" })).body.id;
      plan = (await submit(url, "prod", { kind: "plan" })).body.id;
      await waitStatus(url, running, ["running"]);
      await waitFor(
        "the first engine event",
        async () => (await get(url, `/v1/operations/${running}`)).body.events,
        (n) => n === 1,
      );
      await waitStatus(url, plan, ["running"]);
    } finally {
      child.kill("SIGKILL");
    }
    await new Promise((r) => child.once("exit", r));

    const s = await startService({
      projectDir: project,
      dbFile,
      runners: {
        plan: new PlanRunner({ projectDir: project }),
        automation: new AutomationRunner({ projectDir: project, env: { PATH: tempDir() } }),
      },
    });
    try {
      assert.deepEqual(s.service.recovered.map((o) => o.id).sort(), [running, queued, plan].sort());
      const up = (await get(s.url, `/v1/operations/${running}`)).body;
      assert.equal(up.status, "interrupted");
      assert.match(up.guidance, /pulumi cancel --stack dev/);
      assert.match(up.guidance, /pulumi refresh --stack dev/);
      assert.equal(up.phase, "parallel");
      const q = (await get(s.url, `/v1/operations/${queued}`)).body;
      assert.equal(q.status, "interrupted");
      assert.match(q.guidance, /never started/);
      assert.equal((await get(s.url, `/v1/operations/${plan}`)).body.status, "interrupted");

      // The event recorded before the kill is still there, and the stream ends at once.
      const events = await readSse(s.url, `/v1/operations/${running}/events`);
      assert.equal(events.length, 2);
      assert.match(events[0].data.stdoutEvent.message, /started up on dev/);
      assert.equal(events[1].data.status, "interrupted");

      // The stack is free again: the new process accepts and runs work on it.
      const again = await submit(s.url, "dev", { kind: "plan", queue: false });
      assert.equal(again.status, 202);
      assert.equal(
        (await waitStatus(s.url, again.body.id, ["succeeded", "failed"])).body.status,
        "succeeded",
      );
    } finally {
      await s.service.close();
    }
  });
});
