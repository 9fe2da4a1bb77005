// The objects an emitter writes: undefined fields dropped, unique DNS-1123 names, meshlift's labels, a stable order.
import * as assert from "node:assert/strict";
import {
  clean,
  CONVERTED_FROM,
  MANAGED_BY,
  ObjectSet,
  uniqueName,
} from "../../../appmesh/emitters/objects";

describe("appmesh emitted objects", () => {
  it("drops undefined values at every depth and keeps a __proto__ key as data", () => {
    assert.deepEqual(clean({ a: 1, b: undefined, c: [{ d: undefined, e: null }] }), {
      a: 1,
      c: [{ e: null }],
    });
    const parsed = JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    const out = clean(parsed);
    assert.ok(Object.hasOwn(out, "__proto__"));
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.getPrototypeOf(out), Object.prototype);
  });

  it("makes a name unique with -2, -3 within the length allowed, without a trailing dash or dot", () => {
    const taken = new Set(["cart", "cart-2"]);
    assert.equal(
      uniqueName("cart", (n) => taken.has(n)),
      "cart-3",
    );
    assert.equal(
      uniqueName("pay", (n) => taken.has(n)),
      "pay",
    );
    assert.equal(
      uniqueName("abcd-ef", () => false, 5),
      "abcd",
    );
    assert.equal(
      uniqueName("abcdef", (n) => n === "abcde", 5),
      "abc-2",
    );
  });

  it("names objects from App Mesh names, labels and annotates them, and sorts by kind order, namespace, name", () => {
    const set = new ObjectSet(["Gateway", "VirtualService"]);
    const a = set.emit(
      "networking.istio.io/v1",
      "VirtualService",
      "shop",
      "Cart_Router",
      { hosts: ["x"], gone: undefined },
      "VirtualRouter shop/Cart_Router",
    );
    const b = set.emit(
      "networking.istio.io/v1",
      "VirtualService",
      "shop",
      "Cart_Router",
      {},
      "again",
    );
    set.emit("v1", "Service", "a", "svc", {}, "s", { exactName: true, labels: { extra: "1" } });
    set.emit("networking.istio.io/v1", "Gateway", "z", "gw", {}, "g");
    assert.equal(a.metadata.name, "cart-router");
    assert.equal(b.metadata.name, "cart-router-2");
    assert.deepEqual(a.metadata.labels, { ...MANAGED_BY });
    assert.deepEqual(a.metadata.annotations, {
      [CONVERTED_FROM]: "VirtualRouter shop/Cart_Router",
    });
    assert.deepEqual(a.spec, { hosts: ["x"] });
    assert.equal(set.get("Service", "a", "svc")?.metadata.labels?.extra, "1");
    assert.ok(set.has("VirtualService", "shop", "cart-router-2"));
    assert.deepEqual(
      set.sorted().map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`),
      [
        "Gateway/z/gw",
        "VirtualService/shop/cart-router",
        "VirtualService/shop/cart-router-2",
        "Service/a/svc",
      ],
    );
  });
});
