// Tests the service's error shape: a status, the message, and for bad input every field at fault.
import * as assert from "node:assert/strict";
import { ServiceError, validation } from "../../../automation/service/errors";

describe("service errors", () => {
  it("answers bad input with a 422 that lists each field, its value and what is wrong", () => {
    const e = validation("bad request", [
      { path: "phase", given: "nope", message: "must be a phase" },
    ]);
    assert.ok(e instanceof ServiceError);
    assert.equal(e.status, 422);
    assert.equal(e.message, "bad request");
    assert.deepEqual(e.details, {
      fields: [{ path: "phase", given: "nope", message: "must be a phase" }],
    });
  });

  it("keeps its status and details for other answers, with no details by default", () => {
    const e = new ServiceError(409, "busy");
    assert.equal(e.name, "ServiceError");
    assert.deepEqual([e.status, e.details], [409, {}]);
  });
});
