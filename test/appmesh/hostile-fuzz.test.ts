// Bounded fuzzing of the converter over mutated App Mesh files (names, hosts, nesting, duplicates, types): for
// every target, either one clear input error (exit 2) or only schema-valid objects; never an internal error.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import * as YAML from "yaml";
import { ConversionResult, InputError, TARGETS, validateObjects } from "../../appmesh";
import { convertOrExit } from "../../cli/commands/convert";
import { CliError, exitCodeFor } from "../../cli/errors";
import { EXAMPLES, FIXTURES } from "./helpers";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const HOSTILE_STRINGS = [
  "a b; rm -rf /",
  "Bad Host!",
  "café.example.com",
  "my_service.example.com",
  `${"x".repeat(300)}.example.com`,
  `${"y".repeat(64)}.svc.cluster.local`,
  "",
  "*",
  "..",
  "__proto__",
  "constructor",
  "UPPER.case",
  "\u0000nul",
  "日本語",
  "-leading-dash",
  "trailing.",
  "10.0.0.1",
  "$(whoami)",
  "/../../etc/passwd",
  "x".repeat(5000),
];

function seeds(): { name: string; docs: Json[] }[] {
  const dirs = [FIXTURES, path.join(EXAMPLES, "k8s")].filter((d) => fs.existsSync(d));
  const out: { name: string; docs: Json[] }[] = [];
  for (const d of dirs) {
    for (const f of fs
      .readdirSync(d)
      .filter((x) => /\.ya?ml$/.test(x) && !/bad-weight|v1beta1/.test(x))
      .sort()) {
      const docs = YAML.parseAllDocuments(fs.readFileSync(path.join(d, f), "utf8"))
        .map((x) => x.toJS() as Json)
        .filter((x) => x !== null && typeof x === "object" && !Array.isArray(x));
      if (docs.length) out.push({ name: f, docs });
    }
  }
  return out;
}

/** Every path to a value inside a document (objects and arrays walked without recursion). */
function paths(root: Json): (string | number)[][] {
  const out: (string | number)[][] = [];
  const stack: [Json, (string | number)[]][] = [[root, []]];
  while (stack.length) {
    const [v, p] = stack.pop()!;
    out.push(p);
    if (Array.isArray(v)) v.forEach((x, i) => stack.push([x, [...p, i]]));
    else if (v !== null && typeof v === "object")
      for (const [k, x] of Object.entries(v)) stack.push([x, [...p, k]]);
  }
  return out;
}

function valueAt(root: Json, p: (string | number)[]): Json | undefined {
  let cur: Json | undefined = root;
  for (const k of p)
    cur =
      cur !== null && typeof cur === "object"
        ? (cur as Record<string | number, Json>)[k]
        : undefined;
  return cur;
}

function setAt(root: Json, p: (string | number)[], value: Json): Json {
  if (p.length === 0) return value;
  const copy = structuredClone(root);
  let cur: Json = copy;
  for (const k of p.slice(0, -1)) {
    if (cur === null || typeof cur !== "object") return copy;
    const next: Json = (cur as Record<string | number, Json>)[k] ?? {};
    Object.defineProperty(cur, k, {
      value: next,
      enumerable: true,
      writable: true,
      configurable: true,
    });
    cur = next;
  }
  if (cur === null || typeof cur !== "object") return copy;
  Object.defineProperty(cur, p[p.length - 1], {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return copy;
}

type Mutation =
  | { kind: "string"; doc: number; at: number; value: string }
  | { kind: "name" | "namespace"; doc: number; value: string }
  | { kind: "duplicate"; doc: number; changed: boolean }
  | { kind: "nest"; doc: number; at: number; depth: number }
  | { kind: "value"; doc: number; at: number; value: Json };

const hostileString = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.string({ unit: "grapheme", maxLength: 30 }),
);
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant("string" as const),
    doc: fc.nat(),
    at: fc.nat(),
    value: hostileString,
  }),
  fc.record({
    kind: fc.constantFrom("name" as const, "namespace" as const),
    doc: fc.nat(),
    value: hostileString,
  }),
  fc.record({ kind: fc.constant("duplicate" as const), doc: fc.nat(), changed: fc.boolean() }),
  fc.record({
    kind: fc.constant("nest" as const),
    doc: fc.nat(),
    at: fc.nat(),
    depth: fc.integer({ min: 1, max: 150 }),
  }),
  fc.record({
    kind: fc.constant("value" as const),
    doc: fc.nat(),
    at: fc.nat(),
    value: fc.constantFrom<Json>(null, -1, 0, 65536, 1e15, true, [], {}, "0", {
      __proto__: 1,
    } as unknown as Json),
  }),
);

function apply(docs: Json[], m: Mutation): Json[] {
  const out = [...docs];
  const i = m.doc % out.length;
  const d = out[i];
  switch (m.kind) {
    case "string": {
      // String leaves only: the schema still accepts the document, so the emitters see the hostile value.
      const ps = paths(d).filter((p) => p.length > 0 && typeof valueAt(d, p) === "string");
      if (ps.length === 0) return out;
      const p = ps[m.at % ps.length];
      out[i] = setAt(d, p, m.value);
      return out;
    }
    case "name":
    case "namespace":
      out[i] = setAt(d, ["metadata", m.kind], m.value);
      return out;
    case "duplicate": {
      const copy = structuredClone(d);
      out.push(m.changed ? setAt(copy, ["metadata", "labels"], { fuzz: "copy" }) : copy);
      return out;
    }
    case "nest": {
      const ps = paths(d);
      const p = ps[m.at % ps.length];
      let v: Json = "leaf";
      for (let k = 0; k < m.depth; k++) v = k % 2 ? [v] : { n: v };
      out[i] = setAt(d, p, v);
      return out;
    }
    case "value": {
      const ps = paths(d).filter((p) => p.length > 0);
      out[i] = setAt(d, ps[m.at % ps.length], m.value);
      return out;
    }
    default: {
      const never: never = m;
      throw new Error(String(never));
    }
  }
}

describe("hostile fuzz: the converter over mutated App Mesh files", function () {
  const all = seeds();
  const runs = Number(process.env.MESHLIFT_FUZZ_RUNS ?? 150);

  it(`${runs} mutated inputs x ${TARGETS.length} targets: exit 2 or valid objects, never exit 1`, async () => {
    const outcome = { invalid: 0, converted: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.nat(),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        async (seed, ms) => {
          const base = all[seed % all.length];
          const docs = ms.reduce(apply, base.docs);
          const content = docs
            .map((d) => YAML.stringify(d, { aliasDuplicateObjects: false }))
            .join("---\n");
          const input = [{ path: `fuzz-${base.name}`, content }];
          for (const target of TARGETS) {
            let result: ConversionResult;
            try {
              result = convertOrExit(input, "default", target);
            } catch (e) {
              // The CLI's mapping: anything but a user error would be exit 1 with a trace.
              assert.ok(
                e instanceof CliError || e instanceof InputError,
                `internal error: ${String(e instanceof Error ? e.stack : e)}`,
              );
              assert.equal(exitCodeFor(e).code, 2);
              assert.doesNotMatch(exitCodeFor(e).message, /\n\s+at /);
              outcome.invalid++;
              continue;
            }
            outcome.converted++;
            assert.deepEqual(
              await validateObjects(result.objects),
              [],
              `${target} on ${JSON.stringify(ms).slice(0, 300)}`,
            );
            assert.ok(
              result.findings.every((f) => f.reason.length < 20_000),
              "findings quote hostile values shortened",
            );
          }
        },
      ),
      {
        numRuns: runs,
        interruptAfterTimeLimit: Number(process.env.MESHLIFT_FUZZ_MS ?? 30_000),
        markInterruptAsFailure: false,
      },
    );
    console.log(
      `      ${outcome.converted} conversions valid, ${outcome.invalid} refused as invalid input (exit 2), 0 internal errors`,
    );
    assert.ok(outcome.converted > 0 && outcome.invalid > 0, "the fuzz reaches both outcomes");
  });
});
