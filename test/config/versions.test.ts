// The pinned versions: Istio's minor-version comparison, charts and images from the hosts Istio serves after December 2026.
import * as assert from "node:assert/strict";
import {
  CHARTS,
  EXIT_ON_ZERO_ACTIVE_CONNECTIONS_SINCE,
  ISTIO_CHART_REPOSITORY,
  ISTIO_HUB,
  ISTIO_VERSION,
  istioAtLeast,
  MIN_KUBERNETES_VERSION,
  RETIRED_ISTIO_HOSTS,
} from "../../config/versions";

describe("config versions", () => {
  it("compares Istio versions by major and minor", () => {
    assert.equal(istioAtLeast("1.30.3", "1.12"), true);
    assert.equal(istioAtLeast("1.12.0", "1.12"), true);
    assert.equal(istioAtLeast("1.11.9", "1.12"), false);
    assert.equal(istioAtLeast("2.0.0", "1.30"), true);
    assert.equal(istioAtLeast("1.9", "1.12"), false, "9 < 12, not '9' > '12'");
    assert.equal(istioAtLeast(ISTIO_VERSION, EXIT_ON_ZERO_ACTIVE_CONNECTIONS_SINCE), true);
  });

  it("pins Istio 1.30+ charts to blob.istio.io and images to docker.io/istio, never a retired host", () => {
    assert.ok(istioAtLeast(ISTIO_VERSION, "1.30"));
    assert.equal(MIN_KUBERNETES_VERSION, "1.32", "Istio 1.30 needs Kubernetes 1.32+");
    assert.equal(ISTIO_CHART_REPOSITORY, "https://blob.istio.io/istio-release/charts");
    assert.equal(ISTIO_HUB, "docker.io/istio");
    for (const c of [CHARTS.istioGateway, CHARTS.ztunnel]) {
      assert.equal(c.version, ISTIO_VERSION);
      assert.ok(!RETIRED_ISTIO_HOSTS.some((h) => c.repo.includes(h)), c.repo);
    }
    assert.ok(RETIRED_ISTIO_HOSTS.some((h) => h.includes("gcr.io")));
  });
});
