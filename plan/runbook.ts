// The Markdown runbook for a stack's configured phase: what it deploys now, checks before advancing, how to advance and roll back.
import { cutoverWeights } from "../builders/route53-cutover";
import { namespaceLabels, restartAnnotations } from "../builders/namespace-migration";
import { MeshliftConfig } from "../config/load";
import { nextPhase, Phase, PHASES, PHASE_SPECS, phaseIndex } from "../phases/phases";
import { PlanDocument } from "./offline";
import { isOwnComponent } from "./diff";

export interface RunbookInput {
  readonly stack: string;
  readonly config: MeshliftConfig;
  /** The offline plan of the configured phase. */
  readonly plan: PlanDocument;
}

/** Error rate of requests served by Istio sidecars, per namespace (Istio standard metrics). */
export const ISTIO_ERROR_RATE = (ns: string) =>
  `sum(rate(istio_requests_total{reporter="destination",destination_service_namespace="${ns}",response_code=~"5.."}[5m])) / sum(rate(istio_requests_total{reporter="destination",destination_service_namespace="${ns}"}[5m]))`;
/** Error rate of the App Mesh Envoy sidecars (Envoy's own statistics, as App Mesh exposes them). */
export const APPMESH_ERROR_RATE = (ns: string) =>
  `sum(rate(envoy_http_downstream_rq_xx{kubernetes_namespace="${ns}",envoy_response_code_class="5"}[5m])) / sum(rate(envoy_http_downstream_rq_total{kubernetes_namespace="${ns}"}[5m]))`;

export function renderRunbook(i: RunbookInput): string {
  const { config: c, stack } = i;
  const phase = c.phase;
  const spec = PHASE_SPECS[phase];
  const next = nextPhase(phase);
  const prev = phaseIndex(phase) > 0 ? PHASES[phaseIndex(phase) - 1] : undefined;
  const s = `--stack ${stack}`;
  const out: string[] = [];
  const md = (...lines: string[]) => out.push(...lines);

  md(`# meshlift runbook: stack \`${stack}\`, phase \`${phase}\``, "", `> ${spec.summary}`, "");

  md("## What the stack deploys now", "");
  const counts = new Map<string, number>();
  for (const r of i.plan.resources) {
    if (r.type === "pulumi:pulumi:Stack" || isOwnComponent(r.type)) continue;
    counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  }
  md("| resource type | count |", "|---|---|");
  for (const [t, n] of [...counts].sort()) md(`| \`${t}\` | ${n} |`);
  md("");

  if (c.migration.namespaces.length) {
    md("Namespaces:", "", "| namespace | state | labels in this phase | restart annotation |");
    md("|---|---|---|---|");
    for (const ns of c.migration.namespaces) {
      const labels = namespaceLabelsSafe(ns.state, phase);
      const restart = restartAnnotations(ns.state, spec, ns.restartToken);
      md(
        `| ${ns.name} | ${ns.state} | ${labels ? fmt(labels) : "refused in this phase"} | ${restart ? fmt(restart) : "none"} |`,
      );
    }
    md("");
  }

  const records = i.plan.resources.filter((r) => r.type === "aws:route53/record:Record");
  if (c.cutover.records.length) {
    const w = cutoverWeights(spec, c.cutover);
    const istioRecords = records.filter((r) => r.inputs.setIdentifier === "istio").length;
    md(
      spec.dnsRecords
        ? `DNS weights (this phase): App Mesh ${spec.appmeshRemoved ? "record removed" : w.appmesh}, Istio ${w.istio}; ${records.length} weighted record(s) in the plan.`
        : "DNS: the App Mesh record of each hostname is adopted as it is (weighted, set identifier `appmesh`, weight 100); no Istio record yet.",
      "",
    );
    if (spec.dnsRecords && istioRecords === 0) {
      md(
        "> The plan has no Istio record: the Istio gateway hostname was not known to the program, so App Mesh keeps the full weight.",
        "",
      );
    }
  }
  if (c.appmesh.controller) {
    const ctl = c.appmesh.controller;
    md(
      spec.appmeshRemoved
        ? `App Mesh controller: release \`${ctl.namespace}/${ctl.releaseName}\` uninstalled by the stack.`
        : `App Mesh controller: release \`${ctl.namespace}/${ctl.releaseName}\` adopted (chart ${ctl.chart} ${ctl.version}); decommission uninstalls it.`,
      "",
    );
  }
  const cleanup = i.plan.outputs.manualCleanup;
  if (Array.isArray(cleanup) && cleanup.length) {
    md("Left to remove by hand:", "", "```sh", ...cleanup.map(String), "```", "");
  }

  md(next ? `## Checks before advancing to \`${next}\`` : "## Checks (last phase)", "");
  md("```sh", ...checks(c, phase), "```", "");
  if (spec.dnsWeightsFromConfig || next === "cutover") {
    md(
      "Error rates to compare in Prometheus (App Mesh side and Istio side) before each weight step:",
      "",
    );
    const nss = c.migration.namespaces.filter((n) => n.state === "istio").map((n) => n.name);
    for (const ns of nss.length ? nss : ["<namespace>"]) {
      md(`- \`${ns}\` on Istio: \`${ISTIO_ERROR_RATE(ns)}\``);
      md(`- \`${ns}\` on App Mesh: \`${APPMESH_ERROR_RATE(ns)}\``);
    }
    md("");
  }

  md("## Advance", "");
  if (phase === "cutover" && c.cutover.istioWeight < 100) {
    md(
      `Within cutover, shift DNS weight in steps (now ${c.cutover.istioWeight}), waiting at least ${c.cutover.ttl} s (cutover.ttl) and re-running the checks after each:`,
      "",
      "```sh",
      ...[10, 25, 50, 100]
        .filter((x) => x > c.cutover.istioWeight)
        .map(
          (x) =>
            `pulumi config set --path 'meshlift:cutover.istioWeight' ${x} ${s} && pulumi up ${s}`,
        ),
      "```",
      "",
    );
  }
  if (next) {
    md(
      "```sh",
      `meshlift plan ${s} --diff-phase ${next}   # read what changes first`,
      `pulumi config set meshlift:phase ${next} ${s}`,
      `pulumi up ${s}`,
      "```",
      "",
    );
  } else md("This is the last phase.", "");

  md("## Roll back", "");
  if (prev) {
    md(
      "Any earlier phase restores its state: DNS weight back to the App Mesh record, injection labels back,",
      "converted Istio resources removed. Istio stays installed unless you go back to `discovery`.",
      "",
      "```sh",
    );
    if (phase === "cutover")
      md(
        `pulumi config set --path 'meshlift:cutover.istioWeight' 0 ${s} && pulumi up ${s}   # traffic first`,
      );
    md(`pulumi config set meshlift:phase ${prev} ${s}`, `pulumi up ${s}`);
    md("```", "");
    if (phase === "workloads") {
      md(
        "After a rollback out of `workloads`, check that restarted pods carry the App Mesh `envoy` sidecar again;",
        "if not, `kubectl rollout restart deployment -n <namespace>`.",
        "",
      );
    }
    if (phase === "decommission" && c.appmesh.controller) {
      md(
        "The App Mesh controller release is reinstalled on rollback: remove `importId` from",
        "`meshlift:appmesh.controller` first, since there is no release left to import.",
        "",
      );
    }
  } else md("This is the first phase: nothing to roll back to.", "");
  return out.join("\n");
}

function namespaceLabelsSafe(
  state: "appmesh" | "istio",
  phase: Phase,
): Record<string, string> | undefined {
  try {
    return namespaceLabels(state, PHASE_SPECS[phase]);
  } catch {
    return undefined;
  }
}

function fmt(m: Record<string, string>): string {
  return Object.entries(m)
    .map(([k, v]) => `\`${k}=${v}\``)
    .join(" ");
}

/** Shell checks for the configured phase, the ones that tell whether the next step is safe. */
function checks(c: MeshliftConfig, phase: Phase): string[] {
  const spec = PHASE_SPECS[phase];
  const istioNs = c.migration.namespaces.filter((n) => n.state === "istio").map((n) => n.name);
  const lines = ["kubectl get nodes", "kubectl get pods -A --field-selector=status.phase!=Running"];
  const listed = c.migration.namespaces.map((n) => n.name);
  if (listed.length) {
    lines.push(
      `kubectl get ns ${listed.join(" ")} --show-labels   # they must exist; labels as in the table above`,
    );
  }
  if (spec.istioInstalled) {
    lines.push(
      "kubectl -n istio-system get pods,svc",
      "istioctl analyze -A",
      "istioctl proxy-status",
    );
  } else {
    lines.push(
      "kubectl get mesh,virtualnodes,virtualservices -A   # the App Mesh inventory the next phase runs beside",
    );
  }
  if (spec.workloadsMigrate) {
    for (const ns of istioNs) {
      lines.push(
        `kubectl get pods -n ${ns} -o jsonpath='{range .items[*]}{.metadata.name}{" "}{.spec.containers[*].name}{"\\n"}{end}'   # istio-proxy, and no envoy`,
        `istioctl analyze -n ${ns}`,
      );
    }
  }
  if (spec.dnsRecords || phase === "discovery") {
    for (const r of c.cutover.records) {
      const zone =
        r.zoneId ??
        `$(aws route53 list-hosted-zones-by-name --dns-name ${r.zoneName} --query 'HostedZones[0].Id' --output text)`;
      lines.push(
        `aws route53 list-resource-record-sets --hosted-zone-id ${zone} --query "ResourceRecordSets[?Name == '${r.name}.']"   # weights: appmesh/istio`,
      );
    }
  }
  if (phase === "discovery" && c.cutover.records.length) {
    lines.push(
      "# before the first `pulumi up` with cutover.records: each hostname's existing record must be a weighted alias",
      "# with SetIdentifier appmesh (Route 53 refuses a weighted record beside a simple one); the stack adopts it as is.",
    );
  }
  if (phase === "cutover") {
    lines.push(
      "kubectl get gatewayroutes,virtualgateways,virtualservices,virtualrouters,virtualnodes -A   # decommission: delete these while the controller still runs",
    );
  }
  return lines;
}
