// The runbook of a stack's phase: what is deployed, the checks, and the commands to advance and roll back.
import * as assert from "node:assert/strict";
import { PROJECT_DIR } from "../../plan/offline";
import { renderRunbook } from "../../plan/runbook";
import { loadStack } from "../../config/load";
import { Phase } from "../../phases/phases";
import { planPhase } from "../../phases/plan";
import { planAt, tinyConvert } from "../support/phases";

async function runbookAt(phase: Phase, set: Record<string, string> = {}): Promise<string> {
  const loaded = loadStack("dev", { projectDir: PROJECT_DIR, set, phase, convert: tinyConvert });
  const plan = await planAt(phase, { loaded });
  const phasePlan = planPhase(loaded.config, { known: false, reason: "test" });
  return renderRunbook({ stack: "dev", config: loaded.config, phase: phasePlan, plan });
}

describe("runbook", () => {
  it("at discovery: no Istio checks yet, the weighted-record prerequisite, advance to parallel, nothing to roll back", async () => {
    const md = await runbookAt("discovery");
    assert.match(md, /^# meshlift runbook: stack `dev`, phase `discovery`/);
    assert.match(md, /\| `eks:index:Cluster` \| 1 \|/);
    assert.doesNotMatch(md, /istioctl/);
    assert.match(md, /kubectl get ns shop payments --show-labels/);
    assert.match(md, /SetIdentifier appmesh/);
    assert.match(md, /pulumi config set meshlift:phase parallel --stack dev/);
    assert.match(md, /meshlift plan --stack dev --diff-phase parallel/);
    assert.match(md, /nothing to roll back to/);
    assert.match(
      md,
      /pulumi stack output appmeshInventory --json {3}# 1 export\(s\): 0 blocker\(s\)/,
    );
  });

  it("at cutover: weights, Route 53 and Prometheus checks, weight steps, rollback of traffic first", async () => {
    const md = await runbookAt("cutover");
    assert.match(md, /App Mesh 90, Istio 10; 2 weighted record\(s\)/);
    assert.match(md, /istioctl analyze -A/);
    assert.match(md, /istioctl proxy-status/);
    assert.doesNotMatch(md, /appmeshInventory/, "only the discovery phase outputs it");
    assert.match(md, /aws route53 list-resource-record-sets .*shop\.dev\.example\.com\./);
    // The progressive cutover's own queries: the Istio gateway's view, App Mesh's inbound listener.
    assert.match(
      md,
      /`shop` through the Istio gateway: `\(sum\(rate\(istio_requests_total\{reporter="source",source_workload="istio-ingressgateway",source_workload_namespace="istio-ingress",destination_service_namespace="shop",response_code=~"5\.\."\}\[5m\]\)\) or vector\(0\)\)/,
    );
    assert.match(
      md,
      /envoy_http_downstream_rq_xx\{kubernetes_namespace="shop",envoy_http_conn_manager_prefix="ingress",envoy_response_code_class="5"\}\[5m\]/,
    );
    assert.match(md, /cutover\.istioWeight' 25 --stack dev/);
    assert.doesNotMatch(
      md,
      /cutover\.istioWeight' 10 --stack dev &&/,
      "no step at or below the current weight",
    );
    assert.match(
      md,
      /cutover\.istioWeight' 0 --stack dev && pulumi up --stack dev {3}# traffic first/,
    );
    assert.match(md, /pulumi config set meshlift:phase workloads --stack dev/);
    // Before decommission, while the controller runs: resources without finalizers, then webhooks.
    const strip = md.indexOf('"finalizers":null');
    const hooks = md.indexOf("appmesh-validating-webhook-configuration");
    assert.ok(
      strip > 0 && hooks > strip,
      "finalizers stripped, resources deleted, then the webhooks",
    );
  });

  it("at workloads: offers no rollback into App Mesh sidecars after its end of life, and says how to stay on Istio", async () => {
    const md = await runbookAt("workloads");
    const rollback = md.slice(md.indexOf("## Roll back"));
    assert.doesNotMatch(rollback, /pulumi config set meshlift:phase parallel/);
    assert.match(rollback, /would restart pods back into App Mesh sidecars.*2026-09-30/s);
    assert.match(rollback, /stay on Istio.*istioWeight 0.*the Istio sidecars stay/s);
    assert.doesNotMatch(rollback, /rollout restart/, "no advice to restart into App Mesh");
    const reachable = await runbookAt("workloads", { "appmesh.controlPlane": "reachable" });
    assert.match(reachable, /pulumi config set meshlift:phase parallel --stack dev/);
  });

  it("at cutover with cutover.progressive: points to meshlift cutover run instead of manual steps", async () => {
    const md = await runbookAt("cutover", {
      "cutover.progressive": JSON.stringify({
        steps: [25, 100],
        analysis: { prometheus: { url: "http://prometheus.monitoring:9090" } },
      }),
    });
    assert.match(md, /let meshlift step the weight through 25, 100/);
    assert.match(md, /meshlift cutover run --stack dev --dry-run {3}# the same analysis/);
    assert.doesNotMatch(md, /cutover\.istioWeight' 25 --stack dev &&/);
  });
  it("at decommission: what is left to remove by hand, and no next phase", async () => {
    const md = await runbookAt("decommission");
    assert.match(md, /Left to remove by hand/);
    assert.doesNotMatch(md, /^aws appmesh delete-mesh/m, "App Mesh's API is gone");
    assert.match(md, /# no `aws appmesh delete-mesh` \(dev-mesh\): App Mesh reached end of life/);
    assert.match(md, /This is the last phase/);
    assert.match(md, /pulumi config set meshlift:phase cutover --stack dev/);
  });
});
