// The program wires the App Mesh converter the CLI uses into the workloads phase, and its inventory into the discovery phase's outputs.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import YAML from "yaml";
import { convert, countAppMeshObjects, summarize } from "../appmesh";
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
