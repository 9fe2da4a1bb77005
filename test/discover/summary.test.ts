// summary.md and the stack entries of a discovery, from an inventory: order, escaping, reserved namespaces.
import * as assert from "node:assert/strict";
import * as YAML from "yaml";
import { Inventory, NamespaceInventory } from "../../discover/inventory";
import { md, migrationOrder, renderSummary, stackEntries } from "../../discover/summary";

function ns(name: string, o: Partial<NamespaceInventory> = {}): NamespaceInventory {
  return {
    name,
    export: `exports/${name}.yaml`,
    reserved: false,
    labels: {},
    meshes: ["shop-mesh"],
    objects: { VirtualNode: 2 },
    services: 1,
    deployments: 1,
    envoyPods: 0,
    fargatePods: 0,
    securityGroupPolicies: 0,
    legacyObjects: 0,
    precheck: { blocker: 0, warning: 0, info: 0 },
    blockers: [],
    ...o,
  };
}

function inventory(o: Partial<Inventory> = {}): Inventory {
  return {
    meshlift: { command: "discover", format: 1 },
    generatedAt: "2026-12-02T10:00:00.000Z",
    context: "prod",
    server: "https://k8s.example",
    appmesh: {
      apiVersion: "appmesh.k8s.aws/v1beta2",
      servedVersions: ["v1beta2"],
      legacyObjects: [],
    },
    meshes: [],
    objects: { VirtualNode: 4 },
    namespaces: [ns("alpha"), ns("pay")],
    envoyPods: 0,
    atRisk: [],
    webhooks: [],
    ambient: {
      awsNode: { present: false },
      securityGroupPolicies: { installed: false, total: 0 },
      fargatePods: 0,
    },
    blockers: { total: 0, byNamespace: {} },
    ...o,
  };
}

const payAtRisk = {
  namespace: "pay",
  pods: 3,
  owners: [{ kind: "Deployment", name: "ledger", pods: 3, restartSoon: ["HPA ledger"] }],
  restartSoon: true,
  stopInjection:
    "kubectl label namespace pay appmesh.k8s.aws/sidecarInjectorWebhook=disabled --overwrite",
};

describe("discover summary", () => {
  it("escapes table cells: control characters, pipes, HTML and backticks", () => {
    assert.equal(md("a|b"), "a\\|b");
    assert.equal(md("<b>`x`</b>"), "&lt;b&gt;\\`x\\`&lt;/b&gt;");
    assert.equal(md("line\nbreak\u2028"), "line break ");
    assert.equal(md("back\\slash"), "back\\\\slash");
  });

  it("orders namespaces at risk first, then the others as listed", () => {
    assert.deepEqual(migrationOrder(inventory()), ["alpha", "pay"]);
    assert.deepEqual(migrationOrder(inventory({ atRisk: [payAtRisk] })), ["pay", "alpha"]);
    // A namespace at risk that is not in the inventory is not invented.
    assert.deepEqual(
      migrationOrder(inventory({ atRisk: [{ ...payAtRisk, namespace: "ghost" }] })),
      ["alpha", "pay"],
    );
  });

  it("prints stack entries in state appmesh with the export path under --out, leaving platform namespaces out", () => {
    const inv = inventory({
      atRisk: [payAtRisk],
      namespaces: [ns("alpha"), ns("pay"), ns("kube-system", { reserved: true })],
    });
    const text = stackEntries(inv, "discovered/");
    assert.match(text, /^# Paste under meshlift:migration\.namespaces/);
    assert.match(
      text,
      /# Not listed \(platform namespaces meshlift never migrates\): kube-system\n/,
    );
    assert.deepEqual(YAML.parse(text), [
      { name: "pay", state: "appmesh", appmeshExport: "discovered/exports/pay.yaml" },
      { name: "alpha", state: "appmesh", appmeshExport: "discovered/exports/alpha.yaml" },
    ]);
  });

  it("prints an empty list when every namespace is a platform one", () => {
    const text = stackEntries(
      inventory({ namespaces: [ns("istio-system", { reserved: true })] }),
      "out",
    );
    assert.ok(text.endsWith("\n[]\n"));
  });

  it("summarises a cluster with nothing at risk and no webhooks", () => {
    const text = renderSummary(inventory(), "out");
    assert.match(text, /^# App Mesh discovery: context prod\n/);
    assert.match(
      text,
      /Read from https:\/\/k8s\.example at 2026-12-02T10:00:00\.000Z: 2 namespace\(s\) with App Mesh, 4 App Mesh object\(s\), 0 pod\(s\) still running the App Mesh Envoy, 0 precheck blocker\(s\)\./,
    );
    assert.match(text, /No pod runs the App Mesh Envoy\./);
    assert.match(text, /No App Mesh or Istio admission webhook is installed\./);
    assert.match(text, /\| alpha \| 2 \| 1 \| 1 \| 0 \| - \| 0 \| out\/exports\/alpha\.yaml \|/);
    assert.match(text, /\| VirtualNode \| 4 \|\n\| VirtualService \| 0 \|/);
    assert.match(text, /- aws-node \(VPC CNI\): not found in kube-system/);
    assert.match(text, /- SecurityGroupPolicy objects: CRD not installed/);
    assert.doesNotMatch(text, /## Precheck blockers|Legacy App Mesh API/);
    assert.ok(text.includes(stackEntries(inventory(), "out").trimEnd()));
  });

  it("lists pods at risk with the command that stops injection, blockers, webhooks and legacy objects", () => {
    const text = renderSummary(
      inventory({
        requested: ["pay"],
        atRisk: [payAtRisk],
        namespaces: [
          ns("pay", {
            labels: { appmesh: "enabled", istioInjection: "enabled" },
            blockers: [{ source: "VirtualNode pay/ledger", field: "spec.x", reason: "a | b" }],
            precheck: { blocker: 1, warning: 0, info: 0 },
          }),
        ],
        webhooks: [
          {
            kind: "MutatingWebhookConfiguration",
            name: "appmesh-inject",
            owner: "appmesh",
            webhooks: [{ name: "mpod.appmesh.k8s.aws", failurePolicy: "Fail" }],
          },
        ],
        appmesh: { servedVersions: ["v1beta1"], legacyObjects: ["Mesh old"] },
        ambient: {
          awsNode: { present: true, enablePodEni: "true" },
          securityGroupPolicies: { installed: true, total: 2 },
          fargatePods: 1,
        },
      }),
      "out",
    );
    assert.match(text, /\(namespaces: pay\)/);
    assert.match(text, /\*\*Legacy App Mesh API\*\*: 1 appmesh\.k8s\.aws\/v1beta1 object\(s\)/);
    assert.match(text, /\| pay \| 3 \| yes \| Deployment ledger \(3\): HPA ledger \|/);
    assert.ok(text.includes(`\`\`\`sh\n${payAtRisk.stopInjection}\n\`\`\``));
    assert.match(text, /\| appmesh=enabled, istio-injection=enabled \| 1 \|/);
    assert.match(
      text,
      /## Precheck blockers[\s\S]*\| pay \| VirtualNode pay\/ledger \| spec\.x \| a \\\| b \|/,
    );
    assert.match(
      text,
      /\| MutatingWebhookConfiguration \| appmesh-inject \| appmesh \| mpod\.appmesh\.k8s\.aws \(Fail\) \|/,
    );
    assert.match(
      text,
      /aws-node \(VPC CNI\): POD_SECURITY_GROUP_ENFORCING_MODE=\(unset: strict\), ENABLE_POD_ENI=true/,
    );
    assert.match(
      text,
      /- SecurityGroupPolicy objects: 2\n- pods on Fargate in these namespaces: 1/,
    );
  });
});
