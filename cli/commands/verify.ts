// `meshlift verify` at work: the stack's namespaces on Istio in a phase, checked pod by pod against the live cluster.
import { loadStack } from "../../config/load";
import { DiscoverError } from "../../discover/connect";
import { renderVerify, verifyCluster, VerifyForbiddenError } from "../../discover/verify";
import { planPhase } from "../../phases/plan";
import { isPhase, PHASES } from "../../phases/phases";
import { DEFAULT_PROJECT_DIR as PROJECT_DIR } from "../../automation/runners/runner";
import { CliError, EXIT } from "../exit";

export interface VerifyFlags {
  readonly stack: string;
  readonly phase?: string;
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly requestTimeout: number;
  readonly json?: boolean;
}

export async function runVerify(o: VerifyFlags): Promise<void> {
  if (o.phase !== undefined && !isPhase(o.phase)) {
    throw new CliError(
      `--phase ${JSON.stringify(o.phase.slice(0, 60))}: must be one of ${PHASES.join(", ")}`,
    );
  }
  const loaded = loadStack(o.stack, {
    projectDir: PROJECT_DIR,
    ...(o.phase ? { phase: o.phase } : {}),
  });
  const cfg = loaded.config;
  const plan = planPhase(cfg, {
    known: false,
    reason: "verify reads the cluster, not the stack's outputs",
  });
  const namespaces = plan.namespaces
    .filter((n) => n.onIstio)
    .map((n) => ({ name: n.name, mode: cfg.istio.mode }));
  if (!namespaces.length) {
    process.stderr.write(
      `meshlift: no namespace of stack ${o.stack} runs on Istio at phase ${cfg.phase}: nothing to verify\n`,
    );
    return;
  }
  let report: Awaited<ReturnType<typeof verifyCluster>>;
  try {
    report = await verifyCluster(namespaces, {
      ...(o.kubeconfig !== undefined ? { kubeconfig: o.kubeconfig } : {}),
      ...(o.context !== undefined ? { context: o.context } : {}),
      requestTimeoutMs: o.requestTimeout * 1000,
    });
  } catch (e) {
    if (e instanceof DiscoverError || e instanceof VerifyForbiddenError) {
      throw new CliError(e.message, EXIT.invalid);
    }
    throw e;
  }
  const mode =
    cfg.istio.mode === "ambient"
      ? "ambient mode: pods need no Istio proxy, only no App Mesh Envoy"
      : "sidecar mode: every pod needs a ready istio-proxy and no App Mesh Envoy";
  if (o.json) {
    process.stdout.write(
      `${JSON.stringify({ stack: o.stack, phase: cfg.phase, mode: cfg.istio.mode, context: report.context, pods: report.pods, namespaces: report.namespaces, findings: report.findings }, null, 2)}\n`,
    );
  } else {
    process.stdout.write(
      `Stack ${o.stack}, phase ${cfg.phase}, context ${report.context} (${mode})\n${renderVerify(report)}`,
    );
  }
  if (report.findings.length) process.exitCode = EXIT.blocked;
}
