// `meshlift discover` at work: read the live cluster's App Mesh objects and workloads, write per-namespace exports, inventory.json and summary.md.
import * as path from "node:path";
import { checkOutDir, clusterRoleYaml, discover, DiscoverError, writeOutDir } from "../../discover";
import { CliError, EXIT } from "../errors";

/** How the stack file names the output directory: relative to the project directory (the cwd) when inside it. */
function asConfigured(out: string): string {
  const rel = path.relative(process.cwd(), path.resolve(out));
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel)
    ? rel.split(path.sep).join("/")
    : path.resolve(out);
}

/** A one-line progress display on a terminal, redrawn at most every 100 ms. */
function progressLine(live: boolean) {
  let last = 0;
  return {
    show(text: string) {
      if (!live || Date.now() - last < 100) return;
      last = Date.now();
      process.stderr.write(`\r\x1b[Kdiscover: ${text}`);
    },
    clear() {
      if (live) process.stderr.write("\r\x1b[K");
    },
  };
}

export interface DiscoverFlags {
  readonly out?: string;
  readonly printClusterRole?: boolean;
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly namespace: string[];
  readonly requestTimeout: number;
}

export async function runDiscover(o: DiscoverFlags): Promise<void> {
  if (o.printClusterRole) {
    process.stdout.write(clusterRoleYaml());
    return;
  }
  if (o.out === undefined) {
    throw new CliError(
      "--out <dir> is required: the directory to write the exports, inventory.json and summary.md to",
    );
  }
  const target = o.out;
  const outDir = asConfigured(target);
  const progress = progressLine(Boolean(process.stderr.isTTY));
  try {
    checkOutDir(target);
    const result = await discover({
      ...(o.kubeconfig !== undefined ? { kubeconfig: o.kubeconfig } : {}),
      ...(o.context !== undefined ? { context: o.context } : {}),
      ...(o.namespace.length ? { namespaces: o.namespace } : {}),
      requestTimeoutMs: o.requestTimeout * 1000,
      outDir,
      onProgress: (p) => progress.show(`${p.step}, ${p.objects} object(s) read`),
    });
    progress.clear();
    writeOutDir(target, result.files);
    const inv = result.inventory;
    const pods = inv.atRisk.reduce((n, r) => n + r.pods, 0);
    process.stdout.write(result.entries);
    process.stderr.write(
      `meshlift: ${inv.namespaces.length} namespace(s) with App Mesh -> ${outDir}/ (exports/, inventory.json, summary.md); ` +
        `${inv.blockers.total} precheck blocker(s)` +
        (pods
          ? `; AT RISK: ${pods} pod(s) in ${inv.atRisk.length} namespace(s) still run the App Mesh Envoy (see ${outDir}/summary.md). To stop App Mesh injection now:\n${inv.atRisk.map((r) => `  ${r.stopInjection}`).join("\n")}\n`
          : "\n"),
    );
  } catch (e) {
    progress.clear();
    if (e instanceof DiscoverError) throw new CliError(e.message, EXIT.invalid);
    throw e;
  }
}
