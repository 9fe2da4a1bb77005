// The converter's one list of findings: where each names its place, and the order they are reported in.
import * as assert from "node:assert/strict";
import { Findings, sortFindings } from "../../appmesh/findings";
import type { Finding } from "../../appmesh/types";

const origin = { file: "shop.yaml", document: 2 };

describe("appmesh findings", () => {
  it("names a whole object or a field inside one, with the file and document it was read from", () => {
    const f = new Findings([{ severity: "info", source: "Mesh m", field: "", reason: "first" }]);
    f.on({ source: "VirtualNode shop/cart", origin }, "warning", "spec.listeners", "w");
    f.at("blocker", "VirtualRouter shop/r", origin, "spec.routes[0]", "b");
    assert.deepEqual(f.findings, [
      { severity: "info", source: "Mesh m", field: "", reason: "first" },
      {
        severity: "warning",
        source: "VirtualNode shop/cart",
        field: "spec.listeners",
        reason: "w",
        file: "shop.yaml",
        document: 2,
      },
      {
        severity: "blocker",
        source: "VirtualRouter shop/r",
        field: "spec.routes[0]",
        reason: "b",
        file: "shop.yaml",
        document: 2,
      },
    ]);
  });

  it("does not share the initial list it was given", () => {
    const initial: Finding[] = [];
    new Findings(initial).at("info", "s", origin, "", "r");
    assert.equal(initial.length, 0);
  });

  it("sorts blockers, then warnings, then info, keeping the order found, and drops word-for-word repeats", () => {
    const f = (severity: Finding["severity"], reason: string, document?: number): Finding => ({
      severity,
      source: "s",
      field: "f",
      reason,
      ...(document === undefined ? {} : { file: "a.yaml", document }),
    });
    assert.deepEqual(
      sortFindings([
        f("info", "i1"),
        f("warning", "w1"),
        f("blocker", "b1"),
        f("warning", "w1"),
        f("warning", "w2"),
        f("blocker", "b1", 1),
      ]),
      [
        f("blocker", "b1"),
        f("blocker", "b1", 1),
        f("warning", "w1"),
        f("warning", "w2"),
        f("info", "i1"),
      ],
    );
  });
});
