// The Markdown runbook for a stack's configured phase: what it deploys now, checks before advancing, how to advance and roll back.
import { appmeshResourceDeletion, appmeshWebhookDeletion } from "../builders/appmesh-controller";
import { ISTIO_NAMESPACE } from "../builders/istio-common";
import { GATEWAY_NAME } from "../builders/istio-mesh";
import { PROMETHEUS_DEFAULTS, renderQuery } from "../cutover/queries";
import { MeshliftConfig } from "../config/load";
import { STAY_ON_ISTIO } from "../phases/guards";
import { PhasePlan } from "../phases/plan";
import { PhaseChange } from "../phases/plan-changes";
import { isOwnComponent } from "./diff";
import { PlanDocument } from "./offline";

export interface RunbookInput {
  readonly stack: string;
  readonly config: MeshliftConfig;
  /** What the configured phase means for the stack (planPhase). */
  readonly phase: PhasePlan;
  /** The offline plan of the configured phase. */
  readonly plan: PlanDocument;
}

/** The progressive cutover's default error-rate queries (cutover/queries.ts), over 5 minutes. */
function errorRateQueries(c: MeshliftConfig, ns: string): { istio: string; appmesh: string } {
  const vars = {
    namespace: ns,
    window: "5m",
    gatewayNamespace: c.istio.gateway.namespace,
    gatewayWorkload: GATEWAY_NAME,
  };
  return {
    istio: renderQuery(PROMETHEUS_DEFAULTS.istioErrorRate, vars),
    appmesh: renderQuery(PROMETHEUS_DEFAULTS.appmeshErrorRate, vars),
  };
}

export function renderRunbook(i: RunbookInput): string {
  const { config: c, stack, phase: p } = i;
  const s = `--stack ${stack}`;
  const out: string[] = [];
  const md = (...lines: string[]) => out.push(...lines);

  md(`# meshlift runbook: stack \`${stack}\`, phase \`${p.phase}\``, "", `> ${p.summary}`, "");

  md("## What the stack deploys now", "");
  const counts = new Map<string, number>();
  for (const r of i.plan.resources) {
    if (r.type === "pulumi:pulumi:Stack" || isOwnComponent(r.type)) continue;
    counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  }
  md("| resource type | count |", "|---|---|");
  for (const [t, n] of [...counts].sort()) md(`| \`${t}\` | ${n} |`);
  md("");

  if (p.namespaces.length) {
    md("Namespaces:", "", "| namespace | state | labels in this phase | restart annotation |");
    md("|---|---|---|---|");
    for (const ns of p.namespaces) {
      md(
        `| ${ns.name} | ${ns.state} | ${fmt(ns.labels)} | ${ns.restart ? fmt(ns.restart) : "none"} |`,
      );
    }
    md("");
    for (const ns of p.namespaces.filter((n) => n.restart && n.dataplane === "ambient")) {
      md(
        `- \`${ns.name}\` (ambient): its Deployments restart ${ns.restartReason}. Check that no pod has a sidecar:`,
        `  \`kubectl get pods -n ${ns.name} -o jsonpath='{range .items[*]}{.metadata.name}{": "}{.spec.containers[*].name}{"\\n"}{end}'\``,
        "  lists neither `envoy` nor `istio-proxy`, and `istioctl ztunnel-config workloads` shows the pods with protocol HBONE.",
      );
    }
    if (p.namespaces.some((n) => n.restart && n.dataplane === "ambient")) md("");
  }

  const records = i.plan.resources.filter((r) => r.type === "aws:route53/record:Record");
  if (p.dns.records.length) {
    const w = p.dns.weights;
    const istioRecords = records.filter((r) => r.inputs.setIdentifier === "istio").length;
    md(
      p.dns.istioRecords
        ? `DNS weights (this phase): App Mesh ${p.dns.appmeshRecords ? w.appmesh : "record removed"}, Istio ${w.istio}; ${records.length} weighted record(s) in the plan.`
        : "DNS: the App Mesh record of each hostname is adopted as it is (weighted, set identifier `appmesh`, weight 100); no Istio record yet.",
      "",
    );
    if (p.dns.istioRecords && istioRecords === 0) {
      md(
        "> The plan has no Istio record: the Istio gateway hostname was not known to the program, so App Mesh keeps the full weight.",
        "",
      );
    }
  }
  if (c.appmesh.controller) {
    const ctl = c.appmesh.controller;
    md(
      p.appmesh.controllerRelease
        ? `App Mesh controller: release \`${ctl.namespace}/${ctl.releaseName}\` adopted (chart ${ctl.chart} ${ctl.version}); decommission uninstalls it.`
        : `App Mesh controller: release \`${ctl.namespace}/${ctl.releaseName}\` uninstalled by the stack.`,
      "",
    );
  }
  const cleanup = p.appmesh.manualCleanup;
  if (cleanup?.length) {
    md("Left to remove by hand:", "", "```sh", ...cleanup, "```", "");
  }

  const next = p.advance?.to;
  md(next ? `## Checks before advancing to \`${next}\`` : "## Checks (last phase)", "");
  md("```sh", ...checks(p), "```", "");
  if (p.dns.istioTakesTraffic || p.advance?.shiftsTraffic) {
    md(
      "Error rates to compare in Prometheus (App Mesh side and Istio side) before each weight step:",
      "",
    );
    const nss = c.migration.namespaces.filter((n) => n.state === "istio").map((n) => n.name);
    for (const ns of nss.length ? nss : ["<namespace>"]) {
      const q = errorRateQueries(c, ns);
      md(`- \`${ns}\` through the Istio gateway: \`${q.istio}\``);
      md(`- \`${ns}\` on App Mesh: \`${q.appmesh}\``);
    }
    md("");
  }

  md("## Advance", "");
  if (p.dns.shiftable && c.cutover.istioWeight < 100 && c.cutover.progressive) {
    md(
      `Within ${p.phase}, let meshlift step the weight through ${c.cutover.progressive.steps.join(", ")}, judging each step by these gates and rolling back on its own:`,
      "",
      "```sh",
      `meshlift cutover run ${s} --dry-run   # the same analysis against live metrics, nothing applied`,
      `meshlift cutover run ${s}`,
      `meshlift cutover status ${s}`,
      "```",
      "",
    );
  } else if (p.dns.shiftable && c.cutover.istioWeight < 100) {
    md(
      `Within ${p.phase}, shift DNS weight in steps (now ${c.cutover.istioWeight}), waiting at least ${c.cutover.ttl} s (cutover.ttl) and re-running the checks after each:`,
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
  if (p.advance) {
    if (p.advance.blockedBy.length) {
      md(`Advancing to \`${p.advance.to}\` needs a config change first:`, "");
      md(...p.advance.blockedBy.map((b) => `- ${b}`), "");
    } else md(...changeList(`Advancing to \`${p.advance.to}\``, p.advance.changes));
    md(
      "```sh",
      `meshlift plan ${s} --diff-phase ${p.advance.to}   # read what changes first`,
      `pulumi config set meshlift:phase ${p.advance.to} ${s}`,
      `pulumi up ${s}`,
      "```",
      "",
    );
  } else md("This is the last phase.", "");

  md("## Roll back", "");
  const back = p.rollback;
  if (back) {
    md(
      "Any earlier phase restores its state: DNS weight back to the App Mesh record, injection labels back,",
      "converted Istio resources removed. Istio stays installed unless you go back to `discovery`.",
      "",
      ...changeList(`Going back to \`${back.to}\``, back.restores),
      "```sh",
    );
    if (back.trafficFirst)
      md(
        `pulumi config set --path 'meshlift:cutover.istioWeight' 0 ${s} && pulumi up ${s}   # traffic first`,
      );
    if (back.appmeshRefusal) {
      // App Mesh is past its end of life: the program refuses this, so the runbook does not offer it.
      md("```", "");
      md(
        `Going back to \`${back.to}\` would restart pods back into App Mesh sidecars (${back.backToAppMesh.join(", ")}),`,
        "which may get no configuration since App Mesh's end of life (2026-09-30); `pulumi up` and",
        "`meshlift phase rollback` refuse it unless `meshlift:appmesh.controlPlane` is `reachable`.",
        "",
        STAY_ON_ISTIO,
        "",
      );
    } else {
      md(`pulumi config set meshlift:phase ${back.to} ${s}`, `pulumi up ${s}`);
      md("```", "");
    }
    if (back.backToAppMesh.length && !back.appmeshRefusal) {
      md(
        `After a rollback out of \`${p.phase}\`, check that restarted pods carry the App Mesh \`envoy\` sidecar again`,
        "and that it has its configuration (`kubectl exec <pod> -c envoy -- curl -s localhost:9901/clusters`).",
        "",
      );
    }
    if (back.reinstallsAppMeshController && c.appmesh.controller) {
      md(
        "The App Mesh controller release is reinstalled on rollback: remove `importId` from",
        "`meshlift:appmesh.controller` first, since there is no release left to import, and check that its",
        `chart still downloads from ${c.appmesh.controller.repository} (App Mesh is past its end of life).`,
        "",
      );
    }
  } else md("This is the first phase: nothing to roll back to.", "");
  return out.join("\n");
}

function changeList(title: string, changes: readonly PhaseChange[]): string[] {
  if (!changes.length) return [`${title} changes no label, record or release of this stack.`, ""];
  return [`${title}:`, "", ...changes.map((x) => `- ${x.kind}: ${x.what}`), ""];
}

function fmt(m: Readonly<Record<string, string>>): string {
  return Object.entries(m)
    .map(([k, v]) => `\`${k}=${v}\``)
    .join(" ");
}

/** Shell checks for the configured phase, the ones that tell whether the next step is safe. */
function checks(p: PhasePlan): string[] {
  const lines = ["kubectl get nodes", "kubectl get pods -A --field-selector=status.phase!=Running"];
  const listed = p.namespaces.map((n) => n.name);
  if (listed.length) {
    lines.push(
      `kubectl get ns ${listed.join(" ")} --show-labels   # they must exist; labels as in the table above`,
    );
  }
  if (p.istio.installed) {
    lines.push(
      `kubectl -n ${ISTIO_NAMESPACE} get pods,svc`,
      "istioctl analyze -A",
      "istioctl proxy-status",
    );
  } else {
    lines.push(
      "kubectl get mesh,virtualnodes,virtualservices -A   # the App Mesh inventory the next phase runs beside",
    );
  }
  if (p.inventory) {
    const i = p.inventory;
    lines.push(
      `pulumi stack output appmeshInventory --json   # ${i.namespaces.length} export(s): ${i.blockers} blocker(s), ${i.warnings} warning(s), as \`meshlift precheck -f <export>\` counts them`,
    );
  }
  for (const ns of p.namespaces.filter((n) => n.onIstio)) {
    lines.push(
      `kubectl get pods -n ${ns.name} -o jsonpath='{range .items[*]}{.metadata.name}{" "}{.spec.containers[*].name}{"\\n"}{end}'   # istio-proxy, and no envoy`,
      `istioctl analyze -n ${ns.name}`,
    );
  }
  for (const { record: r } of p.dns.records) {
    const zone =
      r.zoneId ??
      `$(aws route53 list-hosted-zones-by-name --dns-name ${r.zoneName} --query 'HostedZones[0].Id' --output text)`;
    lines.push(
      `aws route53 list-resource-record-sets --hosted-zone-id ${zone} --query "ResourceRecordSets[?Name == '${r.name}.']"   # weights: appmesh/istio`,
    );
  }
  // The stack adopts each hostname's App Mesh record as it is, before any Istio record exists.
  if (p.dns.records.some((r) => r.appmesh && !r.istio)) {
    lines.push(
      "# before the first `pulumi up` with cutover.records: each hostname's existing record must be a weighted alias",
      "# with SetIdentifier appmesh (Route 53 refuses a weighted record beside a simple one); the stack adopts it as is.",
    );
  }
  if (p.advance?.removesAppMesh) {
    lines.push(
      `# before ${p.advance.to}, while the App Mesh controller still runs (its webhook admits the patches):`,
      "# delete the App Mesh resources without waiting on AWS, then both webhooks; the stack then removes the controller",
      ...appmeshResourceDeletion(),
      appmeshWebhookDeletion(),
      "kubectl get meshes,gatewayroutes,virtualgateways,virtualservices,virtualrouters,virtualnodes -A   # expect: none",
    );
  }
  return lines;
}
