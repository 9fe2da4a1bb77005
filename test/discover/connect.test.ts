// discover's clear failures: kubeconfig, unreachable or refusing API server, forbidden (with the ClusterRole), missing CRDs; exit 2, nothing written.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { clusterRoleYaml } from "../../discover/reads";
import { cli, CliRun } from "../support/cli";
import { hasOpenssl } from "../support/ca";
import {
  APPMESH_TYPES,
  serveMeshedCluster,
  startCluster,
  TestCluster,
} from "../support/discover-cluster";
import { KubeApiServer } from "../support/kube-api-server";

/** One user-facing line (or block) on stderr, exit 2, no stack trace, and no output directory. */
function refused(r: CliRun, out: string, pattern: RegExp): void {
  assert.equal(r.code, 2, `exit code; stderr: ${r.err}`);
  assert.match(r.err, /^meshlift: /);
  assert.match(r.err, pattern);
  assert.doesNotMatch(r.err, /\n\s+at .+\(.+:\d+:\d+\)/, "no stack trace");
  assert.doesNotMatch(r.err, /discover-token/, "the token never appears");
  assert.equal(fs.existsSync(out), false, "nothing written");
  assert.deepEqual(
    fs.readdirSync(path.dirname(out)).filter((f) => f.includes(".tmp-")),
    [],
    "no temporary directory left",
  );
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  const { port } = s.address() as net.AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

describe("meshlift discover: failures", () => {
  let c: TestCluster;
  let out: string;

  beforeEach(async () => {
    c = await startCluster();
    serveMeshedCluster(c.server);
    out = path.join(c.dir, "out");
  });
  afterEach(() => c.close());

  const run = (...more: string[]) => cli("discover", "--out", out, ...more);

  describe("kubeconfig", () => {
    it("no kubeconfig at all: says where it looked and how to get one", async () => {
      const saved = { HOME: process.env.HOME, KUBECONFIG: process.env.KUBECONFIG };
      process.env.HOME = c.dir;
      delete process.env.KUBECONFIG;
      try {
        refused(
          await run(),
          out,
          /no kubeconfig: pass --kubeconfig FILE, set KUBECONFIG, or create .*\.kube\/config \(for EKS: aws eks update-kubeconfig/,
        );
      } finally {
        process.env.HOME = saved.HOME;
        if (saved.KUBECONFIG !== undefined) process.env.KUBECONFIG = saved.KUBECONFIG;
      }
    });

    it("takes KUBECONFIG as kubectl does, skipping missing files", async () => {
      const saved = process.env.KUBECONFIG;
      process.env.KUBECONFIG = [path.join(c.dir, "missing"), c.kubeconfig].join(path.delimiter);
      try {
        const r = await run();
        assert.equal(r.code, 0, r.err);
      } finally {
        if (saved === undefined) delete process.env.KUBECONFIG;
        else process.env.KUBECONFIG = saved;
      }
    });

    it("missing file, directory, garbage, no contexts, huge: one message each", async () => {
      const garbage = path.join(c.dir, "garbage");
      fs.writeFileSync(garbage, "clusters: [ {{{ :\n\u0000\u0001");
      const noContexts = path.join(c.dir, "empty.yaml");
      fs.writeFileSync(noContexts, "apiVersion: v1\nkind: Config\n");
      const huge = path.join(c.dir, "huge.yaml");
      fs.writeFileSync(huge, "");
      fs.truncateSync(huge, 17 * 1024 * 1024);
      refused(
        await run("--kubeconfig", path.join(c.dir, "nope")),
        out,
        /--kubeconfig ".*nope": no such file/,
      );
      refused(await run("--kubeconfig", c.dir), out, /is a directory, not a kubeconfig file/);
      refused(await run("--kubeconfig", garbage), out, /is not a valid kubeconfig: /);
      refused(
        await run("--kubeconfig", noContexts),
        out,
        /is not a valid kubeconfig: it defines no contexts/,
      );
      refused(
        await run("--kubeconfig", huge),
        out,
        /is 17 MiB; a kubeconfig is a small YAML file \(limit 16 MiB\)/,
      );
      refused(await run("--kubeconfig", ""), out, /--kubeconfig: an empty path is not a file/);
    });

    it("an unknown --context names the contexts there are; a context without its cluster is named", async () => {
      refused(
        await run("--kubeconfig", c.kubeconfig, "--context", "prod"),
        out,
        /--context "prod" is not in the kubeconfig; contexts: test/,
      );
      const broken = path.join(c.dir, "broken.yaml");
      fs.writeFileSync(
        broken,
        c.server
          .kubeconfig({ context: "test" })
          .replace(/current-context: test/, "current-context: gone"),
      );
      refused(
        await run("--kubeconfig", broken),
        out,
        /current-context "gone" is not one of its contexts; pass --context \(one of: test\)/,
      );
    });
  });

  describe("API server", () => {
    it("unreachable: names the server and the context", async () => {
      const kc = c.server.writeKubeconfig(c.dir, {
        context: "down",
        server: `http://127.0.0.1:${await closedPort()}`,
      });
      refused(
        await run("--kubeconfig", kc),
        out,
        /cannot reach the API server http:\/\/127\.0\.0\.1:\d+ \(context "down"\): connection refused/,
      );
    });

    it("401: the credentials are refused", async () => {
      const kc = c.server.writeKubeconfig(c.dir, { context: "wrong", token: "not-the-token" });
      refused(
        await run("--kubeconfig", kc),
        out,
        /refused the credentials \(401 Unauthorized\).*aws sts get-caller-identity/,
      );
    });

    it("403: names every missing verb and resource, and prints the ClusterRole to grant", async () => {
      c.server.failOn({
        verb: "list",
        group: "appmesh.k8s.aws",
        resource: "virtualnodes",
        status: 403,
      });
      c.server.failOn({ verb: "list", resource: "pods", status: 403 });
      const r = await run("--kubeconfig", c.kubeconfig);
      refused(r, out, /forbids what discover must read as user "meshlift-test":/);
      assert.match(
        r.err,
        /- cannot list virtualnodes\.appmesh\.k8s\.aws at the cluster scope \(needed for App Mesh VirtualNode objects\)/,
      );
      assert.match(
        r.err,
        /- cannot list pods at the cluster scope \(needed for pods running the App Mesh Envoy\)/,
      );
      assert.ok(
        r.err.includes(clusterRoleYaml().trimEnd()),
        "the ClusterRole YAML is in the message",
      );
      assert.match(
        r.err,
        /kubectl create clusterrolebinding meshlift-discover --clusterrole=meshlift-discover --user="meshlift-test"/,
      );
    });

    it("403 in a namespace (second phase) names the namespace", async () => {
      c.server.failOn({ verb: "list", resource: "replicasets", namespace: "pay", status: 403 });
      refused(
        await run("--kubeconfig", c.kubeconfig),
        out,
        /- cannot list replicasets\.apps in namespace pay \(needed for pod owners\)/,
      );
    });

    it("--print-cluster-role prints the ClusterRole alone, without reading the cluster", async () => {
      const r = await cli("discover", "--print-cluster-role", "--kubeconfig", c.kubeconfig);
      assert.equal(r.code, 0, r.err);
      assert.equal(r.out, clusterRoleYaml());
      assert.deepEqual(c.server.requests, []);
    });

    it("no App Mesh CRDs, or some missing: exit 2 naming them", async () => {
      await c.close();
      c = await startCluster({ types: [] });
      out = path.join(c.dir, "out");
      refused(
        await run("--kubeconfig", c.kubeconfig),
        out,
        /no App Mesh CRDs \(appmesh\.k8s\.aws\) on http:\/\/127\.0\.0\.1:\d+ \(context "test"\): nothing to discover/,
      );
      await c.close();
      c = await startCluster();
      out = path.join(c.dir, "out");
      c.server.undefine("appmesh.k8s.aws", "v1beta2", "backendgroups");
      refused(
        await run("--kubeconfig", c.kubeconfig),
        out,
        /the App Mesh CRDs for backendgroups\.appmesh\.k8s\.aws \(appmesh\.k8s\.aws\/v1beta2\) are not installed/,
      );
    });

    it("retries a 500 or 503 and goes on; a lasting 500 is one message", async () => {
      c.server.failOn({ verb: "list", resource: "pods", status: 503, times: 1 });
      c.server.failOn({ verb: "list", resource: "virtualservices", status: 500, times: 2 });
      const ok = await run("--kubeconfig", c.kubeconfig);
      assert.equal(ok.code, 0, ok.err);
      fs.rmSync(out, { recursive: true });
      c.server.failOn({
        verb: "list",
        resource: "nodes",
        status: 500,
        message: "etcdserver: request timed out",
      });
      refused(
        await run("--kubeconfig", c.kubeconfig),
        out,
        /answered 500 InternalError on list nodes: etcdserver: request timed out/,
      );
    });

    it("a slow answer past --request-timeout is one message", async () => {
      c.server.failOn({ verb: "list", resource: "nodes", delayMs: 1500 });
      refused(
        await run("--kubeconfig", c.kubeconfig, "--request-timeout", "0.2"),
        out,
        /did not answer list nodes within 0\.2 s/,
      );
    });

    it("an exec credential plugin that fails or is missing is named", async () => {
      const plugin = path.join(c.dir, "plugin.js");
      fs.writeFileSync(
        plugin,
        `process.stderr.write("Unable to locate credentials. You can configure credentials by running \\"aws configure\\".\\n"); process.exit(255);`,
      );
      const failing = c.server.writeKubeconfig(c.dir, {
        context: "exec",
        exec: { command: process.execPath, args: [plugin] },
      });
      refused(
        await run("--kubeconfig", failing),
        out,
        /the credential plugin ".*node" of kubeconfig user "exec" failed: Unable to locate credentials/,
      );
      const missing = c.server.writeKubeconfig(c.dir, {
        context: "noaws",
        exec: { command: "meshlift-no-such-aws-cli" },
      });
      refused(
        await run("--kubeconfig", missing),
        out,
        /runs the credential plugin "meshlift-no-such-aws-cli", which is not on PATH/,
      );
      const good = path.join(c.dir, "good.js");
      fs.writeFileSync(
        good,
        `process.stdout.write(JSON.stringify({apiVersion:"client.authentication.k8s.io/v1",kind:"ExecCredential",status:{token:"discover-token",expirationTimestamp:new Date(Date.now()+600000).toISOString()}}));`,
      );
      const ok = await run(
        "--kubeconfig",
        c.server.writeKubeconfig(c.dir, {
          context: "goodexec",
          exec: { command: process.execPath, args: [good] },
        }),
      );
      assert.equal(ok.code, 0, ok.err);
    });

    it("-n of a namespace that does not exist", async () => {
      refused(
        await run("--kubeconfig", c.kubeconfig, "-n", "ghost"),
        out,
        /-n ghost: there is no namespace "ghost" in context "test"/,
      );
    });

    it("HTTPS with the kubeconfig's CA", async function () {
      if (!hasOpenssl()) {
        console.log("      (skipped: no openssl CLI for the test certificate)");
        this.skip();
      }
      const tls = await KubeApiServer.start({ tls: true, types: APPMESH_TYPES });
      try {
        serveMeshedCluster(tls);
        const r = await run("--kubeconfig", tls.writeKubeconfig(c.dir, { context: "tls" }));
        assert.equal(r.code, 0, r.err);
      } finally {
        await tls.close();
      }
    });
  });
});
