// The program wires the same App Mesh converter the CLI uses into the workloads phase.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { convert } from "../appmesh";
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
