// Writing the converted objects as YAML with js-yaml: the same text as the `yaml` package reads back, byte for byte.
import * as assert from "node:assert/strict";
import * as YAML from "yaml";
import { IstioObject, toYaml } from "../../appmesh";

describe("appmesh YAML output (js-yaml)", () => {
  const shared = { hosts: ["a.example.com"] };
  const long = "x".repeat(300);
  const objects = [
    {
      apiVersion: "networking.istio.io/v1",
      kind: "VirtualService",
      metadata: { name: "vs", namespace: "ns", labels: { z: "yes", a: "2001-12-14", n: "0b101" } },
      spec: { first: shared, second: shared, regex: long, gone: undefined },
    },
  ] as unknown as IstioObject[];

  it("quotes strings other readers would retype, keeps key order, no anchors, no folding", () => {
    const text = toYaml(objects);
    assert.doesNotMatch(text, /[&*]\w/);
    assert.ok(
      text.split("\n").some((l) => l.endsWith(long)),
      "long line written whole",
    );
    assert.ok(text.search(/^ +z: /m) < text.search(/^ +a: /m), "insertion order kept");
    for (const v of ["yes", "2001-12-14", "0b101"])
      assert.match(text, new RegExp(`: ['"]${v}['"]$`, "m"));
    // YAML 1.1 readers (Kubernetes) and the YAML 1.2 `yaml` package read back the same strings.
    assert.deepEqual(YAML.parse(text, { version: "1.1" }), JSON.parse(JSON.stringify(objects[0])));
    assert.deepEqual(YAML.parse(text), JSON.parse(JSON.stringify(objects[0])));
  });

  it("writes identical text for equal objects", () => {
    assert.equal(toYaml(objects), toYaml(JSON.parse(JSON.stringify(objects)) as IstioObject[]));
  });
});
