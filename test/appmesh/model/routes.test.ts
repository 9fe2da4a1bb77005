// Which regexes Istio's RE2 refuses: read token by token, not by a pattern over the text.
import * as assert from "node:assert/strict";
import { regexProblem, usesLookaroundOrBackreference } from "../../../appmesh/model/routes";
import { stringMatch } from "../../../appmesh/route-values";

describe("regexProblem", () => {
  it("refuses lookahead, lookbehind and backreferences", () => {
    for (const re of [
      "a(?=b)",
      "a(?!b)",
      "(?<=a)b",
      "(?<!a)b",
      "(a)\\1",
      "(a)(b)\\2",
      "(?<x>a)\\k<x>",
      "[\\1]",
    ])
      assert.equal(regexProblem(re), "uses lookaround or backreferences, which RE2 lacks", re);
  });

  it("accepts an escaped backslash before a digit, and look-alikes inside a class or escaped", () => {
    // \\1 is a literal backslash then 1: what a suffix match "\1" escapes to (the CI counterexample, seed 795653740).
    for (const re of [
      ".*\\\\1",
      "\\\\\\\\9",
      "[(?=]",
      "[^(?!]x",
      "[]\\\\1]",
      "\\(?=a\\)",
      "(?:a)",
      "(?i)a",
      "(?P<n>a)",
    ])
      assert.equal(usesLookaroundOrBackreference(re), false, re);
    assert.equal(regexProblem(".*\\\\1"), undefined);
  });

  it("still sees a backreference after an escaped backslash pair", () => {
    assert.equal(usesLookaroundOrBackreference("(a)\\\\\\1"), true);
  });

  it("turns every suffix into a regex it accepts and that matches exactly that suffix", () => {
    for (const suffix of ["\\1", "\\k<x>", "(?=x)", "[a]", "$^.*+?{}|", "é\\\\2"]) {
      const { match } = stringMatch({ name: "x-a", match: { suffix } });
      assert.equal(regexProblem(match.regex), undefined, suffix);
      assert.ok(new RegExp(`^${match.regex}$`).test(`anything${suffix}`), suffix);
      assert.ok(!new RegExp(`^${match.regex}$`).test(`${suffix}x`), suffix);
    }
  });
});
