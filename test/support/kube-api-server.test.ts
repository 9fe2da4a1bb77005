// The local Kubernetes API server answers the real @kubernetes/client-node as an API server would.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { kubeClient, KubeClient } from "../../discover/kube-client";
import { hasOpenssl } from "./ca";
import {
  jsonPatch,
  KubeApiServer,
  mergePatch,
  parseLabelSelector,
  ResourceType,
} from "./kube-api-server";

const WIDGETS: ResourceType = {
  group: "example.com",
  version: "v1",
  resource: "widgets",
  kind: "Widget",
  namespaced: true,
};
const GADGETS: ResourceType = {
  group: "example.com",
  version: "v1",
  resource: "gadgets",
  kind: "Gadget",
  namespaced: false,
};

/** Widget shop/w1 as the custom objects API names it. */
const W1 = {
  group: "example.com",
  version: "v1",
  namespace: "shop",
  plural: "widgets",
  name: "w1",
};

function widget(ns: string, name: string, spec: Record<string, unknown> = { size: 1 }) {
  return { apiVersion: "example.com/v1", kind: "Widget", metadata: { name, namespace: ns }, spec };
}

/** The ApiException a client call rejects with. */
async function rejection(p: Promise<unknown>): Promise<{ code: number; body: unknown }> {
  try {
    await p;
  } catch (e) {
    const x = e as { code?: number; body?: unknown };
    assert.equal(typeof x.code, "number", `not an ApiException: ${String(e)}`);
    return { code: x.code as number, body: x.body };
  }
  throw new Error("the call succeeded");
}

function bodyOf(b: unknown): Record<string, unknown> {
  return (typeof b === "string" ? JSON.parse(b) : b) as Record<string, unknown>;
}

describe("KubeApiServer (test support) with @kubernetes/client-node", () => {
  let k8s: KubeClient;
  let server: KubeApiServer;
  let dir: string;
  let kc: InstanceType<KubeClient["KubeConfig"]>;

  before(async () => {
    k8s = await kubeClient();
  });

  beforeEach(async () => {
    server = await KubeApiServer.start({ token: "t0ken", types: [WIDGETS, GADGETS] });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "kube-api-test-"));
    kc = new k8s.KubeConfig();
    kc.loadFromFile(server.writeKubeconfig(dir));
  });

  afterEach(async () => {
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("lists in pages with limit and continue, as a NamespaceList with a resourceVersion", async () => {
    for (const n of ["a", "b", "c", "d", "e"]) {
      server.add({
        apiVersion: "v1",
        kind: "Namespace",
        metadata: { name: n, labels: { tier: n < "c" ? "low" : "high" } },
      });
    }
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await core.listNamespace({ limit: 2, ...(token ? { _continue: token } : {}) });
      assert.equal(page.kind, "NamespaceList");
      assert.match(page.metadata?.resourceVersion ?? "", /^\d+$/);
      names.push(...page.items.map((n) => n.metadata?.name ?? ""));
      token = page.metadata?._continue;
      pages += 1;
    } while (token);
    assert.deepEqual(names, ["a", "b", "c", "d", "e"]);
    assert.equal(pages, 3);
    const high = await core.listNamespace({ labelSelector: "tier in (high),!missing" });
    assert.deepEqual(
      high.items.map((n) => n.metadata?.name),
      ["c", "d", "e"],
    );
    const listed = server.requests.filter((r) => r.path === "/api/v1/namespaces");
    assert.equal(listed[1].query.limit, "2");
    assert.ok(listed[1].query.continue, "the second page sends the continue token");
    assert.equal(listed[0].headers.authorization, "Bearer t0ken");
  });

  it("serves custom resources across namespaces, in one namespace and by name, with kind and apiVersion on items", async () => {
    server.add(widget("shop", "w1"));
    server.add(widget("pay", "w2"));
    server.add({ apiVersion: "example.com/v1", kind: "Gadget", metadata: { name: "g" }, spec: {} });
    const co = kc.makeApiClient(k8s.CustomObjectsApi);
    const all = await co.listClusterCustomObject({
      group: "example.com",
      version: "v1",
      plural: "widgets",
    });
    assert.equal(all.kind, "WidgetList");
    assert.deepEqual(
      all.items.map(
        (w: { metadata: { namespace: string; name: string }; kind: string }) =>
          `${w.kind} ${w.metadata.namespace}/${w.metadata.name}`,
      ),
      ["Widget pay/w2", "Widget shop/w1"],
    );
    const shop = await co.listNamespacedCustomObject({
      group: "example.com",
      version: "v1",
      namespace: "shop",
      plural: "widgets",
    });
    assert.equal(shop.items.length, 1);
    const got = await co.getNamespacedCustomObject({
      group: "example.com",
      version: "v1",
      namespace: "shop",
      plural: "widgets",
      name: "w1",
    });
    assert.equal(got.spec.size, 1);
    assert.match(got.metadata.uid, /^[0-9a-f-]{36}$/);
    const gadgets = await co.listClusterCustomObject({
      group: "example.com",
      version: "v1",
      plural: "gadgets",
    });
    assert.equal(gadgets.items[0].metadata.namespace, undefined);
    const missing = await rejection(
      co.getNamespacedCustomObject({
        group: "example.com",
        version: "v1",
        namespace: "shop",
        plural: "widgets",
        name: "nope",
      }),
    );
    assert.equal(missing.code, 404);
    assert.equal(bodyOf(missing.body).reason, "NotFound");
    assert.equal(bodyOf(missing.body).message, 'widgets.example.com "nope" not found');
  });

  it("patches with merge patch, JSON patch (the client's default) and server-side apply; status only through its subresource", async () => {
    server.add({ ...widget("shop", "w1", { size: 1, color: "red" }), status: { phase: "Idle" } });
    const co = kc.makeApiClient(k8s.CustomObjectsApi);
    const ref = W1;
    const merged = await co.patchNamespacedCustomObject(
      { ...ref, body: { spec: { size: 2, color: null }, status: { phase: "Ignored" } } },
      k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.MergePatch),
    );
    assert.deepEqual(merged.spec, { size: 2 });
    assert.deepEqual(merged.status, { phase: "Idle" }, "the object endpoint keeps status");
    assert.equal(merged.metadata.generation, 2, "a spec change bumps the generation");

    const jp = await co.patchNamespacedCustomObject({
      ...ref,
      body: [{ op: "replace", path: "/spec/size", value: 3 }],
    });
    assert.equal(jp.spec.size, 3);
    assert.equal(server.requests.at(-1)?.headers["content-type"], "application/json-patch+json");

    const status = await co.patchNamespacedCustomObjectStatus(
      { ...ref, body: { status: { phase: "Running" }, spec: { size: 99 } } },
      k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.MergePatch),
    );
    assert.deepEqual(status.status, { phase: "Running" });
    assert.equal(status.spec.size, 3, "the status endpoint changes nothing else");
    assert.equal(status.metadata.generation, 3, "a status change keeps the generation");

    const applied = await co.patchNamespacedCustomObject(
      { ...ref, name: "w2", fieldManager: "meshlift", body: widget("shop", "w2", { size: 7 }) },
      k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.ServerSideApply),
    );
    assert.equal(applied.spec.size, 7, "apply creates a missing object");
    assert.equal(applied.metadata.managedFields[0].manager, "meshlift");
    assert.equal(applied.metadata.managedFields[0].operation, "Apply");
    const noManager = await rejection(
      co.patchNamespacedCustomObject(
        { ...ref, body: widget("shop", "w1") },
        k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.ServerSideApply),
      ),
    );
    assert.equal(noManager.code, 400);
    const strategic = await rejection(
      co.patchNamespacedCustomObject(
        { ...ref, body: { spec: {} } },
        k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.StrategicMergePatch),
      ),
    );
    assert.equal(strategic.code, 415, "custom resources refuse strategic merge patches");
  });

  it("replaces with a resourceVersion check and reports conflicts as 409", async () => {
    const stored = server.add(widget("shop", "w1"));
    const co = kc.makeApiClient(k8s.CustomObjectsApi);
    const ref = W1;
    const body = { ...widget("shop", "w1", { size: 5 }), metadata: { ...stored.metadata } };
    const replaced = await co.replaceNamespacedCustomObject({ ...ref, body });
    assert.equal(replaced.spec.size, 5);
    const stale = await rejection(co.replaceNamespacedCustomObject({ ...ref, body }));
    assert.equal(stale.code, 409);
    assert.equal(bodyOf(stale.body).reason, "Conflict");
  });

  it("creates, reports AlreadyExists, and deletes through the typed API", async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const cm = { metadata: { name: "c1", namespace: "shop" }, data: { a: "1" } };
    const created = await core.createNamespacedConfigMap({ namespace: "shop", body: cm });
    assert.equal(created.data?.a, "1");
    assert.equal(created.metadata?.namespace, "shop");
    const again = await rejection(core.createNamespacedConfigMap({ namespace: "shop", body: cm }));
    assert.equal(again.code, 409);
    assert.equal(bodyOf(again.body).reason, "AlreadyExists");
    await core.deleteNamespacedConfigMap({ namespace: "shop", name: "c1" });
    assert.equal(server.get("v1", "ConfigMap", "shop", "c1"), undefined);
  });

  it("streams watch events: the current objects, then MODIFIED, DELETED and a BOOKMARK; a resourceVersion replays from there", async () => {
    server.add(widget("shop", "w1"));
    const events: string[] = [];
    let resolveDone: (() => void) | undefined;
    const want = (n: number) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`watch events so far: ${events.join(", ")}`)),
          5000,
        );
        resolveDone = () => {
          if (events.length >= n) {
            clearTimeout(timer);
            resolve();
          }
        };
        resolveDone();
      });
    const watch = new k8s.Watch(kc);
    const ctl = await watch.watch(
      "/apis/example.com/v1/namespaces/shop/widgets",
      { allowWatchBookmarks: true },
      (type, obj: { metadata: { name?: string; resourceVersion: string } }) => {
        events.push(`${type} ${obj.metadata.name ?? obj.metadata.resourceVersion}`);
        resolveDone?.();
      },
      () => undefined,
    );
    await want(1);
    const rvAfterAdd = String(
      server.get("example.com/v1", "Widget", "shop", "w1")?.metadata?.resourceVersion,
    );
    server.update("example.com/v1", "Widget", "shop", "w1", (o) => {
      o.status = { phase: "Ready" };
    });
    server.add(widget("other", "ignored"));
    server.remove("example.com/v1", "Widget", "shop", "w1");
    server.bookmark();
    await want(4);
    ctl.abort();
    assert.deepEqual(events.slice(0, 3), ["ADDED w1", "MODIFIED w1", "DELETED w1"]);
    assert.match(events[3], /^BOOKMARK \d+$/);

    const replay: string[] = [];
    let replayed: () => void = () => undefined;
    const two = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`replayed: ${replay.join(", ")}`)), 5000);
      replayed = () => {
        if (replay.length < 2) return;
        clearTimeout(timer);
        resolve();
      };
    });
    const replayCtl = await watch.watch(
      "/apis/example.com/v1/namespaces/shop/widgets",
      { resourceVersion: rvAfterAdd },
      (type) => {
        replay.push(type);
        replayed();
      },
      () => undefined,
    );
    await two;
    replayCtl.abort();
    assert.deepEqual(replay, ["MODIFIED", "DELETED"]);
  });

  it("answers discovery so KubernetesObjectApi finds plural and scope of core and custom kinds", async () => {
    server.add(widget("shop", "w1"));
    server.add({ apiVersion: "v1", kind: "Namespace", metadata: { name: "shop" } });
    const objects = kc.makeApiClient(k8s.KubernetesObjectApi);
    const w = await objects.read({
      apiVersion: "example.com/v1",
      kind: "Widget",
      metadata: { name: "w1", namespace: "shop" },
    });
    assert.equal(w.metadata?.name, "w1");
    const ns = await objects.read({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: "shop" },
    });
    assert.equal(ns.metadata?.name, "shop");
    const paths = server.requests.map((r) => r.path);
    assert.ok(paths.includes("/apis/example.com/v1") && paths.includes("/api/v1"), paths.join(" "));
    const apis = kc.makeApiClient(k8s.ApisApi);
    const groups = await apis.getAPIVersions();
    assert.ok(
      groups.groups.some((g) => g.name === "example.com" && g.preferredVersion?.version === "v1"),
    );
  });

  it("injects 401, 403 (naming verb, resource and scope), 500 and delays; an uninstalled CRD answers 404 page not found", async () => {
    const co = kc.makeApiClient(k8s.CustomObjectsApi);
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const clear = server.failOn({
      verb: "list",
      group: "example.com",
      resource: "widgets",
      status: 403,
    });
    const forbidden = await rejection(
      co.listClusterCustomObject({ group: "example.com", version: "v1", plural: "widgets" }),
    );
    assert.equal(forbidden.code, 403);
    const body = bodyOf(forbidden.body);
    assert.equal(body.kind, "Status");
    assert.equal(
      body.message,
      'widgets.example.com is forbidden: User "meshlift-test" cannot list resource "widgets" in API group "example.com" at the cluster scope',
    );
    assert.deepEqual(body.details, { group: "example.com", kind: "widgets" });
    clear();
    server.failOn({ verb: "list", resource: "pods", namespace: "shop", status: 403 });
    const pods = await rejection(core.listNamespacedPod({ namespace: "shop" }));
    assert.match(
      String(bodyOf(pods.body).message),
      /cannot list resource "pods" in API group "" in the namespace "shop"$/,
    );

    server.failOn({ verb: "list", resource: "services", status: 500, times: 1 });
    assert.equal((await rejection(core.listServiceForAllNamespaces())).code, 500);
    assert.equal((await core.listServiceForAllNamespaces()).items.length, 0, "times: 1 fails once");

    server.failOn({ verb: "list", resource: "nodes", delayMs: 50, times: 1 });
    assert.equal((await core.listNode()).kind, "NodeList", "a delay alone still answers");

    server.undefine("example.com", "v1", "widgets");
    server.undefine("example.com", "v1", "gadgets");
    const gone = await rejection(
      co.listClusterCustomObject({ group: "example.com", version: "v1", plural: "widgets" }),
    );
    assert.equal(gone.code, 404);
    assert.match(String(gone.body), /404 page not found/);
    assert.equal(server.list("apiextensions.k8s.io/v1", "CustomResourceDefinition").length, 0);

    const wrong = new k8s.KubeConfig();
    wrong.loadFromString(server.kubeconfig({ token: "wrong" }));
    const unauthorized = await rejection(wrong.makeApiClient(k8s.CoreV1Api).listNamespace());
    assert.equal(unauthorized.code, 401);
  });

  it("accepts the token an exec credential plugin prints, as kubectl's client.authentication.k8s.io/v1", async () => {
    const plugin = path.join(dir, "plugin.js");
    fs.writeFileSync(
      plugin,
      `process.stdout.write(JSON.stringify({apiVersion:"client.authentication.k8s.io/v1",kind:"ExecCredential",status:{token:"t0ken"}}));`,
    );
    const viaExec = new k8s.KubeConfig();
    viaExec.loadFromString(
      server.kubeconfig({ exec: { command: process.execPath, args: [plugin] } }),
    );
    const list = await viaExec.makeApiClient(k8s.CoreV1Api).listNamespace();
    assert.equal(list.kind, "NamespaceList");
  });

  it("serves HTTPS with a self-signed certificate the kubeconfig trusts", async function () {
    if (!hasOpenssl()) {
      console.log("      (skipped: no openssl CLI for the test certificate)");
      this.skip();
    }
    const tls = await KubeApiServer.start({ tls: true });
    try {
      assert.match(tls.url, /^https:\/\/127\.0\.0\.1:\d+$/);
      const c = new k8s.KubeConfig();
      c.loadFromString(tls.kubeconfig());
      assert.equal((await c.makeApiClient(k8s.CoreV1Api).listNamespace()).kind, "NamespaceList");
    } finally {
      await tls.close();
    }
  });
});

describe("KubeApiServer patch and selector helpers", () => {
  it("merge patch deletes nulls, replaces lists, keeps __proto__ as data", () => {
    const out = mergePatch(
      { a: 1, b: { c: 2, d: [1] } },
      JSON.parse('{"b":{"c":null,"d":[2]},"__proto__":{"x":1}}'),
    );
    assert.deepEqual(
      JSON.parse(JSON.stringify(out)),
      JSON.parse('{"a":1,"b":{"d":[2]},"__proto__":{"x":1}}'),
    );
    assert.equal(({} as Record<string, unknown>).x, undefined);
  });

  it("JSON patch applies add/remove/move/copy/test and refuses a failed test", () => {
    const out = jsonPatch({ a: [1, 2], b: {} }, [
      { op: "add", path: "/a/-", value: 3 },
      { op: "remove", path: "/a/0" },
      { op: "copy", from: "/a", path: "/b/c" },
      { op: "move", from: "/b/c", path: "/d" },
      { op: "test", path: "/d/0", value: 2 },
    ]);
    assert.deepEqual(out, { a: [2, 3], b: {}, d: [2, 3] });
    assert.throws(
      () => jsonPatch({ a: 1 }, [{ op: "test", path: "/a", value: 2 }]),
      /test operation failed/,
    );
  });

  it("label selectors: equality, inequality, set and existence terms", () => {
    const sel = parseLabelSelector("app=web,tier!=db,env in (prod, stage),!canary,team");
    assert.equal(sel({ app: "web", env: "prod", team: "x" }), true);
    assert.equal(sel({ app: "web", env: "dev", team: "x" }), false);
    assert.equal(sel({ app: "web", env: "prod", team: "x", canary: "1" }), false);
    assert.throws(() => parseLabelSelector("a=b=c"), /unable to parse/);
  });
});
