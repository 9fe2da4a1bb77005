// Bench: offline plans of the two-region mesh stacks, and the cacerts chain check on real certificates.
import { performance } from "node:perf_hooks";
import { runOfflinePlan } from "../plan/offline";
import { cacertsData, cacertsProblems, intermediateCaSpec } from "../builders/mesh-ca";
import { rootCaSpec } from "../builders/mesh-root";
import { multiClusterSchema } from "../config/sections/multicluster";
import { hasOpenssl, issue } from "../test/support/ca";

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export default async (): Promise<string[]> => {
  const lines: string[] = [];
  for (const stack of ["prod-use1", "prod-usw2"]) {
    const times: number[] = [];
    let count = 0;
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      const { document } = await runOfflinePlan({ stack });
      times.push(performance.now() - t);
      count = document.resources.length;
    }
    lines.push(
      `offline plan ${stack}: ${count} resources, median ${median(times).toFixed(0)} ms of 5`,
    );
  }
  if (!hasOpenssl()) {
    lines.push("cacerts check: skipped (no openssl CLI to issue certificates)");
    return lines;
  }
  const m = multiClusterSchema.parse({
    meshId: "bench",
    clusterName: "a",
    network: "n",
    caStack: "a",
  });
  const root = issue(rootCaSpec(m));
  const inter = issue(intermediateCaSpec(m), root);
  const data = cacertsData({
    intermediateCertPem: inter.certPem,
    intermediateKeyPem: inter.keyPem,
    rootCertPem: root.certPem,
  });
  const n = 200;
  const t = performance.now();
  for (let i = 0; i < n; i++) {
    if (cacertsProblems(data).length) throw new Error("bench chain should be sound");
  }
  lines.push(
    `cacerts chain check (P-256): ${((performance.now() - t) / n).toFixed(2)} ms per check`,
  );
  return lines;
};
