// Istio's order for Gateway API rules against App Mesh's, and when one request can match two rules.
import * as assert from "node:assert/strict";
import {
  grpcConditions,
  httpConditions,
  istioBefore,
  istioOrder,
  mayOverlap,
} from "../../../../appmesh/emitters/gateway-api/precedence";
import type { MatchRank } from "../../../../appmesh/emitters/gateway-api/matches";

const rank = (o: Partial<MatchRank>): MatchRank => ({
  uriRank: 2,
  uriLength: 1,
  method: false,
  headers: 0,
  queryParams: 0,
  ...o,
});

describe("gateway-api precedence", () => {
  it("puts exact before prefix before regex, longer paths, then method, headers and query parameters", () => {
    assert.equal(istioBefore(rank({ uriRank: 3 }), rank({ uriRank: 2, uriLength: 50 })), true);
    assert.equal(istioBefore(rank({ uriLength: 5 }), rank({ uriLength: 1 })), true);
    assert.equal(istioBefore(rank({ method: true }), rank({})), true);
    assert.equal(istioBefore(rank({ headers: 1 }), rank({ queryParams: 3 })), true);
    assert.equal(istioBefore(rank({ queryParams: 1 }), rank({})), true);
    assert.equal(istioBefore(rank({}), rank({})), false);
  });

  it("orders rules stably: equal ranks keep the order they are written in", () => {
    assert.deepEqual(
      istioOrder([rank({}), rank({ uriRank: 3 }), rank({}), rank({ uriRank: 1 })]),
      [1, 0, 2, 3],
    );
  });

  it("reads App Mesh HTTP and gRPC matches as conditions", () => {
    assert.deepEqual(httpConditions({ path: { exact: "/a" }, prefix: "/", method: "GET" }), {
      path: { kind: "exact", value: "/a" },
      method: "GET",
      headers: [],
      query: [],
    });
    assert.deepEqual(httpConditions({ path: { regex: "/v[0-9]" } }).path, {
      kind: "regex",
      value: "/v[0-9]",
    });
    assert.deepEqual(httpConditions({ prefix: "/api" }).path, { kind: "prefix", value: "/api" });
    assert.equal(httpConditions({}).path, undefined);
    assert.deepEqual(grpcConditions({ serviceName: "Cart", methodName: "Get" }), {
      grpcService: "Cart",
      grpcMethod: "Get",
      headers: [],
      query: [],
    });
  });

  it("says two matches cannot overlap only when no request matches both", () => {
    const c = httpConditions;
    assert.equal(mayOverlap(c({ prefix: "/api" }), c({ prefix: "/api/v2" })), true);
    assert.equal(mayOverlap(c({ prefix: "/api" }), c({ prefix: "/web" })), false);
    assert.equal(mayOverlap(c({ path: { exact: "/a" } }), c({ path: { exact: "/b" } })), false);
    assert.equal(mayOverlap(c({ path: { exact: "/api/x" } }), c({ prefix: "/api" })), true);
    assert.equal(mayOverlap(c({ path: { exact: "/web" } }), c({ prefix: "/api" })), false);
    assert.equal(mayOverlap(c({ path: { regex: ".*" } }), c({ path: { exact: "/b" } })), true);
    assert.equal(mayOverlap(c({ method: "GET" }), c({ method: "POST" })), false);
    const h = (v: string, invert = false) =>
      c({ headers: [{ name: "X-Env", match: { exact: v }, invert }] });
    assert.equal(mayOverlap(h("a"), h("b")), false);
    assert.equal(mayOverlap(h("a"), h("b", true)), true, "an inverted match is not an exact value");
    const q = (v: string) => c({ queryParameters: [{ name: "v", match: { exact: v } }] });
    assert.equal(mayOverlap(q("1"), q("2")), false);
    assert.equal(
      mayOverlap(grpcConditions({ serviceName: "A" }), grpcConditions({ serviceName: "B" })),
      false,
    );
    assert.equal(
      mayOverlap(grpcConditions({ methodName: "A" }), grpcConditions({ methodName: "B" })),
      false,
    );
  });
});
