// The migration config section (migration.namespaces and appmesh.controller): defaults, and each bad entry a config error naming it.
import * as assert from "node:assert/strict";
import { parseConfig } from "../../../config/load";
import { configError } from "../../support/config";

const base = {
  "aws:region": "eu-west-1",
  "meshlift:environment": "dev",
  "meshlift:cluster": JSON.stringify({ mode: "create" }),
};

/** The problems of the one ConfigError parsing `flat` raises. */
const problems = (flat: Record<string, string>) => [...configError(flat, "t").problems];

function withNamespaces(namespaces: unknown, extra: Record<string, string> = {}) {
  return { ...base, "meshlift:migration": JSON.stringify({ namespaces }), ...extra };
}

describe("config: migration.namespaces", () => {
  it("defaults to no namespaces, istioWeight 0, no health check, ttl 60, no controller", () => {
    const cfg = parseConfig("t", base);
    assert.deepEqual(cfg.migration.namespaces, []);
    assert.equal(cfg.cutover.istioWeight, 0);
    assert.equal(cfg.cutover.healthCheck, false);
    assert.equal(cfg.cutover.ttl, 60);
    assert.deepEqual(cfg.cutover.records, []);
    assert.equal(cfg.appmesh.controller, undefined);
  });

  it("names the duplicate entry", () => {
    const p = problems(
      withNamespaces([
        { name: "shop", state: "istio" },
        { name: "cart", state: "istio" },
        { name: "shop", state: "istio" },
      ]),
    );
    assert.equal(p.length, 1);
    assert.equal(p[0].key, "meshlift:migration.namespaces.2.name");
    assert.equal(p[0].given, "shop");
    assert.match(p[0].message, /"shop" is listed twice \(entries 0 and 2\)/);
  });

  it("names a namespace listed in both states", () => {
    const p = problems(
      withNamespaces([
        { name: "shop", state: "appmesh" },
        { name: "shop", state: "istio" },
      ]),
    );
    assert.equal(p[0].key, "meshlift:migration.namespaces.1.name");
    assert.match(p[0].message, /both states: appmesh \(entry 0\) and istio \(entry 1\)/);
  });

  it("rejects bad names, reserved namespaces, unknown states and unknown keys, each on its entry", () => {
    const p = problems(
      withNamespaces([
        { name: "Shop_1", state: "istio" },
        { name: "kube-system", state: "istio" },
        { name: "cart", state: "linkerd" },
        { name: "web", state: "istio", restart: "x" },
      ]),
    );
    const keys = p.map((x) => x.key);
    assert.ok(keys.includes("meshlift:migration.namespaces.0.name"), keys.join());
    assert.ok(keys.includes("meshlift:migration.namespaces.1.name"), keys.join());
    assert.ok(keys.includes("meshlift:migration.namespaces.2.state"), keys.join());
    assert.ok(keys.includes("meshlift:migration.namespaces.3.restart"), keys.join());
    assert.match(p.find((x) => x.key.endsWith("1.name"))!.message, /reserved/);
    assert.match(p.find((x) => x.key.endsWith("2.state"))!.message, /"appmesh", "istio"/);
  });

  it("refuses decommission while a namespace is still on App Mesh, naming it", () => {
    const p = problems(
      withNamespaces(
        [
          { name: "shop", state: "istio" },
          { name: "payments", state: "appmesh" },
        ],
        { "meshlift:phase": "decommission" },
      ),
    );
    assert.equal(p.length, 1);
    assert.equal(p[0].key, "meshlift:migration.namespaces.1.state");
    assert.match(p[0].message, /"payments" is still on App Mesh/);
  });
});

describe("config: appmesh.controller", () => {
  it("fills the controller handle's defaults and needs its installed version", () => {
    const cfg = parseConfig("t", {
      ...base,
      "meshlift:appmesh": JSON.stringify({ controller: { version: "1.13.1" } }),
    });
    assert.equal(cfg.appmesh.controller?.releaseName, "appmesh-controller");
    assert.equal(cfg.appmesh.controller?.namespace, "appmesh-system");
    const p = problems({ ...base, "meshlift:appmesh": JSON.stringify({ controller: {} }) });
    assert.equal(p[0].key, "meshlift:appmesh.controller.version");
  });
});
