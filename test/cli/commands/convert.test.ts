// `meshlift convert` / `precheck` end to end through main(): outputs, reports and exit codes.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as YAML from "yaml";
import { cli } from "../../support/cli";

const FIXTURES = path.resolve(__dirname, "../../fixtures/appmesh");
const INVALID = path.join(
  process.env.MESHLIFT_APPMESH_EXAMPLES ??
    path.resolve(__dirname, "../../../../shared/appmesh-examples"),
  "invalid",
);

describe("meshlift convert", () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "meshlift-convert-"));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("writes multi-document YAML to stdout and exits 0 even with findings", async () => {
    const r = await cli("convert", "-f", path.join(FIXTURES, "shop.yaml"));
    assert.equal(r.code, 0, r.err);
    const docs = YAML.parseAllDocuments(r.out).map((d) => d.toJS());
    assert.ok(docs.some((d) => d.kind === "VirtualService" && d.metadata.name === "cart"));
    assert.match(r.err, /Istio object\(s\) from 1 file\(s\)/);
  });

  it("takes repeated -f and directories, writes one file per namespace and a JSON report", async () => {
    const out = path.join(tmp, "out");
    const report = path.join(tmp, "report.json");
    const r = await cli(
      "convert",
      "-f",
      path.join(FIXTURES, "shop.yaml"),
      "-f",
      path.join(FIXTURES, "gateway.yaml"),
      "-o",
      out,
      "--report",
      report,
    );
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(fs.readdirSync(out).sort(), ["shop.yaml", "store.yaml"]);
    const json = JSON.parse(fs.readFileSync(report, "utf8"));
    assert.equal(json.summary.blocker, 1);
    assert.ok(
      json.findings.some((f: { source: string }) => f.source === "VirtualGateway store/edge"),
    );
  });

  it("exits 2 with the file, document and reason for invalid input (no stack trace)", async () => {
    const bad = path.join(FIXTURES, "bad-weight.yaml");
    const r = await cli("convert", "-f", bad);
    assert.equal(r.code, 2);
    assert.match(r.err, /invalid input: .*bad-weight\.yaml, document 1: .*weight/);
    assert.doesNotMatch(r.err, /\n\s+at /);
  });

  it("exits 2 for a missing file", async () => {
    const r = await cli("convert", "-f", path.join(tmp, "nope.yaml"));
    assert.equal(r.code, 2);
    assert.match(r.err, /no such file or directory/);
  });

  it("exits 2 on the shared invalid/ example", async function () {
    if (!fs.existsSync(INVALID)) {
      console.log(`    (skipped: ${INVALID} is not present)`);
      this.skip();
    }
    const r = await cli("convert", "-f", INVALID);
    assert.equal(r.code, 2);
    assert.match(
      r.err,
      /eks-app-mesh-cross-account-acm\.tls-update\.yaml, document 0: not valid YAML\/JSON at line 26/,
    );
    assert.doesNotMatch(r.err, /\n\s+at /);
  });
});

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
});
