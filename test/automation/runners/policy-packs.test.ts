// The service runs the mesh policy pack on every preview and up: the engine options, and where the packs come from.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { engineOptions } from "../../../automation/runners/local";
import { DEFAULT_PROJECT_DIR, OPERATION_KINDS } from "../../../automation/runners/runner";
import { resolveServeSettings } from "../../../automation/service/settings";
import { tempDir } from "../support";

describe("policy packs on the service's operations", () => {
  const pack = path.join(DEFAULT_PROJECT_DIR, "policy");

  it("passes the packs to preview and up (the Automation API turns them into --policy-pack), not to refresh or destroy", () => {
    const signal = new AbortController().signal;
    for (const kind of OPERATION_KINDS) {
      const o = engineOptions({ kind, signal, onEvent: () => undefined }, [pack]);
      assert.equal(o.signal, signal);
      assert.deepEqual(
        o.policyPacks,
        kind === "preview" || kind === "up" ? [pack] : undefined,
        kind,
      );
    }
    assert.equal(
      engineOptions({ kind: "up", signal, onEvent: () => undefined }, []).policyPacks,
      undefined,
    );
  });

  it("forwards engine events unchanged", () => {
    const seen: unknown[] = [];
    const o = engineOptions(
      { kind: "up", signal: new AbortController().signal, onEvent: (e) => seen.push(e) },
      [],
    );
    const event = { sequence: 1, policyEvent: { policyName: "single-sidecar-injector" } };
    o.onEvent(event as never);
    assert.deepEqual(seen, [event]);
  });

  it("uses the project's pack by default, the given ones, or none; refuses a directory that is no pack", () => {
    assert.deepEqual(resolveServeSettings({}, {}).policyPacks, [pack]);
    assert.ok(fs.existsSync(path.join(pack, "PulumiPolicy.yaml")));
    assert.deepEqual(resolveServeSettings({ policyPacks: "none" }, {}).policyPacks, []);
    assert.deepEqual(
      resolveServeSettings({}, { MESHLIFT_POLICY_PACKS: `${pack}, ${pack}` }).policyPacks,
      [pack, pack],
    );
    const notAPack = tempDir();
    for (const raw of [notAPack, "", `${pack},`, "/nonexistent/\u00e9", "__proto__"]) {
      assert.throws(
        () => resolveServeSettings({ policyPacks: raw }, {}),
        /--policy-packs .*is not a policy pack directory \(no PulumiPolicy\.yaml\)/,
        JSON.stringify(raw),
      );
    }
  });
});
