// AWS App Mesh API shapes into CRD spellings, and maps that keep hostile keys as data.
import * as assert from "node:assert/strict";
import { apiSpecToCrd, isObject, setOwn, stringRecord } from "../../../appmesh/read/api";

describe("appmesh API shapes", () => {
  it("turns names into references and Arn into ARN, at any depth", () => {
    assert.deepEqual(
      apiSpecToCrd({
        httpRoute: { action: { weightedTargets: [{ virtualNode: "Color_Node", weight: 1 }] } },
        backends: [{ virtualService: { virtualServiceName: "svc.ns" } }],
        tls: { validation: { trust: { acm: { certificateAuthorityArns: ["arn:a"] } } } },
      }),
      {
        httpRoute: {
          action: { weightedTargets: [{ virtualNodeRef: { name: "color-node" }, weight: 1 }] },
        },
        backends: [{ virtualService: { virtualServiceRef: { name: "svc.ns" } } }],
        tls: { validation: { trust: { acm: { certificateAuthorityARNs: ["arn:a"] } } } },
      },
    );
    assert.equal(apiSpecToCrd("x"), "x");
  });

  it("keeps constructor and __proto__ keys as data", () => {
    const out = apiSpecToCrd(JSON.parse('{"constructor": 1, "__proto__": {"x": 1}}')) as Record<
      string,
      unknown
    >;
    assert.ok(Object.hasOwn(out, "__proto__"));
    assert.equal(out.constructor, 1);
    assert.equal(Object.getPrototypeOf(out), Object.prototype);
    const o: Record<string, unknown> = {};
    setOwn(o, "__proto__", { polluted: true });
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.deepEqual(Object.keys(o), ["__proto__"]);
  });

  it("reads label maps as strings, dropping values that are not scalars", () => {
    assert.deepEqual(
      stringRecord({ version: 1, on: true, app: "cart", nested: { a: 1 }, none: null }),
      {
        version: "1",
        on: "true",
        app: "cart",
      },
    );
    assert.deepEqual(stringRecord(["a"]), {});
    assert.equal(isObject([]), false);
    assert.equal(isObject(null), false);
    assert.equal(isObject({}), true);
  });
});
