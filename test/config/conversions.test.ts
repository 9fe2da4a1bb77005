// Converting the listed namespaces' exports on their own: namespaced objects, the target handed to the converter, and a namespace without an export left alone.
import * as assert from "node:assert/strict";
import { convertNamespaces, ConvertFn, inNamespace } from "../../config/conversions";
import type { Target } from "../../appmesh/types";

const vs = (name: string, namespace?: string) => ({
  apiVersion: "networking.istio.io/v1",
  kind: "VirtualService",
  metadata: { name, ...(namespace ? { namespace } : {}) },
  spec: {},
});

describe("config conversions", () => {
  it("puts an object in the namespace unless it names its own", () => {
    assert.equal(inNamespace(vs("a"), "shop").metadata.namespace, "shop");
    assert.equal(inNamespace(vs("a", "other"), "shop").metadata.namespace, "other");
  });

  it("converts each namespace with an export for the stack's target, and skips one without", () => {
    const calls: [string | undefined, Target | undefined][] = [];
    const convert: ConvertFn = (files, opts) => {
      calls.push([opts?.namespace, opts?.target]);
      return {
        objects: files.map((f) => vs(f.path)),
        findings: [],
        namespaceLabels: { shop: { "istio.io/use-waypoint": "waypoint" } },
      };
    };
    const inputs = [
      {
        index: 0,
        config: { name: "shop", state: "istio" },
        files: [{ path: "shop.yaml", content: "" }],
      },
      { index: 1, config: { name: "payments", state: "appmesh" }, files: [] },
    ] as unknown as Parameters<typeof convertNamespaces>[0];
    const { namespaces, problems } = convertNamespaces(inputs, convert, "ambient");
    assert.deepEqual(problems, []);
    assert.deepEqual(calls, [["shop", "ambient"]]);
    assert.deepEqual(namespaces[0].objects, [inNamespace(vs("shop.yaml"), "shop")]);
    assert.deepEqual(namespaces[0].namespaceLabels, { "istio.io/use-waypoint": "waypoint" });
    assert.deepEqual([namespaces[1].objects, namespaces[1].findings], [[], []]);
  });
});
