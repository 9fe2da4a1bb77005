// Hostile stack files (stacks/Pulumi.<stack>.yaml): YAML syntax errors, bombs and nesting are config errors with file, line and reason.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { exitCodeFor } from "../../cli/errors";
import { readStackFile } from "../../config/stack-file";
import { planStack } from "../../plan/offline";
import { tempDir } from "../automation/support";

function project(files: Record<string, string>): string {
  const dir = tempDir("meshlift-stackfiles-");
  fs.mkdirSync(path.join(dir, "stacks"));
  for (const [stack, text] of Object.entries(files))
    fs.writeFileSync(path.join(dir, "stacks", `Pulumi.${stack}.yaml`), text);
  return dir;
}

function aliasBomb(): string {
  let text = "config:\n  meshlift:a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  let prev = "a";
  for (const n of ["b", "c", "d", "e", "f", "g", "h"]) {
    text += `  meshlift:${n}: &${n} [${Array(10).fill(`*${prev}`).join(", ")}]\n`;
    prev = n;
  }
  return text;
}

const CASES: [string, string, RegExp][] = [
  [
    "tab",
    "config:\n  aws:region: eu-west-1\n\tmeshlift:environment: dev\n",
    /Pulumi\.tab\.yaml:3:1: Tabs are not allowed as indentation/,
  ],
  [
    "dup",
    "config:\n  aws:region: eu-west-1\n  aws:region: eu-west-2\n",
    /Pulumi\.dup\.yaml:3:3: Map keys must be unique/,
  ],
  ["bomb", aliasBomb(), /Pulumi\.bomb\.yaml: aliases expand too much/],
  [
    "flow",
    `config:\n  meshlift:x: ${"[".repeat(20_000)}${"]".repeat(20_000)}\n`,
    /Pulumi\.flow\.yaml:2:\d+: collections nested deeper than 64 levels/,
  ],
  [
    "block",
    `config:\n  meshlift:x:\n${Array.from({ length: 1200 }, (_, i) => `${" ".repeat(i + 4)}b:`).join("\n")}\n`,
    /Pulumi\.block\.yaml:65:\d+: collections nested deeper than 64 levels/,
  ],
  [
    "dashes",
    `config:\n  meshlift:x:\n    ${"- ".repeat(5000)}a\n`,
    /Pulumi\.dashes\.yaml:3:5: collections nested deeper than 64 levels/,
  ],
  ["huge", `config:\n  meshlift:x: "${"x".repeat(2 * 1024 * 1024)}"\n`, /is too large/],
  ["list", "- a\n- b\n", /is not a YAML mapping/],
  ["config-list", "config:\n  - a\n", /`config:` is not a mapping/],
];

describe("hostile stack files", () => {
  const dir = project(Object.fromEntries(CASES.map(([s, text]) => [s, text])));

  for (const [stack, , why] of CASES) {
    it(`${stack}: a config error (exit 2) with the file, line and reason, no trace`, () => {
      let error: unknown;
      try {
        readStackFile(dir, stack);
      } catch (e) {
        error = e;
      }
      assert.ok(error instanceof Error, `expected an error for ${stack}`);
      const { code, message } = exitCodeFor(error);
      assert.equal(code, 2, message.slice(0, 500));
      assert.match(message, why);
      assert.doesNotMatch(message, /\n\s+at /, "no stack trace");
      assert.ok(message.length < 400, `message of ${message.length} characters`);
    });
  }

  it("stops the offline plan the same way, before anything runs", () => {
    assert.throws(
      () => planStack({ stack: "tab", projectDir: dir }),
      (e: Error) => exitCodeFor(e).code === 2 && /Tabs are not allowed/.test(e.message),
    );
  });
});
