// `meshlift discover` end to end: connect, read the cluster, and render the exports, inventory.json and summary.md.
import { connect, ConnectOptions } from "./connect";
import { exportFile } from "./export";
import { buildInventory, exportPath, Inventory } from "./inventory";
import { ClusterSnapshot, Wire } from "./model";
import { readCluster, ReadOptions } from "./read";
import { renderSummary, stackEntries } from "./summary";

export interface Rendered {
  /** Output files by path relative to the output directory. */
  readonly files: ReadonlyMap<string, string>;
  readonly inventory: Inventory;
  /** The `migration.namespaces` entries to paste into the stack file. */
  readonly entries: string;
}

/** The files of a discovery (pure): one export per namespace, inventory.json and summary.md. */
export function render(s: ClusterSnapshot, generatedAt: string, outDir: string): Rendered {
  const exports = new Map<string, { readonly content: string; readonly docs: readonly Wire[] }>();
  for (const ns of s.meshed) exports.set(ns, exportFile(s, ns, { generatedAt }));
  const inventory = buildInventory(s, exports, generatedAt);
  const files = new Map<string, string>();
  for (const [ns, e] of exports) files.set(exportPath(ns), e.content);
  files.set("inventory.json", `${JSON.stringify(inventory, null, 2)}\n`);
  files.set("summary.md", renderSummary(inventory, outDir));
  return { files, inventory, entries: stackEntries(inventory, outDir) };
}

export interface DiscoverOptions extends ConnectOptions, ReadOptions {
  /** Where the files will be, as the stack file and the summary name it. */
  readonly outDir: string;
  /** @default now */
  readonly generatedAt?: string;
}

export async function discover(
  o: DiscoverOptions,
): Promise<Rendered & { snapshot: ClusterSnapshot }> {
  const c = await connect(o);
  const snapshot = await readCluster(c, o);
  return { ...render(snapshot, o.generatedAt ?? new Date().toISOString(), o.outDir), snapshot };
}
