// `meshlift verify` against a local HTTPS Kubernetes API server: fixture pods in each state, the exit codes, and hostile input.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { cli } from "../../support/cli";
import { KubeApiServer } from "../../support/kube-api-server";
import { pod } from "../../support/verify-pods";

describe("meshlift verify", () => {
  let server: KubeApiServer;
  let dir: string;
  let kubeconfig: string;
  const verify = (...extra: string[]) =>
    cli("verify", "--stack", "dev", "--phase", "workloads", "--kubeconfig", kubeconfig, ...extra);

  before(async () => {
    server = await KubeApiServer.start({ tls: true, token: "verify-token" });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "meshlift-verify-"));
    kubeconfig = server.writeKubeconfig(dir, { context: "test" });
  });
  after(async () => {
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => {
    server.clearFailures();
    for (const ns of ["shop", "payments", "other"]) {
      for (const p of server.list("v1", "Pod", ns)) {
        server.remove("v1", "Pod", ns, (p.metadata as { name: string }).name);
      }
    }
  });

  it("passes when every pod of the migrated namespaces runs a ready Istio proxy and no App Mesh Envoy", async () => {
    server.add(pod("shop", "cart-1", { istio: "container" }));
    server.add(pod("shop", "storefront-1", { istio: "native" }));
    server.add(pod("payments", "ledger-1", { istio: "container" }));
    // Finished pods restart nothing; namespaces the stack does not list are not checked.
    server.add(pod("shop", "migrate-job", { phase: "Succeeded", envoy: true }));
    server.add(pod("other", "unrelated", { envoy: true }));
    const r = await verify();
    assert.equal(r.code, 0, r.err);
    assert.match(
      r.out,
      /3 pod\(s\) checked in 2 namespace\(s\) \(shop, payments\): every pod runs the Istio data plane/,
    );
    assert.match(r.out, /context test/);
  });

  it("reports each pod that did not change sides and exits 3", async () => {
    server.add(pod("shop", "cart-old", { envoy: true }));
    server.add(pod("shop", "cart-both", { envoy: true, istio: "container" }));
    server.add(pod("shop", "storefront-bare"));
    server.add(pod("shop", "storefront-optout", { optOut: true }));
    server.add(
      pod("payments", "ledger-starting", {
        istio: "container",
        ready: false,
        waiting: "ContainerCreating",
      }),
    );
    server.add(pod("payments", "ledger-native", { istio: "native", ready: false }));
    server.add(pod("payments", "ledger-ok", { istio: "container" }));
    const r = await verify("--json");
    assert.equal(r.code, 3, r.err);
    const report = JSON.parse(r.out) as {
      phase: string;
      pods: number;
      findings: { namespace: string; pod: string; problem: string; detail: string }[];
    };
    assert.equal(report.phase, "workloads");
    assert.equal(report.pods, 7);
    assert.deepEqual(
      report.findings.map((f) => `${f.namespace}/${f.pod} ${f.problem}`),
      [
        "shop/cart-both both-proxies",
        "shop/cart-old appmesh-envoy",
        "shop/storefront-bare no-istio-proxy",
        "shop/storefront-optout no-istio-proxy",
        "payments/ledger-native proxy-not-ready",
        "payments/ledger-starting proxy-not-ready",
      ],
    );
    assert.match(report.findings[3].detail, /sets sidecar\.istio\.io\/inject=false/);
    assert.match(report.findings[5].detail, /ContainerCreating/);
    const text = await verify();
    assert.equal(text.code, 3);
    assert.match(
      text.out,
      /6 problem\(s\): 1 appmesh-envoy, 1 both-proxies, 2 no-istio-proxy, 2 proxy-not-ready/,
    );
    assert.match(text.out, /shop\/cart-old {2}appmesh-envoy {2}still runs the App Mesh Envoy/);
  });

  it("reads every page of a large namespace", async () => {
    for (let i = 0; i < 1200; i++)
      server.add(pod("shop", `cart-${String(i).padStart(4, "0")}`, { istio: "container" }));
    server.add(pod("shop", "zz-last", { envoy: true }));
    const r = await verify("--json");
    assert.equal(r.code, 3);
    const report = JSON.parse(r.out) as { pods: number; findings: { pod: string }[] };
    assert.equal(report.pods, 1201);
    assert.deepEqual(
      report.findings.map((f) => f.pod),
      ["zz-last"],
    );
  });

  it("has nothing to verify in a phase where no namespace runs on Istio", async () => {
    const r = await cli(
      "verify",
      "--stack",
      "dev",
      "--phase",
      "parallel",
      "--kubeconfig",
      kubeconfig,
    );
    assert.equal(r.code, 0);
    assert.match(
      r.err,
      /no namespace of stack dev runs on Istio at phase parallel: nothing to verify/,
    );
  });

  describe("hostile input", () => {
    it("refuses an unknown phase, stack and timeout with exit 2 and one line", async () => {
      for (const argv of [
        ["--phase", "later"],
        ["--phase", "x".repeat(10000)],
        ["--phase", "__proto__"],
        ["--request-timeout", "-1"],
        ["--request-timeout", "1e9"],
      ]) {
        const r = await verify(...argv);
        assert.equal(r.code, 2, `${argv.join(" ").slice(0, 40)}: ${r.err}`);
        assert.ok(r.err.split("\n")[0].length < 400, r.err.slice(0, 100));
        assert.doesNotMatch(r.err, /\n\s+at /);
      }
      for (const stack of ["nope", "../etc/passwd", "dev\u0000", "ünïcode"]) {
        const r = await cli("verify", "--stack", stack, "--kubeconfig", kubeconfig);
        assert.equal(r.code, 2, `${stack}: ${r.err}`);
        assert.doesNotMatch(r.err, /\n\s+at /);
      }
    });

    it("refuses a missing, directory or garbage kubeconfig with exit 2", async () => {
      const garbage = path.join(dir, "garbage");
      fs.writeFileSync(garbage, "{{{ not yaml");
      for (const k of [path.join(dir, "missing"), dir, garbage]) {
        const r = await cli("verify", "--stack", "dev", "--phase", "workloads", "--kubeconfig", k);
        assert.equal(r.code, 2, r.err);
        assert.match(r.err, /kubeconfig/);
      }
    });

    it("names the missing permission on a 403, and gives up on a slow server, with exit 2", async () => {
      server.failOn({ verb: "list", resource: "pods", namespace: "payments", status: 403 });
      const forbidden = await verify();
      assert.equal(forbidden.code, 2, forbidden.err);
      assert.match(
        forbidden.err,
        /list pods in namespace payments.*verify needs get\/list on pods/,
      );
      server.clearFailures();
      server.failOn({ verb: "list", resource: "pods", delayMs: 3000 });
      const slow = await verify("--request-timeout", "0.5");
      assert.equal(slow.code, 2, slow.err);
      server.clearFailures();
      server.failOn({ verb: "list", resource: "pods", status: 500, times: 2 });
      server.add(pod("shop", "cart-1", { istio: "container" }));
      const retried = await verify();
      assert.equal(retried.code, 0, retried.err);
    });

    it("prints hostile pod names as text, one finding each", async () => {
      server.add(pod("shop", "evil\u001b[31m-pod", { envoy: true }));
      const r = await verify();
      assert.equal(r.code, 3);
      assert.ok(!r.out.includes("\u001b"), "no terminal escape reaches the output");
    });
  });
});
