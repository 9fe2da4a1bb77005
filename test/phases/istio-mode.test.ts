// Tests the guard that refuses to switch an installed mesh between sidecar and ambient.
import * as assert from "node:assert/strict";
import { guardIstioMode, IstioModeError } from "../../phases/istio-mode";

const deployed = (istioMode?: string) => ({ known: true as const, outputs: { istioMode } });

describe("guardIstioMode", () => {
  it("refuses a switch of an installed mesh, saying how to get out", () => {
    assert.throws(
      () => guardIstioMode(deployed("sidecar"), "ambient", true),
      (e: unknown) =>
        e instanceof IstioModeError &&
        e.deployedMode === "sidecar" &&
        /back to "sidecar"/.test(e.message) &&
        /phase "discovery"/.test(e.message),
    );
    assert.throws(() => guardIstioMode(deployed("ambient"), "sidecar", true), IstioModeError);
  });

  it("allows the same mode, a new install, and any mode when Istio is not installed", () => {
    assert.equal(guardIstioMode(deployed("sidecar"), "sidecar", true), "unchanged: sidecar");
    assert.equal(guardIstioMode(deployed(undefined), "ambient", true), "new install: ambient");
    assert.match(guardIstioMode(deployed("sidecar"), "ambient", false), /not installed/);
  });

  it("says it did not check when the deployed state is unknown (offline)", () => {
    const s = guardIstioMode({ known: false, reason: "offline plan" }, "ambient", true);
    assert.match(s, /^not checked \(offline plan\)/);
  });
});
