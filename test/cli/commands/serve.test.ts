// `meshlift serve`: starts with embedded defaults in a data dir, writes a first token, serves the API and the discover output found there.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { startServe } from "../../../cli/commands/serve";
import { Inventory } from "../../../discover";
import { call, tempDir } from "../../automation/support";
import { cli } from "../../support/cli";
import { serveMeshedCluster, startCluster } from "../../support/discover-cluster";

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

  it("shows on the board what `discover --out <data-dir>/discovery/<stack>` wrote, as the README says", async () => {
    const dir = tempDir();
    const cluster = await startCluster();
    try {
      serveMeshedCluster(cluster.server);
      const out = path.join(dir, "discovery", "dev");
      const d = await cli("discover", "--kubeconfig", cluster.kubeconfig, "--out", out);
      assert.equal(d.code, 0, d.err);
      const inv = JSON.parse(
        fs.readFileSync(path.join(out, "inventory.json"), "utf8"),
      ) as Inventory;
      assert.ok(inv.atRisk.length > 0, "the fixture cluster has pods with the App Mesh Envoy");
      const logs: string[] = [];
      const { service, url } = await startServe(
        { dataDir: dir, port: "0", planWorkers: "0" },
        (l) => logs.push(l),
      );
      try {
        const token = /^admin:(\S+)$/m.exec(fs.readFileSync(path.join(dir, "tokens"), "utf8"))?.[1];
        const r = await call(url, "GET", "/v1/board/dev", { token });
        assert.equal(r.status, 200);
        assert.equal(r.body.discoveryError, undefined);
        assert.equal(r.body.discovery.generatedAt, inv.generatedAt);
        assert.deepEqual(
          r.body.discovery.atRisk.map((a: { namespace: string }) => a.namespace).sort(),
          inv.atRisk.map((a) => a.namespace).sort(),
        );
        assert.equal(
          r.body.discovery.precheck.blocker,
          inv.namespaces.reduce((n, x) => n + x.precheck.blocker, 0),
        );
        // Another stack has no discovery there: nothing shown, no error.
        const other = await call(url, "GET", "/v1/board/prod", { token });
        assert.equal(other.body.discovery, null);
        const where = `${path.join(dir, "discovery")}/<stack>/inventory.json`;
        assert.ok(
          logs.some((l) => l.includes(where)),
          logs.join("\n"),
        );
      } finally {
        await service.close();
      }
    } finally {
      await cluster.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
