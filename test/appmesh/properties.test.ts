// Property tests (fast-check): weight normalisation keeps ratios; schema-valid random App Mesh never breaks the converter.
import * as assert from "node:assert/strict";
import fc from "fast-check";
import { apiRoute, input } from "./arbitraries";
import * as YAML from "yaml";
import {
  convert,
  normalizeWeights,
  toYaml,
  validateIstioObjects,
  validateObjects,
} from "../../appmesh";

describe("normalizeWeights", () => {
  it("sums to 100 and keeps every share within one point of its ratio", () => {
    fc.assert(
      fc.property(
        fc
          .array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 10 })
          .filter((w) => w.some((x) => x > 0)),
        (w) => {
          const out = normalizeWeights(w);
          const sum = w.reduce((a, b) => a + b, 0);
          assert.equal(
            out.reduce((a, b) => a + b, 0),
            100,
          );
          out.forEach((o, i) => {
            assert.ok(Math.abs(o - (100 * w[i]) / sum) < 1, `${w} -> ${out}`);
            if (w[i] === 0) assert.equal(o, 0);
          });
          // Order is kept: a heavier input never gets less than a lighter one.
          for (let i = 0; i < w.length; i++)
            for (let j = 0; j < w.length; j++) if (w[i] > w[j]) assert.ok(out[i] >= out[j]);
        },
      ),
    );
  });

  it("is exact whenever the ratio can be written in hundredths", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 99 }), fc.integer({ min: 1, max: 5 }), (a, k) => {
        assert.deepEqual(normalizeWeights([a * k, (100 - a) * k]), [a, 100 - a]);
      }),
    );
  });

  it("leaves all-zero weights at zero", () => {
    assert.deepEqual(normalizeWeights([0, 0, 0]), [0, 0, 0]);
  });
});

describe("convert on random schema-valid App Mesh input", () => {
  it("never throws, emits valid Istio objects with weights summing to 100, and is deterministic", async () => {
    await fc.assert(
      fc.asyncProperty(input, async (docs) => {
        const content = docs.map((d) => YAML.stringify(d)).join("---\n");
        const r = convert([{ path: "random.yaml", content }]);
        assert.deepEqual(await validateIstioObjects(r.objects), []);
        for (const o of r.objects) {
          for (const h of (o.spec.http ?? []) as { route: { weight?: number }[] }[]) {
            if (h.route.length > 1) {
              const sum = h.route.reduce((a, d) => a + (d.weight ?? 0), 0);
              assert.ok(sum === 100 || sum === 0, `weights sum ${sum}`);
            }
          }
        }
        assert.equal(
          toYaml(convert([{ path: "random.yaml", content }]).objects),
          toYaml(r.objects),
        );
      }),
      { numRuns: Number(process.env.MESHLIFT_PROPERTY_RUNS ?? 60) },
    );
  });
});

describe("convert on random AWS API route documents", () => {
  it("never throws and emits valid objects, whatever the App Mesh names look like", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(apiRoute, { minLength: 1, maxLength: 4 }), async (routes) => {
        const files = routes.map((r, i) => ({
          path: `route-${i}.json`,
          content: JSON.stringify(r),
        }));
        const r = convert(files, { namespace: "payments" });
        assert.deepEqual(await validateIstioObjects(r.objects), []);
        assert.ok(r.objects.every((o) => o.metadata.namespace === "payments"));
      }),
      { numRuns: Number(process.env.MESHLIFT_PROPERTY_RUNS ?? 60) },
    );
  });
});

for (const target of ["gateway-api", "ambient"] as const) {
  describe(`convert --target ${target} on random schema-valid App Mesh input`, () => {
    it("never throws, emits valid objects, keeps weights exactly, and is deterministic", async () => {
      await fc.assert(
        fc.asyncProperty(input, async (docs) => {
          const content = docs.map((d) => YAML.stringify(d)).join("---\n");
          const r = convert([{ path: "random.yaml", content }], { target });
          assert.deepEqual(await validateObjects(r.objects), []);
          assert.ok(r.objects.every((o) => o.kind !== "VirtualService"));
          if (target === "ambient") {
            assert.ok(r.objects.every((o) => o.kind !== "Sidecar"));
            // Every namespace with a mesh route has its waypoint and asks for the label.
            for (const o of r.objects.filter((x) => /Route$/.test(x.kind))) {
              const mesh = (o.spec.parentRefs as { kind: string }[]).some(
                (p) => p.kind === "Service",
              );
              if (!mesh) continue;
              const ns = o.metadata.namespace!;
              assert.ok(
                r.objects.some(
                  (w) =>
                    w.kind === "Gateway" &&
                    w.metadata.namespace === ns &&
                    w.spec.gatewayClassName === "istio-waypoint",
                ),
              );
              assert.equal(r.namespaceLabels?.[ns]?.["istio.io/use-waypoint"], "waypoint");
            }
          }
          // Weights are App Mesh's own (the Gateway API weighs proportionally): integers 0-100, never normalised.
          for (const o of r.objects.filter(
            (x) => x.kind === "HTTPRoute" || x.kind === "GRPCRoute" || x.kind === "TCPRoute",
          )) {
            for (const rule of (o.spec.rules as { backendRefs: { weight?: number }[] }[]) ?? []) {
              const w = rule.backendRefs.map((b) => b.weight ?? 1);
              assert.ok(w.every((x) => Number.isInteger(x) && x >= 0 && x <= 100));
            }
          }
          assert.equal(
            toYaml(convert([{ path: "random.yaml", content }], { target }).objects),
            toYaml(r.objects),
          );
        }),
        { numRuns: Number(process.env.MESHLIFT_PROPERTY_RUNS ?? 60) },
      );
    });
  });
}
