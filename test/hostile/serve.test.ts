// Hostile start-up of `meshlift serve`: file modes whatever MESHLIFT_TOKENS says, and one clear line (exit 2) for each start-up failure.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { exitCodeFor } from "../../cli/errors";
import { startServe } from "../../cli/commands/serve";
import { ServeFlags } from "../../automation/service/settings";
import { tempDir, TOKEN_TEXT } from "../automation/support";
import { assertCleanError, meshliftCli } from "./support";

/** startServe with MESHLIFT_TOKENS set (no token file), as a container would run it. */
async function withTokensEnv<T>(fn: () => Promise<T>): Promise<T> {
  const saved = process.env.MESHLIFT_TOKENS;
  process.env.MESHLIFT_TOKENS = TOKEN_TEXT;
  try {
    return await fn();
  } finally {
    if (saved === undefined) delete process.env.MESHLIFT_TOKENS;
    else process.env.MESHLIFT_TOKENS = saved;
  }
}

const quiet = () => undefined;
const flags = (dataDir: string, more: ServeFlags = {}): ServeFlags => ({
  dataDir,
  port: "0",
  planWorkers: "0",
  ...more,
});

async function startFailure(f: ServeFlags): Promise<{ code: number; message: string }> {
  try {
    const { service } = await withTokensEnv(() => startServe(f, quiet));
    await service.close();
  } catch (e) {
    return exitCodeFor(e);
  }
  assert.fail("expected the start to fail");
}

describe("hostile start-up of meshlift serve", () => {
  it("item 3: keeps the data directory 0700 and the database 0600 with MESHLIFT_TOKENS", async () => {
    const fresh = path.join(tempDir(), "home", ".meshlift");
    const old = path.join(tempDir(), ".meshlift");
    fs.mkdirSync(old, { mode: 0o755 });
    fs.chmodSync(old, 0o755);
    fs.writeFileSync(path.join(old, "meshlift.db"), "");
    fs.chmodSync(path.join(old, "meshlift.db"), 0o644);
    for (const dir of [fresh, old]) {
      const { service } = await withTokensEnv(() => startServe(flags(dir), quiet));
      try {
        assert.equal(fs.statSync(dir).mode & 0o777, 0o700, `${dir} is 0700`);
        for (const f of fs.readdirSync(dir))
          assert.equal(fs.statSync(path.join(dir, f)).mode & 0o077, 0, `${f} is private`);
        assert.equal(fs.statSync(path.join(dir, "meshlift.db")).mode & 0o777, 0o600);
      } finally {
        await service.close();
      }
    }
  });

  it("item 10: a database in use by another service: exit 2, one line", async () => {
    const dir = tempDir();
    const { service } = await withTokensEnv(() => startServe(flags(dir), quiet));
    try {
      const r = await startFailure(flags(dir));
      assert.equal(r.code, 2, r.message);
      assert.match(
        r.message,
        /meshlift\.db as the service's database: it is in use by another process/,
      );
      assert.doesNotMatch(r.message, /\n/);
    } finally {
      await service.close();
    }
  });

  it("item 10: a busy port: exit 2, one line", async () => {
    const busy = net.createServer();
    await new Promise<void>((r) => busy.listen(0, "127.0.0.1", r));
    const port = (busy.address() as net.AddressInfo).port;
    try {
      const r = await startFailure(flags(tempDir(), { port: String(port) }));
      assert.equal(r.code, 2, r.message);
      assert.match(
        r.message,
        new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}: the address is in use`),
      );
      assert.doesNotMatch(r.message, /\n/);
    } finally {
      busy.close();
    }
  });

  it("item 10: a database file that is not SQLite: exit 2, one line", async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, "meshlift.db"), "not a database, just text ".repeat(200));
    const r = await startFailure(flags(dir));
    assert.equal(r.code, 2, r.message);
    assert.match(r.message, /it is not a meshlift database \(SQLITE_NOTADB\)/);
  });

  describe("as an unprivileged user (root ignores file modes)", () => {
    const env = { MESHLIFT_TOKENS: TOKEN_TEXT, MESHLIFT_PORT: "0", MESHLIFT_PLAN_WORKERS: "0" };

    it("item 10: an unwritable home: exit 2, one line", () => {
      const parent = tempDir();
      fs.chmodSync(parent, 0o555);
      const r = meshliftCli(["serve"], {
        unprivileged: true,
        env: { ...env, MESHLIFT_HOME: path.join(parent, ".meshlift") },
        timeoutMs: 60_000,
      });
      assertCleanError(r, /data directory .*\.meshlift: permission denied \(EACCES\)/);
    });

    it("item 10: a read-only database: exit 2, one line", () => {
      const dir = tempDir();
      fs.chmodSync(dir, 0o777);
      const db = path.join(dir, "meshlift.db");
      fs.writeFileSync(db, "");
      fs.chmodSync(db, 0o444);
      const r = meshliftCli(["serve", "--db", db], {
        unprivileged: true,
        env: { ...env, MESHLIFT_HOME: path.join(dir, "home") },
        timeoutMs: 60_000,
      });
      assertCleanError(r, /cannot use .*meshlift\.db as the service's database: permission denied/);
    });
  });
});
