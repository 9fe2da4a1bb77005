// Test support for the fleet: a valid fleet config to vary, and throwaway projects with stack files.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DEFAULT_PROJECT_DIR } from "../../automation/runners/runner";
import { FleetConfig, fleetSchema } from "../../config/sections/fleet";

export const EXAMPLES = ["dev", "prod", "prod-use1", "prod-usw2"];
export const ISSUER =
  "https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";

/** The fleet of the four example stacks on git with IRSA; `over` replaces top-level fields. */
export function fleetConfig(over: Record<string, unknown> = {}): FleetConfig {
  return fleetSchema.parse({
    stacks: EXAMPLES,
    source: { kind: "git", repo: "https://github.com/acme/platform.git", branch: "main" },
    identity: { mode: "irsa", accountId: "111122223333", oidcIssuer: ISSUER },
    ...over,
  });
}

/** A project directory holding Pulumi.yaml, the example stack files (and their exports) plus `extra` files. */
export function fleetProject(extra: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "meshlift-fleet-"));
  fs.copyFileSync(path.join(DEFAULT_PROJECT_DIR, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
  fs.cpSync(path.join(DEFAULT_PROJECT_DIR, "stacks"), path.join(dir, "stacks"), {
    recursive: true,
  });
  for (const [name, text] of Object.entries(extra)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}
