// Hostile App Mesh exports on their way into the discovery phase's `appmeshInventory` output: odd kinds, deep and huge Lists, unicode paths.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseConfig } from "../../config/load";
import { planPhase } from "../../phases/plan";
import { tinyConvert } from "../support/phases";

const KINDS = [
  "BackendGroup",
  "GatewayRoute",
  "Mesh",
  "VirtualGateway",
  "VirtualNode",
  "VirtualRouter",
  "VirtualService",
];

describe("hostile exports in the discovery inventory", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "meshlift-inventory-"));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  function inventoryOf(files: Record<string, string>) {
    for (const [name, content] of Object.entries(files))
      fs.writeFileSync(path.join(dir, name), content);
    const namespaces = Object.keys(files).map((f, i) => ({
      name: `ns${i}`,
      state: "appmesh",
      appmeshExport: f,
    }));
    const cfg = parseConfig(
      "t",
      {
        "aws:region": "eu-west-1",
        "meshlift:environment": "dev",
        "meshlift:cluster": JSON.stringify({ mode: "create" }),
        "meshlift:migration": JSON.stringify({ namespaces }),
      },
      { projectDir: dir, convert: tinyConvert },
    );
    return planPhase(cfg, { known: false, reason: "test" }).inventory;
  }

  it("counts only the seven kinds: __proto__ and constructor kinds add no key and pollute nothing", () => {
    const before = Object.getOwnPropertyNames(Object.prototype).sort();
    const inv = inventoryOf({
      "odd.yaml": [
        "apiVersion: appmesh.k8s.aws/v1beta2\nkind: __proto__\nmetadata: {name: p}",
        "apiVersion: appmesh.k8s.aws/v1beta2\nkind: constructor\nmetadata: {name: c}",
        "apiVersion: appmesh.k8s.aws/v1beta2\nkind: toString\nmetadata: {name: t}",
        "apiVersion: appmesh.k8s.aws/v1beta2\nkind: VirtualNode\nmetadata: {name: vn}\n__proto__: {polluted: yes}",
      ].join("\n---\n"),
    });
    assert.ok(inv);
    const objects = inv.namespaces[0].objects;
    assert.deepEqual(Object.keys(objects).sort(), KINDS);
    assert.equal(objects.VirtualNode, 1);
    assert.equal(
      Object.values(objects).reduce((a, b) => a + b, 0),
      1,
    );
    assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), before);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it("opens kubectl Lists to a bounded depth: a List nested 200 deep is no stack overflow", () => {
    let nested =
      "apiVersion: appmesh.k8s.aws/v1beta2\nkind: VirtualService\nmetadata: {name: deep}";
    let json: unknown = {
      apiVersion: "appmesh.k8s.aws/v1beta2",
      kind: "Mesh",
      metadata: { name: "m" },
    };
    for (let i = 0; i < 200; i++) json = { apiVersion: "v1", kind: "List", items: [json] };
    nested = `${nested}\n---\n${JSON.stringify({ apiVersion: "v1", kind: "List", items: [{ apiVersion: "appmesh.k8s.aws/v1beta2", kind: "Mesh", metadata: { name: "shallow" } }, json] })}`;
    const inv = inventoryOf({ "deep.yaml": nested });
    assert.ok(inv);
    assert.equal(inv.namespaces[0].objects.VirtualService, 1);
    assert.equal(inv.namespaces[0].objects.Mesh, 1, "the Mesh 200 Lists down is past the bound");
  });

  it("counts a List of 2,000 objects and keeps a unicode export path as configured", () => {
    const items = Array.from({ length: 2_000 }, (_, i) => ({
      apiVersion: "appmesh.k8s.aws/v1beta2",
      kind: i % 2 ? "VirtualNode" : "VirtualRouter",
      metadata: { name: `vn-${i}` },
    }));
    const name = "ëxpört-日本.yaml";
    const inv = inventoryOf({ [name]: JSON.stringify({ apiVersion: "v1", kind: "List", items }) });
    assert.ok(inv);
    assert.equal(inv.namespaces[0].export, name);
    assert.equal(inv.namespaces[0].objects.VirtualNode, 1_000);
    assert.equal(inv.namespaces[0].objects.VirtualRouter, 1_000);
  });
});
