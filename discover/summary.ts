// The Markdown summary of a discovery and the `migration.namespaces` entries to paste into the stack file.
import * as jsyaml from "js-yaml";
import { CONTROL } from "./connect";
import { Inventory } from "./inventory";
import { APPMESH_KINDS } from "./reads";

/** A table cell: no line breaks, pipes or HTML from cluster-provided names. */
export function md(s: string): string {
  return s
    .replace(CONTROL, " ")
    .replace(/\\/g, "\\\\")
    .replace(/\|/g, "\\|")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/`/g, "\\`");
}

function table(head: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [
    `| ${head.join(" | ")} |`,
    `|${head.map(() => "---").join("|")}|`,
    ...rows.map((r) => `| ${r.map(md).join(" | ")} |`),
  ];
}

/** Namespaces in the order to migrate them: at risk (restart soon, then most Envoy pods) first, then by name. */
export function migrationOrder(inv: Inventory): string[] {
  const risky = inv.atRisk.map((r) => r.namespace);
  const rest = inv.namespaces.map((n) => n.name).filter((n) => !risky.includes(n));
  return [...risky.filter((n) => inv.namespaces.some((x) => x.name === n)), ...rest];
}

/**
 * The `meshlift:migration.namespaces` entries for the discovered namespaces (state appmesh: nothing moves
 * until you change it), at-risk first; `exportsPrefix` is where the exports are, as the stack file names them.
 */
export function stackEntries(inv: Inventory, outDir: string): string {
  const order = migrationOrder(inv);
  const entries = order
    .map((n) => inv.namespaces.find((x) => x.name === n))
    .filter((n) => n !== undefined && !n.reserved)
    .map((n) => ({
      name: n?.name,
      state: "appmesh",
      appmeshExport: `${outDir.replace(/\/+$/, "")}/${n?.export}`,
    }));
  const reserved = inv.namespaces.filter((n) => n.reserved).map((n) => n.name);
  const lines = [
    "# Paste under meshlift:migration.namespaces in stacks/Pulumi.<stack>.yaml (paths relative to the project directory).",
    "# Order: namespaces whose pods still run the App Mesh Envoy first. Set state: istio to move one in phase workloads.",
    ...(reserved.length
      ? [`# Not listed (platform namespaces meshlift never migrates): ${reserved.join(", ")}`]
      : []),
  ];
  const body = entries.length ? jsyaml.dump(entries, { lineWidth: -1 }) : "[]\n";
  return `${lines.join("\n")}\n${body}`;
}

/** summary.md: what was found, what is at risk and what to do, with the commands. */
export function renderSummary(inv: Inventory, outDir: string): string {
  const total = Object.values(inv.objects).reduce((a, b) => a + b, 0);
  const out: string[] = [
    `# App Mesh discovery: context ${md(inv.context)}`,
    "",
    `Read from ${md(inv.server)} at ${inv.generatedAt}${inv.requested ? ` (namespaces: ${inv.requested.map(md).join(", ")})` : ""}: ` +
      `${inv.namespaces.length} namespace(s) with App Mesh, ${total} App Mesh object(s), ` +
      `${inv.envoyPods} pod(s) still running the App Mesh Envoy, ${inv.blockers.total} precheck blocker(s).`,
    "",
  ];
  if (inv.appmesh.legacyObjects.length) {
    out.push(
      `**Legacy App Mesh API**: ${inv.appmesh.legacyObjects.length} appmesh.k8s.aws/v1beta1 object(s) (App Mesh controller before v1.0). ` +
        "They are listed in inventory.json but not exported: the converter reads v1beta2. Upgrade the controller (it converts them) and run discover again.",
      "",
    );
  }
  out.push("## At risk now", "");
  if (inv.atRisk.length === 0) {
    out.push("No pod runs the App Mesh Envoy.", "");
  } else {
    out.push(
      "These pods still run the App Mesh Envoy. App Mesh reached end of life on 2026-09-30: a pod that restarts may come up with an Envoy that gets no configuration.",
      "",
      ...table(
        ["namespace", "Envoy pods", "restarts soon", "owners"],
        inv.atRisk.map((r) => [
          r.namespace,
          String(r.pods),
          r.restartSoon ? "yes" : "no",
          r.owners
            .map(
              (o) =>
                `${o.kind} ${o.name} (${o.pods})${o.restartSoon.length ? `: ${o.restartSoon.join("; ")}` : ""}`,
            )
            .join("; "),
        ]),
      ),
      "",
      "What to do, most urgent first:",
      "",
      "1. Move these namespaces to Istio first: they lead the `migration.namespaces` entries below; set `state: istio` and run the `workloads` phase.",
      "2. Or stop App Mesh injection now, so that pods created from here on start without the App Mesh sidecar (they run without a mesh proxy until they move to Istio):",
      "",
      "```sh",
      ...inv.atRisk.map((r) => r.stopInjection),
      "```",
      "",
    );
  }
  out.push(
    "## Namespaces",
    "",
    ...table(
      [
        "namespace",
        "App Mesh objects",
        "Services",
        "Deployments",
        "Envoy pods",
        "injection",
        "blockers",
        "export",
      ],
      inv.namespaces.map((n) => [
        n.name + (n.reserved ? " (platform)" : ""),
        String(Object.values(n.objects).reduce((a, b) => a + b, 0) + n.legacyObjects),
        String(n.services),
        String(n.deployments),
        String(n.envoyPods),
        [
          n.labels.appmesh ? `appmesh=${n.labels.appmesh}` : "",
          n.labels.istioInjection ? `istio-injection=${n.labels.istioInjection}` : "",
          n.labels.dataplaneMode ? `dataplane-mode=${n.labels.dataplaneMode}` : "",
        ]
          .filter((x) => x)
          .join(", ") || "-",
        String(n.precheck.blocker),
        `${outDir.replace(/\/+$/, "")}/${n.export}`,
      ]),
    ),
    "",
    "## App Mesh objects per kind",
    "",
    ...table(
      ["kind", "objects"],
      APPMESH_KINDS.map((k) => [k.kind, String(inv.objects[k.kind] ?? 0)]),
    ),
    "",
  );
  const blockers = inv.namespaces.flatMap((n) =>
    n.blockers.map((b) => [n.name, b.source, b.field, b.reason]),
  );
  if (blockers.length)
    out.push(
      "## Precheck blockers",
      "",
      ...table(["namespace", "source", "field", "reason"], blockers),
      "",
    );
  out.push("## Webhooks", "");
  out.push(
    ...(inv.webhooks.length
      ? table(
          ["kind", "name", "mesh", "webhooks"],
          inv.webhooks.map((w) => [
            w.kind,
            w.name,
            w.owner,
            w.webhooks
              .map((h) => `${h.name}${h.failurePolicy ? ` (${h.failurePolicy})` : ""}`)
              .join(", "),
          ]),
        )
      : ["No App Mesh or Istio admission webhook is installed."]),
    "",
    "## Ambient mode prerequisites",
    "",
    `- aws-node (VPC CNI): ${inv.ambient.awsNode.present ? `POD_SECURITY_GROUP_ENFORCING_MODE=${inv.ambient.awsNode.podSecurityGroupEnforcingMode ?? "(unset: strict)"}, ENABLE_POD_ENI=${inv.ambient.awsNode.enablePodEni ?? "(unset)"}` : "not found in kube-system"}`,
    `- SecurityGroupPolicy objects: ${inv.ambient.securityGroupPolicies.installed ? String(inv.ambient.securityGroupPolicies.total) : "CRD not installed"}`,
    `- pods on Fargate in these namespaces: ${inv.ambient.fargatePods}`,
    "",
    "## Next steps",
    "",
    "```sh",
    `npm run meshlift -- precheck -f ${outDir.replace(/\/+$/, "")}/exports/     # what cannot be carried over, per finding`,
    `npm run meshlift -- convert -f ${outDir.replace(/\/+$/, "")}/exports/ -o istio/`,
    "```",
    "",
    "Then paste the `migration.namespaces` entries (printed by discover, and below) into the stack file.",
    "",
    "```yaml",
    stackEntries(inv, outDir).trimEnd(),
    "```",
    "",
  );
  return out.join("\n");
}
