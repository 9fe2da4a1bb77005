// Hostile input to a management stack's `meshlift:fleet` key: the section and the stack files it names, in the one config load.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import { ConfigError, ConfigProblem } from "../../../config/errors";
import { parseConfig } from "../../../config/load";
import { fleetProject } from "../../support/fleet";

const FLEET = {
  stacks: ["dev", "prod"],
  source: { kind: "git", repo: "https://github.com/acme/platform.git", branch: "main" },
  identity: { mode: "irsa" },
};

function flat(fleet: unknown, extra: Record<string, string> = {}): Record<string, string> {
  return {
    "aws:region": "us-east-1",
    "meshlift:environment": "mgmt",
    "meshlift:cluster": JSON.stringify({ mode: "existing", name: "mgmt" }),
    "meshlift:fleet": typeof fleet === "string" ? fleet : JSON.stringify(fleet),
    ...extra,
  };
}

function problemsOf(projectDir: string, config: Record<string, string>): ConfigProblem[] {
  try {
    parseConfig("mgmt", config, { projectDir });
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected a ConfigError, got ${String(e)}`);
    assert.doesNotMatch(e.message, /\n\s+at /, "no stack trace in the message");
    return [...e.problems];
  }
  assert.fail("expected a ConfigError");
}

describe("hostile meshlift:fleet config", () => {
  const dir = fleetProject();

  it("loads a valid fleet with every environment read and parsed", () => {
    const cfg = parseConfig("mgmt", flat(FLEET), { projectDir: dir });
    assert.deepEqual(
      cfg.fleetEnvironments.map((e) => [e.stack, e.environment]),
      [
        ["dev", "dev"],
        ["prod", "prod"],
      ],
    );
    assert.deepEqual(
      parseConfig("dev", flat(FLEET), { projectDir: dir, readFleet: false }).fleetEnvironments,
      [],
    );
  });

  it("refuses wrong types, naming the key", () => {
    for (const [value, key] of [
      ["7", "meshlift:fleet"],
      ['"dev,prod"', "meshlift:fleet"],
      [{ ...FLEET, stacks: "dev" }, "meshlift:fleet.stacks"],
      [{ ...FLEET, stacks: [1] }, "meshlift:fleet.stacks.0"],
      [{ ...FLEET, operator: { install: "yes" } }, "meshlift:fleet.operator.install"],
      [{ ...FLEET, identity: { mode: "keys" } }, "meshlift:fleet.identity.mode"],
    ] as const) {
      const keys = problemsOf(dir, flat(value)).map((p) => p.key);
      assert.ok(keys.includes(key), `${JSON.stringify(value)}: ${keys.join(", ")}`);
    }
  });

  it("refuses invalid, unicode, huge and duplicated stack names before reading any file", () => {
    for (const [stacks, message] of [
      [["Dev"], /lower-case stack name/],
      [["dév"], /lower-case stack name/],
      [["../../etc/passwd"], /lower-case stack name/],
      [["x".repeat(34)], /at most 33 characters/],
      [["dev", "dev"], /listed twice/],
      [Array.from({ length: 1001 }, (_, i) => `s${i}`), /at most 1000/],
    ] as const) {
      const problems = problemsOf(dir, flat({ ...FLEET, stacks }));
      assert.ok(
        problems.some((p) => p.key.startsWith("meshlift:fleet.stacks") && message.test(p.message)),
        `${String(stacks[0])}: ${problems.map((p) => `${p.key}: ${p.message}`).join("; ")}`,
      );
      assert.ok(
        !problems.some((p) => /stacks\/Pulumi\./.test(p.message)),
        "no stack file is read for a section that does not parse",
      );
    }
  });

  it("refuses __proto__ and constructor keys without polluting anything, and treats constructor as an unknown stack", () => {
    const before = Object.getOwnPropertyNames(Object.prototype).length;
    const keyed = problemsOf(dir, flat(FLEET, { "meshlift:fleet.__proto__.polluted": "1" })).map(
      (p) => p.key,
    );
    assert.ok(
      keyed.some((k) => k.startsWith("meshlift:fleet.__proto__")),
      keyed.join(", "),
    );
    const nested = problemsOf(dir, flat(`{"stacks":["dev"],"__proto__":{"polluted":1}}`));
    assert.ok(
      nested.some((p) => /__proto__/.test(p.key + p.message)),
      JSON.stringify(nested),
    );
    const ctor = problemsOf(dir, flat({ ...FLEET, stacks: ["constructor"] }));
    assert.deepEqual(
      ctor.map((p) => p.key),
      ["meshlift:fleet.stacks.0"],
    );
    assert.match(
      ctor[0].message,
      /unknown stack "constructor": no stacks\/Pulumi\.constructor\.yaml/,
    );
    assert.equal(Object.getOwnPropertyNames(Object.prototype).length, before);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it("refuses deep nesting in the section", () => {
    let deep: unknown = "x";
    for (let i = 0; i < 200; i++) deep = { a: deep };
    const problems = problemsOf(dir, flat({ ...FLEET, source: deep }));
    assert.ok(
      problems.some((p) => p.key.startsWith("meshlift:fleet")),
      problems.map((p) => p.key).join(", "),
    );
  });

  it("names each bad environment file with its own problems, and never quotes a plain credential", () => {
    const project = fleetProject();
    fs.writeFileSync(
      path.join(project, "stacks", "Pulumi.broken.yaml"),
      "config: [unclosed\n  - : :\n",
    );
    fs.writeFileSync(
      path.join(project, "stacks", "Pulumi.leaky.yaml"),
      "config:\n  aws:region: eu-west-1\n  aws:secretKey: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n  meshlift:environment: leaky\n  meshlift:cluster: {mode: create}\n",
    );
    fs.mkdirSync(path.join(project, "stacks", "Pulumi.folder.yaml"));
    const problems = problemsOf(
      project,
      flat({ ...FLEET, stacks: ["dev", "broken", "leaky", "folder", "gone"] }),
    );
    const by = (i: number) => problems.filter((p) => p.key === `meshlift:fleet.stacks.${i}`);
    assert.equal(by(0).length, 0, "dev is fine");
    assert.match(by(1)[0].message, /^stacks\/Pulumi\.broken\.yaml: cannot read it:/);
    assert.match(by(2)[0].message, /aws:secretKey holds .* in plain text/);
    assert.match(by(3)[0].message, /stacks\/Pulumi\.folder\.yaml: cannot read it/);
    assert.match(by(4)[0].message, /unknown stack "gone"/);
    assert.doesNotMatch(JSON.stringify(problems), /wJalrXUtnFEMI/);
  });

  it("never fails with anything but a ConfigError on arbitrary fleet values (bounded fuzz)", () => {
    fc.assert(
      fc.property(
        fc.jsonValue({ maxDepth: 4 }),
        fc.array(fc.string(), { maxLength: 4 }),
        (v, stacks) => {
          for (const value of [v, { ...FLEET, stacks }, { ...FLEET, source: v }]) {
            try {
              parseConfig("mgmt", flat(value), { projectDir: dir });
            } catch (e) {
              assert.ok(e instanceof ConfigError, String(e));
            }
          }
        },
      ),
      { numRuns: 150, seed: 15 },
    );
  });
});
