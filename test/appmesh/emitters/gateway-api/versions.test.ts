// The gateway-api target gives each version of a shared Service its own Service (the Gateway API has no subsets).
import * as assert from "node:assert/strict";
import { convert, validateObjects } from "../../../../appmesh";
import { fixture, obj, rule } from "../../helpers";

describe("gateway-api versions", () => {
  const r = convert([fixture("cloudmap-list.yaml")], { target: "gateway-api" });
  const g = convert([fixture("gateway.yaml")], { target: "gateway-api" });

  it("gives each version of a shared Service its own Service selecting its pods", async () => {
    assert.deepEqual(await validateObjects([...r.objects, ...g.objects]), []);
    const blue = obj(r, "Service", "bank", "ledger-blue");
    assert.deepEqual(blue.spec.selector, { app: "ledger", color: "blue" });
    assert.equal(blue.metadata.labels?.["meshlift.io/version-of"], "ledger");
    const split = rule(obj(r, "HTTPRoute", "bank", "ledger"), "split");
    assert.deepEqual(
      split.backendRefs.map((b) => [b.name, b.weight]),
      [
        ["ledger-blue", 9],
        ["ledger-green", 1],
        ["ledger-archive", 0],
      ],
    );
  });
});
