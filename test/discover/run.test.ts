// render(): the files of a discovery from a snapshot, without a cluster: one export per meshed namespace, inventory.json, summary.md.
import * as assert from "node:assert/strict";
import { exportFile } from "../../discover/export";
import { render } from "../../discover/run";
import { renderSummary, stackEntries } from "../../discover/summary";
import { snapshot } from "../support/discover-cluster";

describe("discover render", () => {
  const s = snapshot({
    namespaces: [{ metadata: { name: "a" } }, { metadata: { name: "b" } }],
    meshed: ["a", "b"],
  });

  it("writes one export per meshed namespace, inventory.json and summary.md", () => {
    const r = render(s, "2026-12-02T00:00:00.000Z", "out");
    assert.deepEqual(
      [...r.files.keys()],
      ["exports/a.yaml", "exports/b.yaml", "inventory.json", "summary.md"],
    );
    assert.equal(
      r.files.get("exports/a.yaml"),
      exportFile(s, "a", { generatedAt: "2026-12-02T00:00:00.000Z" }).content,
    );
    assert.deepEqual(JSON.parse(r.files.get("inventory.json") ?? ""), r.inventory);
    assert.ok(r.files.get("inventory.json")?.endsWith("}\n"));
    assert.equal(r.files.get("summary.md"), renderSummary(r.inventory, "out"));
    assert.equal(r.entries, stackEntries(r.inventory, "out"));
    assert.equal(r.inventory.generatedAt, "2026-12-02T00:00:00.000Z");
  });

  it("writes only inventory.json and summary.md when nothing is meshed", () => {
    const r = render(snapshot({}), "t", "out");
    assert.deepEqual([...r.files.keys()], ["inventory.json", "summary.md"]);
    assert.deepEqual(r.inventory.namespaces, []);
  });
});
