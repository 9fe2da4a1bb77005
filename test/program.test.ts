// The program wires the App Mesh converter the CLI uses into the workloads phase, its inventory into the discovery phase's outputs, and refuses an engine too old for it.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as pulumi from "@pulumi/pulumi";
import * as engrpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as engproto from "@pulumi/pulumi/proto/engine_pb";
import YAML from "yaml";
import { convert, countAppMeshObjects, summarize } from "../appmesh";
import { requireEngine } from "../program";
import { PROJECT_DIR } from "../plan/offline";
import { named, ofType, plan } from "./support/plan";

describe("program: converted App Mesh resources", () => {
  it("creates the dev stack's converted shop resources in workloads, with the export's weights and retries", async () => {
    const doc = await plan({ stack: "dev", phase: "workloads" });
    const vs = named(doc, "ns-shop-virtualservice-cart");
    assert.equal(vs.type, "kubernetes:networking.istio.io/v1:VirtualService");
    const spec = vs.inputs.spec as {
      http: {
        route: { weight: number; destination: { subset: string } }[];
        retries: { attempts: number };
        timeout: string;
      }[];
    };
    assert.deepEqual(
      spec.http[0].route.map((r) => [r.destination.subset, r.weight]),
      [
        ["cart", 90],
        ["cart-v2", 10],
      ],
    );
    assert.equal(spec.http[0].retries.attempts, 3);
    assert.equal(spec.http[0].timeout, "10s");
    assert.equal((vs.inputs.metadata as { namespace: string }).namespace, "shop");
    const istiod = named(doc, "istio-istiod");
    assert.ok(
      vs.dependsOn.includes(istiod.urn),
      "converted resources wait for istiod (and its CRDs)",
    );
  });

  it("creates exactly what `meshlift convert` prints for the same export", async () => {
    const file = path.join(PROJECT_DIR, "stacks/appmesh-exports/dev/shop.yaml");
    const cli = convert([{ path: file, content: fs.readFileSync(file, "utf8") }], {
      namespace: "shop",
    });
    const doc = await plan({ stack: "dev", phase: "workloads" });
    const stackKinds = ofType(doc, "kubernetes:networking.istio.io/v1:VirtualService")
      .concat(
        ofType(doc, "kubernetes:networking.istio.io/v1:DestinationRule"),
        ofType(doc, "kubernetes:networking.istio.io/v1:Sidecar"),
      )
      .filter((r) => r.name.startsWith("ns-shop-"))
      .map((r) => `${String(r.inputs.kind)}/${(r.inputs.metadata as { name: string }).name}`)
      .sort();
    assert.deepEqual(stackKinds, cli.objects.map((o) => `${o.kind}/${o.metadata.name}`).sort());
  });

  it("removes the converted resources when rolling back to parallel", async () => {
    const doc = await plan({ stack: "dev", phase: "parallel" });
    assert.equal(
      doc.resources.filter((r) => r.name.startsWith("ns-shop-virtualservice")).length,
      0,
    );
  });
});

describe("program: the App Mesh inventory in the discovery phase", () => {
  const exportFile = "stacks/appmesh-exports/dev/shop.yaml";

  it("outputs each configured export's objects per kind and precheck counts", async () => {
    const content = fs.readFileSync(path.join(PROJECT_DIR, exportFile), "utf8");
    const docs = YAML.parseAllDocuments(content).map((d) => d.toJS() as unknown);
    const findings = convert([{ path: exportFile, content }], { namespace: "shop" }).findings;
    const s = summarize(findings);
    const doc = await plan({ stack: "dev", phase: "discovery" });
    assert.deepEqual(doc.outputs.appmeshInventory, {
      namespaces: [
        {
          namespace: "shop",
          export: exportFile,
          objects: countAppMeshObjects(docs),
          blockers: s.blocker,
          warnings: s.warning,
          infos: s.info,
        },
      ],
      meshes: ["dev-mesh"],
      blockers: s.blocker,
      warnings: s.warning,
      infos: s.info,
    });
    // The same figures without the library that computed them: the dev export as it is written.
    const inv = doc.outputs.appmeshInventory as {
      namespaces: { objects: Record<string, number> }[];
    };
    assert.equal(inv.namespaces[0].objects.VirtualNode, 3);
    assert.equal(inv.namespaces[0].objects.Mesh, 1);
    assert.equal(
      doc.outputs.phaseSummary,
      "cluster only, plus the App Mesh inventory and precheck outputs",
    );
  });

  it("has no inventory output when no namespace has an export", async () => {
    const doc = await plan({
      stack: "dev",
      phase: "discovery",
      set: {
        "migration.namespaces": JSON.stringify([
          { name: "shop", state: "istio", deployments: ["cart"] },
        ]),
      },
    });
    assert.equal(doc.outputs.phase, "discovery");
    const migration = doc.outputs.migration as { namespace: string }[];
    assert.deepEqual(
      migration.map((m) => m.namespace),
      ["shop"],
      "the list without exports replaced the file's",
    );
    assert.ok(!("appmeshInventory" in doc.outputs), Object.keys(doc.outputs).join(", "));
  });

  it("has no inventory output after discovery, exports or not", async () => {
    const doc = await plan({ stack: "dev", phase: "parallel", deployedPhase: "discovery" });
    assert.ok(!("appmeshInventory" in doc.outputs));
  });
});

/**
 * A Pulumi engine on 127.0.0.1 that answers RequirePulumiVersion as an engine of `version` would;
 * "too-old" leaves the RPC unimplemented, as engines from before it do.
 */
async function fakeEngine(version: string): Promise<{
  addr: string;
  ranges: string[];
  close: () => void;
}> {
  const server = new grpc.Server();
  const ranges: string[] = [];
  const impl: grpc.UntypedServiceImplementation = {};
  // An engine that predates the RPC leaves it unimplemented, as the real ones do.
  if (version !== "too-old") {
    impl.requirePulumiVersion = (
      call: grpc.ServerUnaryCall<engproto.RequirePulumiVersionRequest, unknown>,
      cb: grpc.sendUnaryData<engproto.RequirePulumiVersionResponse>,
    ) => {
      const range = call.request.getPulumiVersionRange();
      ranges.push(range);
      const min = /^>=(\d+)\.(\d+)\.(\d+)$/.exec(range)?.slice(1).map(Number) ?? [0, 0, 0];
      const have = version.split(".").map(Number);
      const ok = have[0] * 1e6 + have[1] * 1e3 + have[2] >= min[0] * 1e6 + min[1] * 1e3 + min[2];
      if (ok) cb(null, new engproto.RequirePulumiVersionResponse());
      else
        cb({
          code: grpc.status.FAILED_PRECONDITION,
          details: `Pulumi CLI version ${version} does not satisfy the version range "${range}"`,
        });
    };
  }
  server.addService(engrpc.EngineService, impl);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, p) =>
      e ? reject(e) : resolve(p),
    ),
  );
  return { addr: `127.0.0.1:${port}`, ranges, close: () => server.forceShutdown() };
}

describe("program: the Pulumi engine it runs on", () => {
  const withEngine = async (version: string, fn: () => Promise<void>, ranges?: string[]) => {
    const engine = await fakeEngine(version);
    pulumi.runtime.resetOptions("meshlift", "dev", -1, engine.addr, "", false, "organization");
    try {
      await fn();
      if (ranges) ranges.push(...engine.ranges);
    } finally {
      engine.close();
      // Back to no engine, as every other test (and the offline plan) expects.
      pulumi.runtime.resetOptions("meshlift", "dev", -1, "", "", false, "");
    }
  };

  it("asks the engine for 3.208.0 or newer, the first to honour replacementTrigger", async () => {
    const asked: string[] = [];
    await withEngine("3.230.1", () => requireEngine(), asked);
    assert.deepEqual(asked, [">=3.208.0"]);
  });

  it("refuses an older engine with one clear message, and one too old to answer", async () => {
    await withEngine("3.200.0", () =>
      assert.rejects(requireEngine(), (e: unknown) => {
        assert.ok(pulumi.RunError.isInstance(e));
        assert.match(
          e.message,
          /needs the Pulumi CLI 3\.208\.0 or newer \(replacementTrigger.*3\.200\.0 does not satisfy.*Upgrade it/,
        );
        return true;
      }),
    );
    await withEngine("too-old", () =>
      assert.rejects(requireEngine(), /3\.208\.0 or newer.*too old to report its version/),
    );
  });

  it("has nothing to check without an engine (offline plan, mocks)", async () => {
    await requireEngine();
  });
});
