// The ambient migration end to end on the dev stack: ambient labels, waypoints, no sidecar anywhere, Gateway API CRDs before their users; sidecar mode as it was.
import * as assert from "node:assert/strict";
import {
  DATAPLANE_MODE_LABEL,
  ISTIO_INJECTION_LABEL,
  RESTART_ANNOTATION,
} from "../../builders/namespace-migration";
import { atPhase, loadStack } from "../../config/load";
import { GATEWAY_API } from "../../config/versions";
import { PROJECT_DIR } from "../../plan/offline";
import { renderRunbook } from "../../plan/runbook";
import type { PlanDocument, PlanResource } from "../../plan/offline";
import { PHASES } from "../../phases/phases";
import { checkSubject, formatViolations } from "../../policy/run";
import { subjectFromPlan } from "../../policy/subject";
import { planPhase } from "../../phases/plan";
import { named, ofType, plan, transitiveDeps } from "../support/plan";

const AMBIENT = { "istio.mode": "ambient" };
const CONVERTED = /^kubernetes:[^:]+\.(istio\.io|k8s\.io)\/[^:]+:|^kubernetes:core\/v1:Service$/;
/** The converted objects of the migrating namespaces (children of their NamespaceMigration). */
const converted = (doc: PlanDocument) =>
  doc.resources.filter(
    (r) => /^ns-[a-z]+-/.test(r.name) && CONVERTED.test(r.type) && "spec" in r.inputs,
  );
const CRDS = "kubernetes:yaml/v2:ConfigFile";

const labelsOf = (doc: PlanDocument, ns: string) =>
  (named(doc, `ns-${ns}-labels`).inputs.metadata as { labels: Record<string, string> }).labels;
const kindOf = (r: PlanResource) => r.type.split(":")[2];
const helm = (doc: PlanDocument, release: string) => {
  const r = ofType(doc, "kubernetes:helm.sh/v3:Release").find((x) => x.inputs.name === release);
  assert.ok(r, `Helm release ${release} in the plan`);
  return r;
};

describe("ambient mode on the dev stack", () => {
  let ambient: PlanDocument;
  let sidecar: PlanDocument;
  before(async function () {
    this.timeout(180000);
    ambient = await plan({ stack: "dev", phase: "workloads", set: AMBIENT });
    sidecar = await plan({ stack: "dev", phase: "workloads" });
  });

  it("labels the migrating namespaces istio.io/dataplane-mode=ambient and enables Istio's injector nowhere", () => {
    assert.deepEqual(labelsOf(ambient, "shop"), {
      [ISTIO_INJECTION_LABEL]: "disabled",
      "appmesh.k8s.aws/sidecarInjectorWebhook": "disabled",
      [DATAPLANE_MODE_LABEL]: "ambient",
      // The converted routes of shop need L7: its Services use the waypoint.
      "istio.io/use-waypoint": "waypoint",
    });
    // payments has no export, so no converted routes and no waypoint: ztunnel alone.
    assert.deepEqual(labelsOf(ambient, "payments"), {
      [ISTIO_INJECTION_LABEL]: "disabled",
      "appmesh.k8s.aws/sidecarInjectorWebhook": "disabled",
      [DATAPLANE_MODE_LABEL]: "ambient",
    });
    assert.doesNotMatch(JSON.stringify(ambient.resources), /"istio-injection":"enabled"/);
    // The mesh policy pack (no-sidecar-injection-in-ambient among its checks) finds nothing.
    assert.deepEqual(formatViolations(checkSubject(subjectFromPlan(ambient))), []);
  });

  it("creates a waypoint where the converted routes need L7, Gateway API routes, and no Sidecar", () => {
    const shop = converted(ambient).filter((r) => r.name.startsWith("ns-shop-"));
    const waypoints = shop.filter(
      (r) =>
        kindOf(r) === "Gateway" &&
        (r.inputs.spec as { gatewayClassName?: string }).gatewayClassName === "istio-waypoint",
    );
    assert.deepEqual(
      waypoints.map((r) => (r.inputs.metadata as { namespace: string; name: string }).name),
      ["waypoint"],
    );
    assert.ok(shop.some((r) => kindOf(r) === "HTTPRoute"));
    // The per-version Services are core Services, the provider's own type.
    assert.ok(shop.some((r) => r.type === "kubernetes:core/v1:Service"));
    assert.equal(converted(ambient).filter((r) => kindOf(r) === "Sidecar").length, 0);
    assert.equal(converted(ambient).filter((r) => kindOf(r) === "VirtualService").length, 0);
  });

  it("installs the pinned Gateway API CRDs before istiod and before every object that uses them", () => {
    const [crds] = ofType(ambient, CRDS);
    assert.ok(crds, "the Gateway API CRDs are in the plan");
    assert.equal(crds.inputs.file, GATEWAY_API.manifest);
    assert.match(String(crds.inputs.file), /\/v1\.5\.1\/standard-install\.yaml$/);
    assert.ok(transitiveDeps(ambient, helm(ambient, "istiod")).has(crds.urn), "istiod waits");
    const users = converted(ambient).filter((r) =>
      r.type.startsWith("kubernetes:gateway.networking.k8s.io/"),
    );
    assert.ok(users.length >= 2);
    for (const u of users) assert.ok(transitiveDeps(ambient, u).has(crds.urn), u.name);
  });

  it("restarts the Deployments only to remove the App Mesh Envoy, and says so in the runbook", async () => {
    const restart = named(ambient, "ns-shop-restart-cart").inputs.spec as {
      template: { metadata: { annotations: Record<string, string> } };
    };
    assert.equal(restart.template.metadata.annotations[RESTART_ANNOTATION], "istio-1");
    const loaded = loadStack("dev", { projectDir: PROJECT_DIR, set: AMBIENT, phase: "workloads" });
    const phase = planPhase(loaded.config, { known: false, reason: "test" });
    const shop = phase.namespaces.find((n) => n.name === "shop");
    assert.equal(shop?.dataplane, "ambient");
    assert.match(shop?.restartReason ?? "", /only to remove the App Mesh Envoy/);
    const md = renderRunbook({ stack: "dev", config: loaded.config, phase, plan: ambient });
    assert.match(md, /`shop` \(ambient\): its Deployments restart only to remove the App Mesh Envoy/);
    assert.match(md, /lists neither `envoy` nor `istio-proxy`/);
    const before = planPhase(atPhase(loaded, "parallel").config, { known: false, reason: "test" });
    assert.ok(
      before.advance?.changes.some((c) =>
        /namespace shop: restart of its Deployments only to remove the App Mesh Envoy/.test(c.what),
      ),
    );
  });

  it("never gives a sidecar to an ambient namespace, in any phase", () => {
    const loaded = loadStack("dev", { projectDir: PROJECT_DIR, set: AMBIENT });
    for (const p of PHASES) {
      const phase = planPhase(atPhase(loaded, p).config, { known: false, reason: "test" });
      for (const ns of phase.namespaces) {
        assert.notEqual(ns.labels[ISTIO_INJECTION_LABEL], "enabled", `${ns.name} at ${p}`);
        assert.equal(ns.labels[DATAPLANE_MODE_LABEL] === "ambient", ns.onIstio, `${ns.name} at ${p}`);
      }
      for (const ns of loaded.config.namespaces)
        assert.ok(!ns.objects.some((o) => o.kind === "Sidecar"), `${ns.config.name} at ${p}`);
    }
  });

  it("leaves sidecar mode as it was: Istio's injector, Istio APIs, no Gateway API CRDs", () => {
    assert.equal(labelsOf(sidecar, "shop")[ISTIO_INJECTION_LABEL], "enabled");
    assert.equal(labelsOf(sidecar, "shop")[DATAPLANE_MODE_LABEL], undefined);
    assert.equal(ofType(sidecar, CRDS).length, 0);
    assert.ok(converted(sidecar).some((r) => kindOf(r) === "VirtualService"));
    assert.equal(ofType(sidecar, "kubernetes:helm.sh/v3:Release").length, ofType(ambient, "kubernetes:helm.sh/v3:Release").length - 1, "ambient adds ztunnel only");
  });

  it("istio.ingressApi=gateway-api in sidecar mode: Gateway API routes, the CRDs first, sidecars still injected", async function () {
    this.timeout(120000);
    const doc = await plan({ stack: "dev", phase: "workloads", set: { "istio.ingressApi": "gateway-api" } });
    assert.equal(labelsOf(doc, "shop")[ISTIO_INJECTION_LABEL], "enabled");
    const [crds] = ofType(doc, CRDS);
    assert.ok(crds);
    const routes = converted(doc).filter((r) => kindOf(r) === "HTTPRoute");
    assert.ok(routes.length > 0);
    for (const r of routes) assert.ok(transitiveDeps(doc, r).has(crds.urn));
    assert.equal(converted(doc).filter((r) => kindOf(r) === "VirtualService").length, 0);
  });

  it("refuses istio.ingressApi=istio in ambient mode with one config error naming the key", () => {
    assert.throws(
      () =>
        loadStack("dev", {
          projectDir: PROJECT_DIR,
          set: { ...AMBIENT, "istio.ingressApi": "istio" },
        }),
      /meshlift:istio\.ingressApi.*must be "gateway-api" in ambient mode/s,
    );
  });

  it("istio.gatewayApiCrds.install=false: no CRDs from the stack, and the rest unchanged", async function () {
    this.timeout(120000);
    const doc = await plan({
      stack: "dev",
      phase: "workloads",
      set: { ...AMBIENT, "istio.gatewayApiCrds.install": "false" },
    });
    assert.equal(ofType(doc, CRDS).length, 0);
    assert.equal(labelsOf(doc, "shop")[DATAPLANE_MODE_LABEL], "ambient");
  });

  it("istio.gatewayApiCrds.manifest: the CRDs from a mirror of the release file", async function () {
    this.timeout(120000);
    const mirror = "https://artifacts.example.com/gateway-api/v1.5.1/standard-install.yaml";
    const doc = await plan({
      stack: "dev",
      phase: "parallel",
      set: { ...AMBIENT, "istio.gatewayApiCrds.manifest": mirror },
    });
    assert.deepEqual(
      ofType(doc, CRDS).map((r) => r.inputs.file),
      [mirror],
    );
  });
});
