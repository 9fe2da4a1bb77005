// `meshlift convert` end to end through main(): outputs, reports, exit codes, and the target it emits for.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as YAML from "yaml";
import { cli } from "../../support/cli";
import { chooseTarget, readSources } from "../../../cli/commands/convert";

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

describe("meshlift convert --target", () => {
  it("convert -t gateway-api writes Gateway API routes; -t ambient adds waypoints and no Sidecar", async () => {
    const g = await cli("convert", "-f", path.join(FIXTURES, "shop.yaml"), "-t", "gateway-api");
    assert.equal(g.code, 0, g.err);
    const gDocs = YAML.parseAllDocuments(g.out).map((d) => d.toJS());
    assert.ok(gDocs.some((d) => d.kind === "HTTPRoute" && d.metadata.name === "cart"));
    assert.ok(!gDocs.some((d) => d.kind === "VirtualService"));
    assert.match(g.err, /Gateway API \+ Istio object\(s\)/);
    const a = await cli("convert", "-f", path.join(FIXTURES, "shop.yaml"), "--target", "ambient");
    const aDocs = YAML.parseAllDocuments(a.out).map((d) => d.toJS());
    assert.ok(
      aDocs.some((d) => d.kind === "Gateway" && d.spec.gatewayClassName === "istio-waypoint"),
    );
    assert.ok(!aDocs.some((d) => d.kind === "Sidecar"));
  });

  it("--stack takes the target from the stack's istio.mode", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "meshlift-stack-"));
    try {
      fs.mkdirSync(path.join(dir, "stacks"));
      const dev = fs.readFileSync(
        path.resolve(__dirname, "../../../stacks/Pulumi.dev.yaml"),
        "utf8",
      );
      fs.writeFileSync(
        path.join(dir, "stacks/Pulumi.amb.yaml"),
        dev.replace(/mode: sidecar/, "mode: ambient"),
      );
      fs.writeFileSync(path.join(dir, "stacks/Pulumi.side.yaml"), dev);
      assert.equal(chooseTarget({ stack: "amb" }, dir), "ambient");
      assert.equal(chooseTarget({ stack: "side" }, dir), "istio");
      assert.equal(chooseTarget({ stack: "amb", target: "gateway-api" }, dir), "gateway-api");
      assert.equal(chooseTarget({}, dir), "istio");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("readSources", () => {
  it("reads - from stdin and refuses an empty -f list", () => {
    assert.deepEqual(
      readSources(["-"], () => "kind: x"),
      [{ path: "<stdin>", content: "kind: x" }],
    );
    assert.throws(() => readSources([]), /-f is required/);
  });
});
