// Round trip over the real App Mesh examples: served as live objects, discovered, converted: the same Istio output and findings as converting the files.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { convert, ConversionResult } from "../../appmesh";
import { discover } from "../../discover";
import { serveYaml, startCluster } from "../support/discover-cluster";

const EXAMPLES = path.join(
  process.env.MESHLIFT_APPMESH_EXAMPLES ??
    path.resolve(__dirname, "../../../shared/appmesh-examples"),
  "k8s",
);

/** Findings without file and document: the discovered ones come from other files by construction. */
function comparable(r: ConversionResult) {
  return {
    objects: r.objects,
    findings: r.findings
      .map(({ severity, source, field, reason }) =>
        JSON.stringify({ severity, source, field, reason }),
      )
      .sort(),
  };
}

describe("discover round trip over ../shared/appmesh-examples/k8s", function () {
  this.timeout(120000);
  const files = fs.existsSync(EXAMPLES)
    ? fs
        .readdirSync(EXAMPLES)
        .filter((f) => f.endsWith(".yaml"))
        .sort()
    : [];

  if (files.length === 0) {
    it("(skipped: no App Mesh examples folder)", function () {
      console.log(
        `      (skipped: ${EXAMPLES} does not exist; set MESHLIFT_APPMESH_EXAMPLES to run the round trip)`,
      );
      this.skip();
    });
    return;
  }

  for (const f of files) {
    it(`convert(discover(${f})) equals convert(${f})`, async () => {
      const text = fs.readFileSync(path.join(EXAMPLES, f), "utf8");
      const c = await startCluster();
      try {
        serveYaml(c.server, text);
        const r = await discover({
          kubeconfig: c.kubeconfig,
          outDir: "out",
          generatedAt: "2026-12-01T00:00:00Z",
        });
        const exports = [...r.files]
          .filter(([p]) => p.startsWith("exports/"))
          .map(([p, content]) => ({ path: p, content }));
        assert.ok(exports.length > 0, "at least one namespace exported");
        const discovered = comparable(convert(exports));
        const original = comparable(convert([{ path: f, content: text }]));
        assert.deepEqual(discovered.objects, original.objects);
        assert.deepEqual(discovered.findings, original.findings);
        // Each namespace's export converts on its own, as the workloads phase reads it.
        for (const e of exports) convert([e], { namespace: path.basename(e.path, ".yaml") });
      } finally {
        await c.close();
      }
    });
  }
});
