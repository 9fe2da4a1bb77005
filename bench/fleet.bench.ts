// Bench: `meshlift fleet render` for 100 environments (stack files read and validated, objects built, files written), and the management stack that applies them.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { DEFAULT_PROJECT_DIR } from "../automation/runners/runner";
import { fleetRender, FleetRenderFlags } from "../cli/commands/fleet";
import { fleetSchema } from "../config/sections/fleet";
import { loadFleetEnvironments } from "../config/load";
import { renderFleet } from "../fleet/render";
import { runOfflinePlan } from "../plan/offline";

const ENVIRONMENTS = 100;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** A project with 100 stack files: the four examples' shapes in turn, each with its own environment name. */
function project(): { dir: string; stacks: string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "meshlift-fleet-bench-"));
  fs.copyFileSync(path.join(DEFAULT_PROJECT_DIR, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
  fs.cpSync(path.join(DEFAULT_PROJECT_DIR, "stacks"), path.join(dir, "stacks"), {
    recursive: true,
  });
  const shapes = ["dev", "prod", "prod-use1", "prod-usw2"].map((s) =>
    fs.readFileSync(path.join(dir, "stacks", `Pulumi.${s}.yaml`), "utf8"),
  );
  const stacks: string[] = [];
  for (let i = 0; i < ENVIRONMENTS; i++) {
    const name = `env-${String(i).padStart(3, "0")}`;
    stacks.push(name);
    const text = shapes[i % shapes.length]
      .replace(/meshlift:environment: .*/, `meshlift:environment: ${name}`)
      // The mesh stacks name each other; keep them consistent within the renamed copy.
      .replace(/clusterName: prod-us[ew][12]/, `clusterName: ${name}`);
    fs.writeFileSync(path.join(dir, "stacks", `Pulumi.${name}.yaml`), text);
  }
  return { dir, stacks };
}

export default async (): Promise<string[]> => {
  const { dir, stacks } = project();
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "meshlift-fleet-out-")), "fleet");
  const flags: FleetRenderFlags = {
    stacks: stacks.join(","),
    source: "git",
    repo: "https://github.com/acme/platform.git",
    branch: "main",
    out,
    identity: "irsa",
    accountId: "111122223333",
    oidcIssuer: "https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE",
    operator: true,
    projectDir: dir,
  };
  const fleet = fleetSchema.parse({
    stacks,
    source: { kind: "git", repo: flags.repo, branch: flags.branch },
    identity: { mode: "irsa", accountId: flags.accountId, oidcIssuer: flags.oidcIssuer },
  });
  const whole: number[] = [];
  const load: number[] = [];
  const build: number[] = [];
  let files = 0;
  for (let i = 0; i < 5; i++) {
    let t = performance.now();
    fleetRender(flags);
    whole.push(performance.now() - t);
    t = performance.now();
    const envs = loadFleetEnvironments(dir, stacks);
    load.push(performance.now() - t);
    t = performance.now();
    files = renderFleet(fleet, envs).files.length;
    build.push(performance.now() - t);
  }
  // The same fleet as a management stack: its config load reads the 100 stack files, then the
  // program registers the operator and, per environment, Stack, role, ServiceAccount and binding.
  fs.writeFileSync(
    path.join(dir, "stacks", "Pulumi.mgmt.yaml"),
    JSON.stringify({
      config: {
        "aws:region": "us-east-1",
        "meshlift:environment": "mgmt",
        "meshlift:cluster": { mode: "existing", name: "mgmt" },
        "meshlift:fleet": {
          stacks,
          source: { kind: "git", repo: flags.repo, branch: flags.branch },
          identity: { mode: "irsa" },
          operator: { install: true },
        },
      },
    }),
  );
  const mgmt: number[] = [];
  let resources = 0;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    resources = (await runOfflinePlan({ stack: "mgmt", projectDir: dir })).document.resources
      .length;
    mgmt.push(performance.now() - t);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
  const w = median(whole);
  return [
    `fleet render, ${ENVIRONMENTS} environments (${files} files), median of 5:`,
    `  whole command (read + validate + render + write): ${w.toFixed(0)} ms (${(w / ENVIRONMENTS).toFixed(1)} ms per environment)`,
    `  read and validate the stack files: ${median(load).toFixed(0)} ms`,
    `  build the objects (pure): ${median(build).toFixed(0)} ms`,
    `management stack, ${ENVIRONMENTS} environments (${resources} resources), offline plan, median of 3: ${median(mgmt).toFixed(0)} ms`,
  ];
};
