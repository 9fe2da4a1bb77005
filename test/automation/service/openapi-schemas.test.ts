// The OpenAPI document's named schemas: the request body from the zod schema, the records' enums, and each schema accepts what the service sends.
import { strict as assert } from "node:assert";
import Ajv2020 from "ajv/dist/2020";
import { PHASES } from "../../../phases/phases";
import { OPERATION_KINDS } from "../../../automation/runners/runner";
import { OPERATION_STATUSES } from "../../../automation/service/records";
import {
  componentSchemas,
  nullable,
  phaseEnum,
  ref,
} from "../../../automation/service/openapi-schemas";

/** A validator for the named schema `name`, resolving its references among the others. */
function validator(name: string) {
  const ajv = new Ajv2020({ strict: false, validateFormats: false });
  ajv.addSchema({ $id: "meshlift", components: { schemas: componentSchemas() } });
  const v = ajv.getSchema(`meshlift#/components/schemas/${name}`);
  assert.ok(v, `no schema ${name}`);
  return v;
}

describe("OpenAPI component schemas", () => {
  const schemas = componentSchemas() as Record<string, Record<string, unknown>>;

  it("names the request, the records, the board's read models and the error", () => {
    assert.deepEqual(Object.keys(schemas), [
      "OperationRequest",
      "Operation",
      "BoardOperation",
      "BoardStack",
      "BoardDiff",
      "Stack",
      "Error",
    ]);
    assert.deepEqual(ref("Stack"), { $ref: "#/components/schemas/Stack" });
    assert.deepEqual(nullable("string"), { type: ["string", "null"] });
    assert.deepEqual(phaseEnum.enum, [...PHASES]);
  });

  it("describes the request body as the zod schema checks it: kinds, no other fields", () => {
    const body = validator("OperationRequest");
    assert.ok(body({ kind: "up", phase: "parallel", config: { "aws:region": "eu-west-1" } }));
    for (const bad of [
      {},
      { kind: "apply" },
      { kind: "plan", stack: "dev" },
      { kind: "up", phase: "x" },
    ])
      assert.equal(body(bad), false, JSON.stringify(bad));
    const kind = (schemas.OperationRequest?.properties as Record<string, { enum?: unknown }>).kind;
    assert.deepEqual(kind?.enum, [...OPERATION_KINDS]);
  });

  it("describes an operation record with the statuses the store uses", () => {
    const op = validator("Operation");
    const record = {
      id: "3f1c",
      stack: "dev",
      kind: "plan",
      phase: null,
      status: "queued",
      createdAt: "2026-12-02T04:00:00.000Z",
      configRedacted: false,
    };
    assert.ok(op(record), JSON.stringify(op.errors));
    for (const status of OPERATION_STATUSES) assert.ok(op({ ...record, status }), status);
    assert.equal(op({ ...record, status: "done" }), false);
    assert.equal(op({ ...record, kind: "apply" }), false);
  });

  it("describes the error answer: status and message, with field errors", () => {
    const error = validator("Error");
    assert.ok(
      error({
        error: { status: 422, message: "bad", fields: [{ path: "kind", given: 1, message: "x" }] },
      }),
    );
    assert.equal(error({ error: { message: "no status" } }), false);
    assert.equal(error({}), false);
  });
});
