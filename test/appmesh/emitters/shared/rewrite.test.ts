// The rewrite a VirtualGateway applies before forwarding: App Mesh's defaults made explicit, its overrides honoured.
import * as assert from "node:assert/strict";
import { readModel } from "../../../../appmesh/convert";
import { EmitContext } from "../../../../appmesh/emitters/shared/context";
import { gatewayRewrite } from "../../../../appmesh/emitters/shared/rewrite";
import { fixture } from "../../helpers";

describe("appmesh gateway rewrite", () => {
  const model = readModel([fixture("gateway.yaml")]);
  const route = (name: string) => {
    const r = model.gatewayGroups.flatMap((g) => g.routes).find((x) => x.name === name);
    assert.ok(r, name);
    return r;
  };

  it("makes the default prefix and Host rewrites explicit, and says so", () => {
    const ctx = new EmitContext(model, []);
    const before = ctx.findings.length;
    const gr = route("api-default");
    assert.deepEqual(gatewayRewrite(ctx, gr), {
      path: { kind: "prefix", value: "/" },
      authority: gr.host,
    });
    const added = ctx.findings.slice(before);
    assert.equal(added.length, 1);
    assert.equal(added[0].severity, "info");
    assert.equal(added[0].field, "spec.httpRoute.action.rewrite");
    assert.equal(
      added[0].reason,
      `App Mesh's default gateway rewrite made explicit: matched prefix /api -> /, Host -> ${gr.host}`,
    );
  });

  it("keeps the path and Host when both defaults are disabled, with no finding", () => {
    const ctx = new EmitContext(model, []);
    const before = ctx.findings.length;
    assert.deepEqual(gatewayRewrite(ctx, route("api-v2-keep-path")), {});
    assert.equal(ctx.findings.length, before);
  });
});
