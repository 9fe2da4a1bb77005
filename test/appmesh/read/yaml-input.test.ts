// Reading App Mesh files with js-yaml: the same scalars, document indexes and aliases as the `yaml` package.
import * as assert from "node:assert/strict";
import { convert, InputError } from "../../../appmesh";
import { readInventory } from "../../../appmesh/read/inventory";

const node = (name: string, labels: string) =>
  [
    "apiVersion: appmesh.k8s.aws/v1beta2",
    "kind: VirtualNode",
    `metadata: {name: ${name}, namespace: ns, labels: {${labels}}}`,
    "spec: {}",
  ].join("\n");

describe("appmesh YAML input (js-yaml)", () => {
  it("reads scalars as YAML 1.2 core: no timestamps, yes/no and 0b stay strings", () => {
    const inv = readInventory(
      [{ path: "n.yaml", content: node("a", "d: 2001-12-14, y: yes, b: 0b101, h: 0x1F, t: True") }],
      "default",
    );
    assert.deepEqual(inv.nodes[0].labels, {
      d: "2001-12-14",
      y: "yes",
      b: "0b101",
      h: "31",
      t: "true",
    });
  });

  it("counts documents as before: leading comments, empty documents and Lists", () => {
    const content = [
      "# exported by a tool",
      "---",
      node("a", ""),
      "---",
      "---",
      "apiVersion: v1",
      "kind: List",
      "items:",
      "  - {apiVersion: v1, kind: ConfigMap, metadata: {name: c, namespace: ns}}",
      "---",
      "foo: bar",
    ].join("\n");
    assert.throws(
      () => readInventory([{ path: "x.yaml", content }], "default"),
      (e: unknown) =>
        e instanceof InputError && e.document === 3 && /not an App Mesh document/.test(e.reason),
    );
    const inv = readInventory(
      [{ path: "x.yaml", content: content.split("\n---\nfoo")[0] }],
      "default",
    );
    assert.equal(inv.nodes.length, 1);
    assert.deepEqual(
      inv.findings.map((f) => [f.document, f.source]),
      [[2, "ConfigMap ns/c"]],
    );
  });

  it("reports a syntax error with the document index and the line", () => {
    assert.throws(
      () =>
        readInventory([{ path: "s.yaml", content: "a: 1\n---\nb: 2\n---\nkey: [unclosed\n" }], "d"),
      (e: unknown) =>
        e instanceof InputError &&
        e.file === "s.yaml" &&
        e.document === 2 &&
        /^not valid YAML\/JSON at line \d+, column \d+: /.test(e.reason),
    );
  });

  it("resolves anchors and aliases, and still rejects alias bombs", () => {
    const content = [node("a", "app: &app shop, copy: *app"), "---", node("b", "app: *app")].join(
      "\n",
    );
    // An alias cannot refer to another document's anchor.
    assert.throws(() => readInventory([{ path: "a.yaml", content }], "d"), InputError);
    const one = readInventory(
      [{ path: "a.yaml", content: node("a", "app: &app shop, copy: *app") }],
      "d",
    );
    assert.deepEqual(one.nodes[0].labels, { app: "shop", copy: "shop" });
    const bomb = ["a: &a [x, x]"];
    for (let i = 1; i < 30; i++)
      bomb.push(
        `${"abcdefghijklmnopqrstuvwxyz"[i % 26]}${i}: &a${i} [*a${i === 1 ? "" : i - 1}, *a${i === 1 ? "" : i - 1}]`,
      );
    assert.throws(
      () => readInventory([{ path: "bomb.yaml", content: bomb.join("\n") }], "d"),
      (e: unknown) => e instanceof InputError && e.document === 0 && /alias/i.test(e.reason),
    );
  });

  it("keeps CloudFormation short-form tags readable (js-yaml does not know them)", () => {
    const content =
      "Resources:\n  M:\n    Type: AWS::AppMesh::Mesh\n    Properties:\n      MeshName: !Ref Name\n";
    assert.doesNotThrow(() => convert([{ path: "cfn.yaml", content }]));
  });
});
