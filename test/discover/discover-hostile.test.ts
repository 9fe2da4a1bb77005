// Hostile input to discover: bad -n names, an --out that cannot be written, and hostile objects served by the API server.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import * as YAML from "yaml";
import { Inventory } from "../../discover";
import { cli } from "../support/cli";
import { serveMeshedCluster, startCluster, TestCluster } from "../support/discover-cluster";

describe("meshlift discover: hostile input", () => {
  let c: TestCluster;
  let out: string;

  beforeEach(async () => {
    c = await startCluster();
    serveMeshedCluster(c.server);
    out = path.join(c.dir, "out");
  });
  afterEach(() => c.close());

  const run = (...more: string[]) =>
    cli("discover", "--kubeconfig", c.kubeconfig, "--out", out, ...more);

  it("refuses namespace names Kubernetes cannot hold, before any request", async () => {
    for (const bad of [
      "Shop",
      "a_b",
      "../etc",
      "",
      "x".repeat(64),
      "__proto__",
      "shöp",
      "-a",
      "a b",
      "a\nb",
    ]) {
      c.server.requests.length = 0;
      const r = await run("-n", bad);
      assert.equal(r.code, 2, `-n ${JSON.stringify(bad)}: ${r.err}`);
      assert.match(r.err, /is not a namespace name/);
      assert.ok(r.err.includes(JSON.stringify(bad)), "quotes the value");
      assert.deepEqual(
        c.server.requests.filter((q) => q.path !== "/apis"),
        [],
        "nothing read",
      );
      assert.equal(fs.existsSync(out), false);
    }
  });

  it("refuses bad flag values with exit 2", async () => {
    for (const args of [
      ["--request-timeout", "-1"],
      ["--request-timeout", "abc"],
      ["--request-timeout", "1e9"],
      ["--no-such-flag"],
    ]) {
      const r = await run(...args);
      assert.equal(r.code, 2, args.join(" "));
    }
    const noOut = await cli("discover", "--kubeconfig", c.kubeconfig);
    assert.equal(noOut.code, 2);
    assert.match(noOut.err, /--out <dir> is required/);
  });

  it("--out that is a file, under a file, or unwritable: exit 2, nothing written", async () => {
    const file = path.join(c.dir, "file");
    fs.writeFileSync(file, "x");
    let r = await cli("discover", "--kubeconfig", c.kubeconfig, "--out", file);
    assert.equal(r.code, 2);
    assert.match(r.err, /--out ".*file" exists and is not a directory/);
    assert.equal(fs.readFileSync(file, "utf8"), "x");
    r = await cli("discover", "--kubeconfig", c.kubeconfig, "--out", path.join(file, "sub"));
    assert.equal(r.code, 2);
    assert.match(r.err, /--out: cannot .*ENOTDIR|ENOENT|EEXIST.*nothing was written/);
    r = await cli(
      "discover",
      "--kubeconfig",
      c.kubeconfig,
      "--out",
      "/proc/meshlift-discover-test",
    );
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, /--out: cannot .* nothing was written/);
    if (process.getuid?.() === 0) {
      console.log(
        "      (running as root: a read-only directory does not stop root; /proc stood in)",
      );
    } else {
      const ro = path.join(c.dir, "ro");
      fs.mkdirSync(ro, { mode: 0o500 });
      r = await cli("discover", "--kubeconfig", c.kubeconfig, "--out", path.join(ro, "out"));
      assert.equal(r.code, 2);
      assert.match(r.err, /EACCES/);
    }
    r = await cli("discover", "--kubeconfig", c.kubeconfig, "--out", "");
    assert.equal(r.code, 2);
  });

  it("objects with hostile names, labels and deep specs: escaped in Markdown and terminal, kept as data in YAML", async () => {
    const evil = "evil|`rm -rf`\n<script>\u001b[2J";
    c.server.add({
      apiVersion: "appmesh.k8s.aws/v1beta2",
      kind: "VirtualNode",
      metadata: {
        name: evil,
        namespace: "shop",
        labels: { ...JSON.parse('{"__proto__":"x","constructor":"y"}'), big: "v".repeat(100_000) },
      },
      spec: {},
    });
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 200; i++) deep = { nested: deep };
    c.server.add({
      apiVersion: "appmesh.k8s.aws/v1beta2",
      kind: "VirtualRouter",
      metadata: { name: "deep", namespace: "shop" },
      spec: { listeners: [], extra: deep },
    });
    c.server.add({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: {
        name: "shop",
        labels: JSON.parse(
          '{"__proto__":"p","mesh":"shop-mesh","appmesh.k8s.aws/sidecarInjectorWebhook":"enabled"}',
        ),
      },
    });
    const r = await run();
    assert.equal(r.code, 0, r.err);
    const summary = fs.readFileSync(path.join(out, "summary.md"), "utf8");
    assert.ok(
      !summary.includes("<script>") && !summary.includes("\u001b"),
      "no HTML or escape codes",
    );
    for (const line of summary.split("\n").filter((l) => l.startsWith("|")))
      assert.match(line, /\|$/, `one table row per line: ${line}`);
    assert.ok(!r.err.includes("\u001b[2J") && !r.out.includes("\u001b"));
    const shop = fs.readFileSync(path.join(out, "exports", "shop.yaml"), "utf8");
    const docs = YAML.parseAllDocuments(shop).map(
      (d) =>
        d.toJS() as { kind: string; metadata: { name: string; labels?: Record<string, string> } },
    );
    const node = docs.find((d) => d.metadata.name === evil);
    assert.ok(node, "the name survives as data");
    assert.match(shop, /^ {4}__proto__: x$/m, "a __proto__ label stays a label");
    assert.equal(node.metadata.labels?.constructor, "y");
    const inv = JSON.parse(fs.readFileSync(path.join(out, "inventory.json"), "utf8")) as Inventory;
    const ns = inv.namespaces.find((n) => n.name === "shop");
    assert.ok(
      ns && ns.precheck.error === undefined && ns.precheck.warning >= 1,
      "the precheck read them (the unknown deep field is a warning)",
    );
    assert.equal(({} as Record<string, unknown>).x, undefined);
  });

  it("a namespace name a real API server could not return stops the run before any file", async () => {
    c.server.add({ apiVersion: "v1", kind: "Namespace", metadata: { name: "../../etc" } });
    const r = await run();
    assert.equal(r.code, 2);
    assert.match(r.err, /returned a namespace named "\.\.\/\.\.\/etc"/);
    assert.equal(fs.existsSync(out), false);
    assert.equal(fs.existsSync(path.join(c.dir, "etc")), false);
  });

  it("fuzz: random names and labels from the server never crash discover or escape --out", async function () {
    this.timeout(60000);
    const text = fc.string({ unit: "binary", maxLength: 40 });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(text, text, text), { minLength: 1, maxLength: 4 }),
        async (objs) => {
          fs.rmSync(out, { recursive: true, force: true });
          c.server
            .list("appmesh.k8s.aws/v1beta2", "VirtualService")
            .forEach((o) =>
              c.server.remove(
                "appmesh.k8s.aws/v1beta2",
                "VirtualService",
                "pay",
                String(o.metadata?.name),
              ),
            );
          for (const [name, key, value] of objs) {
            c.server.add({
              apiVersion: "appmesh.k8s.aws/v1beta2",
              kind: "VirtualService",
              metadata: { name: name || "x", namespace: "pay", labels: { [key || "k"]: value } },
              spec: { awsName: value },
            });
          }
          const r = await run();
          assert.ok(r.code === 0 || r.code === 2, `exit ${r.code}: ${r.err}`);
          assert.doesNotMatch(r.err, /internal error/);
          assert.ok(!r.err.includes("\u001b") && !r.out.includes("\u001b"));
          if (r.code === 0)
            assert.deepEqual(fs.readdirSync(path.join(out, "exports")).sort(), [
              "pay.yaml",
              "shop.yaml",
            ]);
          assert.deepEqual(
            fs.readdirSync(c.dir).filter((f) => !["out", "kubeconfig-test.yaml"].includes(f)),
            [],
          );
        },
      ),
      { numRuns: 10 },
    );
  });
});
