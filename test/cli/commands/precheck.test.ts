// `meshlift precheck` end to end through main(): the findings table, JSON, --target all and exit codes.
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { cli } from "../../support/cli";

const FIXTURES = path.resolve(__dirname, "../../fixtures/appmesh");

describe("meshlift precheck", () => {
  it("prints a table and exits 0 when there are no blockers", async () => {
    const r = await cli("precheck", "-f", path.join(FIXTURES, "shop.yaml"));
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^SEVERITY\s+SOURCE\s+FIELD\s+REASON/);
    assert.match(r.out, /WARNING\s+VirtualNode shop\/cart-v1\s+spec\.listeners\[0\]\.healthCheck/);
    assert.match(r.out, /0 blocker\(s\), \d+ warning\(s\), \d+ info/);
  });

  it("exits 3 on blockers and prints JSON with --json", async () => {
    const r = await cli("precheck", "-f", path.join(FIXTURES, "gateway.yaml"), "--json");
    assert.equal(r.code, 3);
    const json = JSON.parse(r.out);
    assert.equal(json.summary.blocker, 1);
    assert.equal(json.findings[0].severity, "blocker");
    assert.equal(json.findings[0].field, "spec.listeners[0].tls.certificate.acm");
  });

  it("exits 2 on invalid input", async () => {
    const r = await cli("precheck", "-f", path.join(FIXTURES, "v1beta1.yaml"));
    assert.equal(r.code, 2);
    assert.match(r.err, /v1beta1\.yaml, document 0: .*upgrade to appmesh\.k8s\.aws\/v1beta2/);
  });

  it("precheck --target all reports each target and a summary; --json carries the target", async () => {
    const r = await cli("precheck", "-f", path.join(FIXTURES, "gateway.yaml"), "-t", "all");
    assert.equal(r.code, 3);
    for (const t of ["istio", "gateway-api", "ambient"])
      assert.match(r.out, new RegExp(`== target ${t}\\n`));
    assert.match(
      r.out,
      /TARGET\s+BLOCKERS\s+WARNINGS\s+INFO\nistio\s+1\s+\d+\s+\d+\ngateway-api\s+1/,
    );
    const j = await cli(
      "precheck",
      "-f",
      path.join(FIXTURES, "shop.yaml"),
      "-t",
      "ambient",
      "--json",
    );
    assert.equal(JSON.parse(j.out).target, "ambient");
  });
});
