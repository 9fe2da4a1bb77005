// The OpenAPI document the service serves: every route with its scope and answers, every reference and path parameter resolved.
import { strict as assert } from "node:assert";
import { openApiDocument } from "../../../automation/service/openapi";
import { componentSchemas } from "../../../automation/service/openapi-schemas";

type Json = Record<string, unknown>;

/** Every `$ref` anywhere under `v`. */
function refs(v: unknown): string[] {
  if (Array.isArray(v)) return v.flatMap(refs);
  if (typeof v !== "object" || v === null) return [];
  return Object.entries(v).flatMap(([k, x]) => (k === "$ref" ? [String(x)] : refs(x)));
}

describe("openApiDocument", () => {
  const doc = openApiDocument("9.9.9");
  const paths = doc.paths as Record<string, Record<string, Json>>;
  const operations = Object.entries(paths).flatMap(([p, item]) =>
    Object.entries(item).map(([method, op]) => ({ p, method, op })),
  );

  it("is OpenAPI 3.1 with the given version and the component schemas", () => {
    assert.equal(doc.openapi, "3.1.0");
    assert.equal((doc.info as Json).version, "9.9.9");
    assert.deepEqual((doc.components as Json).schemas, componentSchemas());
  });

  it("documents each route the service answers", () => {
    assert.deepEqual(
      operations.map((o) => `${o.method.toUpperCase()} ${o.p}`),
      [
        "GET /healthz",
        "GET /openapi.json",
        "GET /v1/stacks",
        "GET /v1/stacks/{stack}",
        "GET /v1/stacks/{stack}/operations",
        "POST /v1/stacks/{stack}/operations",
        "GET /v1/whoami",
        "GET /v1/board",
        "GET /v1/board/{stack}",
        "GET /v1/stacks/{stack}/diff",
        "GET /v1/stacks/{stack}/runbook",
        "GET /v1/operations/{id}",
        "GET /v1/operations/{id}/events",
        "POST /v1/operations/{id}/cancel",
      ],
    );
  });

  it("resolves every reference to a component schema", () => {
    const names = Object.keys(componentSchemas());
    const all = refs(doc);
    assert.ok(all.length > 10);
    for (const r of all) assert.ok(names.includes(r.replace("#/components/schemas/", "")), r);
  });

  it("declares each path template's parameters, required, on each of its operations", () => {
    for (const { p, method, op } of operations) {
      const wanted = [...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const declared = ((op.parameters ?? []) as Json[])
        .filter((x) => x.in === "path")
        .map((x) => {
          assert.equal(x.required, true, `${method} ${p}: ${String(x.name)}`);
          return x.name;
        });
      assert.deepEqual(declared, wanted, `${method} ${p}`);
    }
  });

  it("asks a bearer token of a known scope everywhere but the health check and the document, and documents the answer", () => {
    for (const { p, method, op } of operations) {
      const security = op.security as Json[];
      if (p === "/healthz" || p === "/openapi.json") {
        assert.deepEqual(security, [], p);
        continue;
      }
      assert.equal(security.length, 1, `${method} ${p}`);
      for (const scope of security[0]?.bearer as string[])
        assert.ok(["read", "operate", "admin"].includes(scope), `${method} ${p}: ${scope}`);
      const responses = op.responses as Json;
      assert.ok(responses["200"] ?? responses["202"], `${method} ${p} answers nothing`);
      // Every route behind a token answers 401 without one, and one that needs more than read, 403.
      assert.ok(responses["401"], `${method} ${p} does not document its 401`);
      if ((security[0]?.bearer as string[]).some((s) => s !== "read"))
        assert.ok(responses["403"], `${method} ${p} does not document its 403`);
    }
  });
});
