// `meshlift discover` end to end through main() against the local Kubernetes API server: files, entries, at-risk report, exit codes.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import { convert } from "../../../appmesh";
import { readExports } from "../../../config/exports";
import { discover, Inventory } from "../../../discover";
import { cli } from "../../support/cli";
import {
  APPMESH_TYPES,
  MESHED_CLUSTER,
  securityGroupPolicy,
  serveMeshedCluster,
  SGP_TYPE,
  startCluster,
  TestCluster,
} from "../../support/discover-cluster";

function withoutOrigin(r: ReturnType<typeof convert>) {
  return {
    objects: r.objects,
    findings: r.findings
      .map(({ severity, source, field, reason }) => ({ severity, source, field, reason }))
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
  };
}

describe("meshlift discover", () => {
  let c: TestCluster;
  let out: string;

  beforeEach(async () => {
    c = await startCluster({ types: [...APPMESH_TYPES, SGP_TYPE] });
    serveMeshedCluster(c.server);
    c.server.add(securityGroupPolicy("pay", "ledger-sg"));
    out = path.join(c.dir, "discovered");
  });
  afterEach(() => c.close());

  const run = (...more: string[]) =>
    cli("discover", "--kubeconfig", c.kubeconfig, "--out", out, ...more);
  const inventory = () =>
    JSON.parse(fs.readFileSync(path.join(out, "inventory.json"), "utf8")) as Inventory;

  it("writes one export per meshed namespace, inventory.json and summary.md, and prints the stack entries", async () => {
    const r = await run();
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(fs.readdirSync(out).sort(), ["exports", "inventory.json", "summary.md"]);
    assert.deepEqual(fs.readdirSync(path.join(out, "exports")).sort(), ["pay.yaml", "shop.yaml"]);
    const entries = YAML.parse(
      r.out
        .split("\n")
        .filter((l) => !l.startsWith("#"))
        .join("\n"),
    ) as unknown[];
    // pay first: its ledger pod sits on a cordoned node and an HPA scales it; shop is mid-rollout too, fewer pods... both at risk.
    assert.deepEqual(entries.map((e) => (e as { name: string }).name).sort(), ["pay", "shop"]);
    for (const e of entries as { name: string; state: string; appmeshExport: string }[]) {
      assert.equal(e.state, "appmesh");
      // Outside the project directory (the cwd) the path stays absolute.
      assert.equal(e.appmeshExport, `${out}/exports/${e.name}.yaml`);
    }
    const inv = inventory();
    assert.equal(inv.context, "test");
    assert.equal(inv.objects.VirtualNode, 2);
    assert.equal(inv.objects.Mesh, 1);
    assert.equal(inv.envoyPods, 3, "the Succeeded pod does not count");
    assert.deepEqual(inv.meshes, [
      { name: "shop-mesh", namespaces: ["pay", "shop"], egressFilter: "DROP_ALL" },
    ]);
    const shop = inv.namespaces.find((n) => n.name === "shop");
    assert.deepEqual(shop?.labels, { appmesh: "enabled", mesh: "shop-mesh" });
    assert.equal(shop?.services, 1);
    assert.equal(inv.ambient.awsNode.podSecurityGroupEnforcingMode, "strict");
    assert.deepEqual(inv.ambient.securityGroupPolicies, { installed: true, total: 1 });
    assert.equal(inv.ambient.fargatePods, 1);
    assert.deepEqual(
      inv.webhooks.map((w) => `${w.kind} ${w.name} ${w.owner}`),
      [
        "MutatingWebhookConfiguration appmesh-controller-mutating-webhook-configuration appmesh",
        "ValidatingWebhookConfiguration istio-validator-istio-system istio",
      ],
    );
    const summary = fs.readFileSync(path.join(out, "summary.md"), "utf8");
    assert.match(summary, /## At risk now/);
    assert.match(
      summary,
      /kubectl --context test label namespace pay appmesh\.k8s\.aws\/sidecarInjectorWebhook=disabled --overwrite/,
    );
    assert.match(r.err, /AT RISK: 3 pod\(s\) in 2 namespace\(s\)/);
  });

  it("reports the pods at risk with their owners and what restarts them soon", async () => {
    assert.equal((await run()).code, 0);
    const risk = inventory().atRisk;
    assert.deepEqual(
      risk.map((r) => [r.namespace, r.pods, r.restartSoon]),
      [
        ["shop", 2, true],
        ["pay", 1, true],
      ],
    );
    const [shop, pay] = risk;
    assert.deepEqual(
      shop.owners.map((o) => `${o.kind} ${o.name} ${o.pods}`),
      ["Deployment cart 2"],
    );
    assert.match(
      shop.owners[0].restartSoon.join(";"),
      /rollout in progress \(1 of 2 replicas updated\)/,
    );
    assert.equal(pay.owners[0].name, "ledger", "pod -> ReplicaSet -> Deployment");
    assert.match(
      pay.owners[0].restartSoon.join(";"),
      /HPA ledger scales it between 2 and 8 \(now 2\)/,
    );
    assert.match(
      pay.owners[0].restartSoon.join(";"),
      /1 pod\(s\) on nodes being drained \(ip-10-0-2-2\.ec2\.internal cordoned\)/,
    );
    assert.equal(pay.injection, "enabled");
    assert.equal(
      pay.stopInjection,
      "kubectl --context test label namespace pay appmesh.k8s.aws/sidecarInjectorWebhook=disabled --overwrite",
    );
  });

  it("exports what convert and appmeshExport read, without cluster state or env values", async () => {
    assert.equal((await run()).code, 0);
    const shop = fs.readFileSync(path.join(out, "exports", "shop.yaml"), "utf8");
    assert.match(shop, /^# App Mesh export of namespace shop from context "test"/);
    for (const gone of [
      "managedFields",
      "resourceVersion",
      "uid:",
      "creationTimestamp",
      "last-applied-configuration",
      "deployment.kubernetes.io/revision",
      "status:",
      "clusterIP",
      "hunter2",
    ]) {
      assert.ok(!shop.includes(gone), `${gone} is stripped`);
    }
    assert.match(shop, /secretKeyRef/, "valueFrom references stay");
    const docs = YAML.parseAllDocuments(shop).map(
      (d) => d.toJS() as { kind: string; metadata: { name: string; namespace?: string } },
    );
    assert.deepEqual(
      docs.map((d) => `${d.kind} ${d.metadata.namespace ?? ""}/${d.metadata.name}`),
      [
        "Mesh /shop-mesh",
        "VirtualNode shop/cart",
        "VirtualService shop/cart",
        "Service shop/cart",
        "Deployment shop/cart",
        "DaemonSet kube-system/aws-node",
      ],
    );
    const pay = YAML.parseAllDocuments(
      fs.readFileSync(path.join(out, "exports", "pay.yaml"), "utf8"),
    ).map((d) => d.toJS() as { kind: string; metadata: { name: string } });
    assert.ok(pay.some((d) => d.kind === "SecurityGroupPolicy" && d.metadata.name === "ledger-sg"));
    assert.ok(pay.some((d) => d.kind === "Pod" && d.metadata.name === "ledger-fargate"));

    // Read back as the stack reads it, and converted together equal to the served objects converted.
    const project = path.dirname(out);
    const { inputs, problems } = readExports(
      [
        {
          name: "shop",
          state: "appmesh",
          appmeshExport: "discovered/exports/shop.yaml",
          deployments: [],
        },
        {
          name: "pay",
          state: "appmesh",
          appmeshExport: "discovered/exports/pay.yaml",
          deployments: [],
        },
      ],
      project,
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(
      inputs.map((i) => i.deployments),
      [["cart"], ["ledger"]],
    );
    assert.deepEqual(
      inputs.map((i) => i.meshes),
      [["shop-mesh"], ["shop-mesh"]],
    );
    const discovered = convert([...inputs.flatMap((i) => i.files)]);
    const original = convert([{ path: "cluster.yaml", content: MESHED_CLUSTER }]);
    const d = withoutOrigin(discovered);
    const o = withoutOrigin(original);
    assert.deepEqual(d.objects, o.objects);
    // The exports add the Fargate pod and the SecurityGroupPolicy for the ambient precheck (info findings); nothing else differs.
    assert.deepEqual(
      d.findings.filter((f) => !/^(Pod|SecurityGroupPolicy) /.test(f.source)),
      o.findings,
    );
  });

  it("carries the Services of namespaces the App Mesh objects point into, so `svc.ns` names resolve as in the cluster", async () => {
    const extra = [
      { apiVersion: "v1", kind: "Namespace", metadata: { name: "backend" } },
      {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: "legacy", namespace: "backend" },
        spec: { selector: { app: "legacy" }, ports: [{ name: "http", port: 80 }] },
      },
      {
        apiVersion: "appmesh.k8s.aws/v1beta2",
        kind: "VirtualNode",
        metadata: { name: "legacy", namespace: "shop" },
        spec: {
          listeners: [{ portMapping: { port: 80, protocol: "http" } }],
          serviceDiscovery: { dns: { hostname: "legacy.backend" } },
        },
      },
    ];
    for (const o of extra) c.server.add(o);
    assert.equal((await run()).code, 0);
    assert.deepEqual(
      fs.readdirSync(path.join(out, "exports")).sort(),
      ["pay.yaml", "shop.yaml"],
      "backend holds no App Mesh: not exported",
    );
    const shop = fs.readFileSync(path.join(out, "exports", "shop.yaml"), "utf8");
    const docs = YAML.parseAllDocuments(shop).map(
      (d) => d.toJS() as { kind: string; metadata: { name: string; namespace: string } },
    );
    assert.ok(docs.some((d) => d.kind === "Service" && d.metadata.namespace === "backend"));
    const files = ["shop", "pay"].map((n) => ({
      path: `${n}.yaml`,
      content: fs.readFileSync(path.join(out, "exports", `${n}.yaml`), "utf8"),
    }));
    const served = [MESHED_CLUSTER, ...extra.map((o) => YAML.stringify(o))].join("\n---\n");
    assert.deepEqual(
      withoutOrigin(convert(files)).objects,
      withoutOrigin(convert([{ path: "all.yaml", content: served }])).objects,
    );
    const withoutService = shop
      .split(/^---$/m)
      .filter((d) => !/namespace: backend/.test(d))
      .join("---");
    assert.notDeepEqual(
      convert([{ path: "shop.yaml", content: withoutService }, files[1]]).objects,
      convert(files).objects,
      "without that Service the name would not resolve to the cluster",
    );
  });

  it("reports appmesh.k8s.aws/v1beta1 objects (controller before v1.0) as legacy, without exporting them", async () => {
    await c.close();
    c = await startCluster({
      types: ["meshes", "virtualnodes", "virtualservices"].map((resource, i) => ({
        group: "appmesh.k8s.aws",
        version: "v1beta1",
        resource,
        kind: ["Mesh", "VirtualNode", "VirtualService"][i],
        namespaced: i > 0,
      })),
    });
    out = path.join(c.dir, "discovered");
    c.server.add({ apiVersion: "v1", kind: "Namespace", metadata: { name: "old" } });
    c.server.add({
      apiVersion: "appmesh.k8s.aws/v1beta1",
      kind: "VirtualNode",
      metadata: { name: "n", namespace: "old" },
      spec: { meshName: "m" },
    });
    const r = await run();
    assert.equal(r.code, 0, r.err);
    const inv = inventory();
    assert.deepEqual(inv.appmesh.servedVersions, ["v1beta1"]);
    assert.deepEqual(inv.appmesh.legacyObjects, ["VirtualNode old/n"]);
    assert.equal(inv.namespaces[0].legacyObjects, 1);
    assert.doesNotMatch(fs.readFileSync(path.join(out, "exports", "old.yaml"), "utf8"), /v1beta1/);
    assert.match(
      fs.readFileSync(path.join(out, "summary.md"), "utf8"),
      /Legacy App Mesh API.*Upgrade the controller/,
    );
  });

  it("an object the converter rejects (a weight the CRD forbids) is a precheck blocker of its namespace, not a failure", async () => {
    c.server.update("appmesh.k8s.aws/v1beta2", "VirtualRouter", "pay", "ledger-router", (o) => {
      (
        o.spec as { routes: { httpRoute: { action: { weightedTargets: { weight: number }[] } } }[] }
      ).routes[0].httpRoute.action.weightedTargets[0].weight = 500;
    });
    const r = await run();
    assert.equal(r.code, 0, r.err);
    const pay = inventory().namespaces.find((n) => n.name === "pay");
    assert.equal(pay?.precheck.blocker, 1);
    assert.match(
      pay?.precheck.error ?? "",
      /the converter rejects this export: exports\/pay\.yaml.*weight/,
    );
    assert.match(r.err, /1 precheck blocker\(s\)/);
  });

  it("names the exports relative to the project directory when --out is inside it", async () => {
    const cwd = process.cwd();
    process.chdir(c.dir);
    try {
      const r = await cli(
        "discover",
        "--kubeconfig",
        c.kubeconfig,
        "--out",
        "stacks/appmesh-exports/test/",
      );
      assert.equal(r.code, 0, r.err);
      assert.match(
        r.out,
        /^ {2}appmeshExport: stacks\/appmesh-exports\/test\/exports\/shop\.yaml$/m,
      );
      assert.ok(fs.existsSync(path.join(c.dir, "stacks/appmesh-exports/test/exports/shop.yaml")));
    } finally {
      process.chdir(cwd);
    }
  });

  it("shows progress on stderr only when it is a terminal", async () => {
    const tty = process.stderr.isTTY;
    try {
      process.stderr.isTTY = false;
      const quiet = await run();
      assert.doesNotMatch(quiet.err, /\r/);
      fs.rmSync(out, { recursive: true });
      process.stderr.isTTY = true;
      const live = await run();
      assert.equal(live.code, 0, live.err);
      const CLEAR = "\r\u001b[K";
      assert.ok(live.err.includes(`${CLEAR}discover: `), live.err);
      assert.match(live.err, /object\(s\) read/);
      assert.ok(
        live.err.includes(`${CLEAR}meshlift: 2 namespace(s)`),
        "the progress line is cleared before the result",
      );
      assert.doesNotMatch(live.out, /\r/, "stdout keeps only the entries");
    } finally {
      process.stderr.isTTY = tty;
    }
  });

  it("keeps at most 8 requests in flight, however many namespaces it reads", async () => {
    for (let i = 0; i < 30; i++) {
      const ns = `team-${i}`;
      c.server.add({
        apiVersion: "v1",
        kind: "Namespace",
        metadata: { name: ns, labels: { mesh: "shop-mesh" } },
      });
    }
    // A slow server, so that requests overlap as they would on a real cluster.
    c.server.failOn({ verb: "list", delayMs: 15 });
    assert.equal((await run()).code, 0);
    assert.equal(inventory().namespaces.length, 32);
    assert.ok(
      c.server.maxInFlight > 1 && c.server.maxInFlight <= 8,
      `max in flight: ${c.server.maxInFlight}`,
    );
  });

  it("reads lists in pages of limit/continue", async () => {
    for (let i = 0; i < 7; i++) {
      c.server.add({
        apiVersion: "appmesh.k8s.aws/v1beta2",
        kind: "VirtualNode",
        metadata: { name: `extra-${i}`, namespace: "shop" },
        spec: {},
      });
    }
    const r = await discover({
      kubeconfig: c.kubeconfig,
      outDir: out,
      pageSize: 3,
      generatedAt: "2026-12-01T00:00:00Z",
    });
    assert.equal(r.inventory.objects.VirtualNode, 9);
    const pages = c.server.requests.filter(
      (q) => q.path === "/apis/appmesh.k8s.aws/v1beta2/virtualnodes",
    );
    assert.equal(pages.length, 3);
    assert.deepEqual(
      pages.map((p) => p.query.limit),
      ["3", "3", "3"],
    );
    assert.ok(pages[1].query.continue && pages[2].query.continue);
  });

  it("with -n reads only those namespaces and their references", async () => {
    const r = await run("-n", "shop");
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(fs.readdirSync(path.join(out, "exports")), ["shop.yaml"]);
    const inv = inventory();
    assert.deepEqual(inv.requested, ["shop"]);
    assert.deepEqual(
      inv.atRisk.map((x) => x.namespace),
      ["shop"],
    );
    const paths = new Set(c.server.requests.map((q) => q.path));
    assert.ok(paths.has("/apis/appmesh.k8s.aws/v1beta2/namespaces/shop/virtualnodes"));
    assert.ok(
      !paths.has("/apis/appmesh.k8s.aws/v1beta2/virtualnodes"),
      "no cluster-wide list of namespaced kinds",
    );
    assert.ok(paths.has("/api/v1/namespaces/pay/services"), "Services of the referenced namespace");
    assert.ok(!paths.has("/api/v1/namespaces/pay/deployments"));
  });

  it("replaces an earlier discover output as a whole, and refuses a directory of other files", async () => {
    assert.equal((await run()).code, 0);
    c.server.remove("appmesh.k8s.aws/v1beta2", "VirtualNode", "pay", "ledger");
    c.server.remove("appmesh.k8s.aws/v1beta2", "VirtualRouter", "pay", "ledger-router");
    c.server.remove("appmesh.k8s.aws/v1beta2", "VirtualService", "pay", "ledger");
    assert.equal((await run()).code, 0);
    assert.ok(
      fs.existsSync(path.join(out, "exports", "pay.yaml")),
      "pay still runs Envoy pods and carries the label",
    );
    assert.deepEqual(
      fs.readdirSync(c.dir).filter((f) => f.startsWith(".discovered")),
      [],
      "no temporary directory left",
    );
    const other = path.join(c.dir, "notes");
    fs.mkdirSync(other);
    fs.writeFileSync(path.join(other, "todo.txt"), "keep me");
    const r = await cli("discover", "--kubeconfig", c.kubeconfig, "--out", other);
    assert.equal(r.code, 2);
    assert.match(r.err, /is a directory with other files/);
    assert.equal(fs.readFileSync(path.join(other, "todo.txt"), "utf8"), "keep me");
  });

  it("reports a cluster without pods at risk, Istio labels and no SecurityGroupPolicy CRD", async () => {
    await c.close();
    c = await startCluster();
    c.server.add({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: "shop", labels: { mesh: "m", "istio-injection": "enabled" } },
    });
    c.server.add({
      apiVersion: "appmesh.k8s.aws/v1beta2",
      kind: "Mesh",
      metadata: { name: "m" },
      spec: { namespaceSelector: { matchLabels: { mesh: "m" } } },
    });
    out = path.join(c.dir, "discovered");
    const r = await run();
    assert.equal(r.code, 0, r.err);
    const inv = inventory();
    assert.deepEqual(inv.atRisk, []);
    assert.deepEqual(
      inv.namespaces.map((n) => [n.name, n.labels.istioInjection]),
      [["shop", "enabled"]],
    );
    assert.deepEqual(inv.ambient.securityGroupPolicies, { installed: false, total: 0 });
    assert.deepEqual(inv.ambient.awsNode, { present: false });
    assert.match(
      fs.readFileSync(path.join(out, "summary.md"), "utf8"),
      /No pod runs the App Mesh Envoy/,
    );
    assert.doesNotMatch(r.err, /AT RISK/);
  });
});
