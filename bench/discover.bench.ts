// Discover bench: 500 namespaces x 20 App Mesh objects (plus their Services, Deployments and pods) read through the local API server.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createInterface } from "node:readline";
import { discover, writeOutDir } from "../discover";
import { NAMESPACES, PER_NAMESPACE } from "./discover-cluster";

function mib(kb: number): string {
  return `${(kb / 1024).toFixed(0)} MiB`;
}

export default async function bench(): Promise<string[]> {
  // The server runs in its own process, so the memory measured here is discover's alone.
  const child = spawn(
    process.execPath,
    ["-r", "tsx/cjs", path.join(__dirname, "discover-cluster.ts")],
    { stdio: ["pipe", "pipe", "inherit"] },
  );
  const lines = createInterface({ input: child.stdout });
  const next = () =>
    new Promise<string>((resolve, reject) => {
      lines.once("line", resolve);
      child.once("exit", (code) => reject(new Error(`bench server exited (${code})`)));
    });
  const { kubeconfig, dir } = JSON.parse(await next()) as { kubeconfig: string; dir: string };
  const before = process.resourceUsage().maxRSS;
  const cpu0 = process.cpuUsage();
  const started = process.hrtime.bigint();
  const r = await discover({ kubeconfig, outDir: "discovered" });
  const read = Number(process.hrtime.bigint() - started) / 1e6;
  const out = path.join(dir, "out");
  writeOutDir(out, r.files);
  const total = Number(process.hrtime.bigint() - started) / 1e6;
  const peak = process.resourceUsage().maxRSS;
  const cpu = process.cpuUsage(cpu0);
  const bytes = [...r.files.values()].reduce((n, c) => n + Buffer.byteLength(c), 0);
  child.stdin.end();
  const { requests } = JSON.parse(await next()) as { requests: number };
  const objects = Object.values(r.inventory.objects).reduce((a, b) => a + b, 0);
  if (r.inventory.namespaces.length !== NAMESPACES || objects !== NAMESPACES * PER_NAMESPACE + 1) {
    throw new Error(
      `discover found ${r.inventory.namespaces.length} namespaces and ${objects} objects`,
    );
  }
  if (!fs.existsSync(out)) throw new Error("no output written");
  return [
    `${NAMESPACES} namespaces x ${PER_NAMESPACE} App Mesh objects (${objects} with the Mesh), ${r.inventory.envoyPods} Envoy pods, ${requests} API requests (pages of 500, ${8} at a time)`,
    `read + precheck + render: ${(read / 1000).toFixed(2)} s; with writing ${r.files.size} files (${(bytes / 1024 / 1024).toFixed(1)} MiB): ${(total / 1000).toFixed(2)} s`,
    `CPU in discover's process: ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s (the wall time also waits on the server and on other load: ${os.loadavg()[0].toFixed(1)} load average)`,
    `RSS peak ${mib(peak)} (${mib(before)} before discover; the API server runs in another process)`,
  ];
}
