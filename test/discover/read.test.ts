// readCluster against the local API server, and the bounded map it reads with.
import * as assert from "node:assert/strict";
import { connect } from "../../discover/connect";
import { nameOf } from "../../discover/model";
import { mapLimit, Progress, readCluster } from "../../discover/read";
import { serveMeshedCluster, startCluster, TestCluster } from "../support/discover-cluster";

describe("discover read", () => {
  describe("mapLimit", () => {
    it("keeps the order of results and never runs more than the limit at once", async () => {
      let running = 0;
      let most = 0;
      const out = await mapLimit([5, 1, 4, 2, 3], 2, async (n, i) => {
        running += 1;
        most = Math.max(most, running);
        for (let k = 0; k < n; k++) await Promise.resolve();
        running -= 1;
        return `${i}:${n * 10}`;
      });
      assert.deepEqual(out, ["0:50", "1:10", "2:40", "3:20", "4:30"]);
      assert.equal(most, 2);
    });

    it("takes an empty list, and rejects with the first failure", async () => {
      assert.deepEqual(await mapLimit([], 8, () => Promise.resolve(1)), []);
      await assert.rejects(
        mapLimit([1, 2], 4, (n) =>
          n === 2 ? Promise.reject(new Error("boom")) : Promise.resolve(n),
        ),
        /boom/,
      );
    });
  });

  describe("readCluster", () => {
    let c: TestCluster;
    beforeEach(async () => {
      c = await startCluster();
      serveMeshedCluster(c.server);
    });
    afterEach(() => c.close());

    it("reads the meshed namespaces, their App Mesh objects and reads, and reports progress", async () => {
      const steps: Progress[] = [];
      const s = await readCluster(await connect({ kubeconfig: c.kubeconfig }), {
        onProgress: (p) => steps.push(p),
      });
      assert.equal(s.context, "test");
      assert.deepEqual(s.meshed, ["pay", "shop"]);
      assert.deepEqual(s.appmeshVersions, ["v1beta2"]);
      assert.ok(s.appmesh.some((o) => o.kind === "Mesh" && nameOf(o) === "shop-mesh"));
      assert.ok((s.perNamespace.get("shop")?.services.length ?? 0) > 0);
      assert.equal(s.requested, undefined);
      assert.ok(steps.length > 0);
      assert.ok(steps.every((p, i) => i === 0 || p.objects >= steps[i - 1].objects));
    });

    it("with namespaces given reads only those", async () => {
      const s = await readCluster(await connect({ kubeconfig: c.kubeconfig }), {
        namespaces: ["pay"],
      });
      assert.deepEqual(s.requested, ["pay"]);
      assert.deepEqual(s.meshed, ["pay"]);
      assert.ok(s.pods.every((p) => (p.metadata as { namespace?: string }).namespace === "pay"));
    });
  });
});
