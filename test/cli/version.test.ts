// `meshlift --version`: the package version and every pin a platform team checks (Istio, charts, Kubernetes, Pulumi), from config/versions.ts.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { packageVersion } from "../../cli/version";
import {
  CHARTS,
  ISTIO_VERSION,
  MIN_KUBERNETES_VERSION,
  MIN_PULUMI_VERSION,
  PULUMI_OPERATOR,
} from "../../config/versions";
import { cli } from "../support/cli";

describe("meshlift --version", () => {
  it("prints the package version, the Istio version and every pinned chart", async () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, "../../package.json"), "utf8")) as {
      version: string;
    };
    for (const flag of ["--version", "-V"]) {
      const r = await cli(flag);
      assert.equal(r.code, 0, r.err);
      const lines = r.out.split("\n");
      assert.equal(lines[0], `meshlift ${pkg.version}`);
      assert.match(r.out, new RegExp(`^istio ${ISTIO_VERSION.replace(/\./g, "\\.")} `, "m"));
      assert.match(r.out, new RegExp(`${MIN_KUBERNETES_VERSION}`));
      assert.match(r.out, new RegExp(`pulumi CLI ${MIN_PULUMI_VERSION}`));
      for (const c of [...Object.values(CHARTS), PULUMI_OPERATOR.chart]) {
        assert.ok(
          lines.some((l) => l.includes(` ${c.chart} ${c.version} `) && l.endsWith(c.repo)),
          `chart ${c.chart} ${c.version} missing`,
        );
      }
    }
  });

  it("says unknown for a package.json without a version string, and fails clearly on a missing one", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "meshlift-version-"));
    try {
      fs.writeFileSync(
        path.join(dir, "package.json"),
        JSON.stringify({ version: { __proto__: 1 } }),
      );
      assert.equal(packageVersion(dir), "unknown");
      fs.rmSync(path.join(dir, "package.json"));
      assert.throws(() => packageVersion(dir), /ENOENT/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
