// `meshlift plan --policy` and `meshlift policy check PLAN.json`: exit 3 with URN and message on a violation; hostile plan files exit 2.
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PROJECT_DIR } from "../../../plan/offline";
import { cli } from "../../support/cli";

/** Runs the CLI in-process: exit code, stdout and stderr. */
const meshlift = cli;

describe("meshlift plan --policy and policy check", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "meshlift-policy-"));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    const p = path.join(tmp, name);
    fs.writeFileSync(p, text);
    return p;
  };

  it("plan --policy passes the dev stack and says so; on a violation it exits 3 naming policy, URN and message", async () => {
    const ok = await meshlift("plan", "--stack", "dev", "--phase", "cutover", "--policy");
    assert.equal(ok.code, 0, ok.err);
    assert.match(
      ok.out,
      /Policy: 10 mandatory mesh policies pass on \d+ resources \(phase cutover\)/,
    );
    // Ambient mode used to label namespaces istio-injection=enabled (a violation); it no longer does
    // (issue 12), so the ambient plan passes. The exit-3 path is the crafted violation below.
    const json = path.join(tmp, "ambient.json");
    const ambient = await meshlift(
      "plan",
      "--stack",
      "dev",
      "--phase",
      "workloads",
      "--set",
      "istio.mode=ambient",
      "--policy",
      "--json",
      json,
    );
    assert.equal(ambient.code, 0, ambient.err);
    assert.match(ambient.err + ambient.out, /Policy: 10 mandatory mesh policies pass/);
    assert.ok(fs.existsSync(json), "the document is written");
  });

  it("policy check exits 0 on a clean plan document, and 3 on a crafted violation from the real command line", async () => {
    const clean = path.join(tmp, "clean.json");
    assert.equal(
      (await meshlift("plan", "--stack", "dev", "--phase", "parallel", "--json", clean)).code,
      0,
    );
    const doc = JSON.parse(fs.readFileSync(clean, "utf8"));
    const gateway = doc.resources.find((r: { name: string }) => r.name === "istio-gateway");
    gateway.inputs.values.service.annotations = {};
    const crafted = file("crafted.json", JSON.stringify(doc));
    const cli = (f: string) =>
      spawnSync(
        process.execPath,
        [require.resolve("tsx/cli"), path.join(PROJECT_DIR, "cli/main.ts"), "policy", "check", f],
        {
          encoding: "utf8",
          cwd: PROJECT_DIR,
        },
      );
    const a = await meshlift("policy", "check", clean);
    assert.equal(a.code, 0, a.err);
    assert.match(a.out, /10 mandatory mesh policies pass/);
    const b = cli(crafted);
    assert.equal(b.status, 3, b.stderr);
    assert.match(
      b.stderr,
      new RegExp(
        `mandatory gateway-nlb-health-check: ${gateway.urn.replace(/[$]/g, "\\$")}: gateway release istio-ingressgateway: .*Classic Load Balancer`,
      ),
    );
    assert.doesNotMatch(b.stderr, /\n\s+at /);
  });

  it("refuses hostile plan files with exit 2 and one line naming the file and the problem", async () => {
    const deep = "[".repeat(100_000) + "]".repeat(100_000);
    const cases: [string, RegExp][] = [
      [path.join(tmp, "missing.json"), /missing\.json: cannot read it \(ENOENT\)/],
      [tmp, /: not a file/],
      [
        file("text.json", "not json"),
        /text\.json: not JSON \(.*\); write one with `meshlift plan --json`/,
      ],
      [file("empty.json", ""), /empty\.json: not JSON/],
      [file("array.json", "[]"), /array\.json: not a plan document: \(document\): /],
      [file("deep.json", deep), /deep\.json: not a plan document/],
      [
        file("proto.json", '{"__proto__": {"resources": []}, "constructor": 1}'),
        /not a plan document: project: .*stack: .*resources: /,
      ],
      [
        file(
          "types.json",
          JSON.stringify({
            project: "p",
            stack: "s",
            phase: "x",
            outputs: {},
            resources: [{ urn: 5, type: "t", name: "n", inputs: [], protect: "yes" }],
          }),
        ),
        /resources\.0\.urn: .*resources\.0\.inputs: .*resources\.0\.protect: /,
      ],
      [file("unicode-\u00e9\u{1F600}.json", "{}"), /unicode-é😀\.json: not a plan document/],
    ];
    for (const [f, re] of cases) {
      const r = await meshlift("policy", "check", f);
      assert.equal(r.code, 2, `${f}: ${r.err}`);
      assert.match(r.err, re);
      assert.doesNotMatch(r.err, /\n\s+at /, "no stack trace");
    }
  });

  it("refuses a plan file over the size cap without reading it", async () => {
    const big = path.join(tmp, "big.json");
    fs.writeFileSync(big, "");
    fs.truncateSync(big, 65 * 1024 * 1024);
    const r = await meshlift("policy", "check", big);
    assert.equal(r.code, 2);
    assert.match(r.err, /big\.json: 68157440 bytes; a plan document is at most 67108864/);
  });

  it("judges hostile but well-formed documents without crashing: deep inputs, __proto__ keys", async () => {
    // Deeper than JSON.stringify itself can go: the document is written as text.
    const deep = `${'{"a":'.repeat(20_000)}"x"${"}".repeat(20_000)}`;
    const doc = {
      project: "meshlift",
      stack: "dev",
      phase: "cutover",
      outputs: { environment: "prod" },
      resources: [
        {
          urn: "urn:a",
          type: "kubernetes:helm.sh/v3:Release",
          name: "istiod",
          inputs: { chart: "istiod", values: "DEEP" },
          protect: false,
        },
        {
          urn: "urn:b",
          type: "kubernetes:core/v1:NamespacePatch",
          name: "p",
          inputs: JSON.parse('{"metadata":{"labels":{"__proto__":{"istio-injection":"enabled"}}}}'),
          protect: false,
        },
      ],
    };
    const text = JSON.stringify(doc).replace('"DEEP"', deep);
    const r = await meshlift("policy", "check", file("odd.json", text));
    assert.equal(r.code, 3, r.err);
    assert.match(
      r.err,
      /prod-control-plane-protected: urn:a: kubernetes:helm\.sh\/v3:Release istiod is not protected/,
    );
  });

  it("lists the policies", async () => {
    const r = await meshlift("policy", "list");
    assert.equal(r.code, 0);
    assert.equal(r.out.trim().split("\n").length, 10);
    assert.match(r.out, /^single-sidecar-injector: /m);
  });
});
