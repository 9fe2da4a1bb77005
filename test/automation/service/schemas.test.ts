// The operation request body as zod checks it, and its issues as the fields of a 422: path, what was given, what is allowed, at most 20.
import { strict as assert } from "node:assert";
import { CONFIG_KEY, fieldErrors, operationBodySchema } from "../../../automation/service/schemas";

/** The 422 fields for `body`, which must be refused. */
function fields(body: unknown) {
  const r = operationBodySchema.safeParse(body);
  assert.ok(!r.success, `${JSON.stringify(body)} was accepted`);
  return fieldErrors(r.error, body);
}

describe("operation request body", () => {
  it("accepts a kind alone and queues by default", () => {
    assert.deepEqual(operationBodySchema.parse({ kind: "plan" }), { kind: "plan", queue: true });
    assert.deepEqual(
      operationBodySchema.parse({
        kind: "up",
        phase: "parallel",
        config: { "cutover.istioWeight": 25, "aws:region": "eu-west-1", "x.enabled": true },
        queue: false,
      }),
      {
        kind: "up",
        phase: "parallel",
        config: { "cutover.istioWeight": 25, "aws:region": "eu-west-1", "x.enabled": true },
        queue: false,
      },
    );
  });

  it("names a missing kind, an unknown kind and an unknown phase with what is allowed", () => {
    const kinds = 'must be one of: "plan", "preview", "up", "refresh", "destroy", "cutover"';
    assert.deepEqual(fields({}), [{ path: "kind", given: undefined, message: kinds }]);
    assert.deepEqual(fields({ kind: "apply" }), [
      {
        path: "kind",
        given: "apply",
        message: 'must be one of: "plan", "preview", "up", "refresh", "destroy", "cutover"',
      },
    ]);
    assert.equal(fields({ kind: "up", phase: "later" })[0]?.path, "phase");
  });

  it("refuses unknown fields, listing the allowed ones", () => {
    assert.deepEqual(fields({ kind: "plan", stack: "dev" }), [
      {
        path: "stack",
        given: "dev",
        message: "unknown field (allowed: kind, phase, config, queue, confirm, dryRun)",
      },
    ]);
  });

  it("refuses config keys that are not keys or hold a forbidden segment, and values that are objects", () => {
    // Each answer names the key, quotes it, and says which rule it breaks (not zod's "Invalid key").
    const shown = (config: Record<string, unknown>) =>
      fields({ kind: "plan", config }).map((f) => [f.path, f.given, f.message]);
    assert.deepEqual(shown({ "a..b": "1" }), [
      ["config.a..b", "1", "must be a config key such as cutover.istioWeight or aws:region"],
    ]);
    assert.deepEqual(shown({ "x.constructor.y": "1" }), [
      [
        "config.x.constructor.y",
        "1",
        "must not contain __proto__, prototype, constructor segments",
      ],
    ]);
    assert.deepEqual(shown({ "__proto__.polluted": "1" }), [
      [
        "config.__proto__.polluted",
        "1",
        "must be a config key such as cutover.istioWeight or aws:region; must not contain __proto__, prototype, constructor segments",
      ],
    ]);
    assert.deepEqual(
      shown({ ["k".repeat(300)]: "1" })[0]?.[2],
      "must be a config key of at most 256 characters",
    );
    assert.equal(fields({ kind: "plan", config: { a: { b: 1 } } })[0]?.path, "config.a");
  });

  it("answers a body of a thousand bad keys with at most 20 fields", () => {
    const body = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, i]));
    const got = fields({ kind: "plan", ...body });
    assert.equal(got.length, 20);
    assert.equal(got[0]?.path, "k0");
  });

  it("takes config keys as `pulumi config set` writes them", () => {
    for (const k of ["cutover.istioWeight", "aws:region", "meshlift:phase", "a-b.c_d"])
      assert.match(k, CONFIG_KEY);
    for (const k of ["", "1x", "a..b", "a:b:c", ".a", "a b", "ä"])
      assert.doesNotMatch(k, CONFIG_KEY);
  });
});
