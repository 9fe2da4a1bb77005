// `meshlift discover`: read the live cluster's App Mesh objects and workloads, write per-namespace exports, inventory.json and summary.md.
import * as path from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { checkOutDir, discover, DiscoverError, writeOutDir } from "../../discover";
import { CliError, EXIT } from "../errors";

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function seconds(value: string): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || n <= 0 || n > 3600) {
    throw new InvalidArgumentError("expected seconds between 0 and 3600, e.g. 30");
  }
  return n;
}

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

export function registerDiscover(program: Command): void {
  program
    .command("discover")
    .description(
      "Inventory App Mesh in the live cluster: per-namespace exports for convert and appmeshExport, inventory.json, summary.md, and the workloads at risk",
    )
    .requiredOption(
      "--out <dir>",
      "directory to write (created, or replaced if it holds an earlier discover output)",
    )
    .option("--kubeconfig <file>", "kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)")
    .option("--context <name>", "kubeconfig context (default: its current-context)")
    .option(
      "-n, --namespace <ns>",
      "only this namespace (repeatable; default: every namespace)",
      collect,
      [],
    )
    .option("--request-timeout <seconds>", "give up on an API request after this long", seconds, 30)
    .action(
      async (o: {
        out: string;
        kubeconfig?: string;
        context?: string;
        namespace: string[];
        requestTimeout: number;
      }) => {
        const progress = progressLine(Boolean(process.stderr.isTTY));
        const outDir = asConfigured(o.out);
        try {
          checkOutDir(o.out);
          const result = await discover({
            ...(o.kubeconfig !== undefined ? { kubeconfig: o.kubeconfig } : {}),
            ...(o.context !== undefined ? { context: o.context } : {}),
            ...(o.namespace.length ? { namespaces: o.namespace } : {}),
            requestTimeoutMs: o.requestTimeout * 1000,
            outDir,
            onProgress: (p) => progress.show(`${p.step}, ${p.objects} object(s) read`),
          });
          progress.clear();
          writeOutDir(o.out, result.files);
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
      },
    );
}
