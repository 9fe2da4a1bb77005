// `meshlift serve`: starts with embedded defaults in a data dir, writes a first token, serves the API.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { startServe } from "../../../cli/commands/serve";
import { call, tempDir } from "../../automation/support";

describe("meshlift serve", () => {
  it("starts on a fresh data dir, creating the database and an admin token", async () => {
    const dir = tempDir();
    const logs: string[] = [];
    const { service, url } = await startServe({ dataDir: dir, port: "0", planWorkers: "0" }, (l) =>
      logs.push(l),
    );
    try {
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.ok(fs.existsSync(path.join(dir, "meshlift.db")));
      const token = /^admin:(\S+)$/m.exec(fs.readFileSync(path.join(dir, "tokens"), "utf8"))?.[1];
      assert.ok(token);
      assert.match(logs.join("\n"), /wrote an admin token to .*tokens/);
      const r = await call(url, "GET", "/v1/stacks", { token });
      assert.equal(r.status, 200);
      assert.ok(r.body.stacks.some((s: { stack: string }) => s.stack === "dev"));
    } finally {
      await service.close();
    }
  });
});
