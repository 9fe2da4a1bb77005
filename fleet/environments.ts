// Reads each fleet environment's stack file through config/ (the one reader and parser) into what renderFleet takes.
import { parseConfig } from "../config/load";
import { readStackFile, StackNotFoundError } from "../config/stack-file";
import { FleetEnvironmentInput, FleetError } from "./render";

/**
 * Every environment's stack file, flat and validated. A missing file throws StackNotFoundError, a bad
 * config ConfigError (naming every bad key): an environment that `pulumi up` would refuse is not rendered.
 */
export function loadFleetEnvironments(
  projectDir: string,
  stacks: readonly string[],
): FleetEnvironmentInput[] {
  const inFleet = new Set(stacks);
  return stacks.map((stack) => {
    let file;
    try {
      file = readStackFile(projectDir, stack);
    } catch (e) {
      if (e instanceof StackNotFoundError) throw e;
      // Unreadable or not YAML: one line naming the file, not a parser's stack trace.
      const why = e instanceof Error ? e.message.split("\n")[0] : String(e);
      throw new FleetError(`stacks/Pulumi.${stack}.yaml: cannot read it: ${why}`);
    }
    const cfg = parseConfig(stack, file.config);
    // A caStack may be qualified (org/project/stack); the fleet names stacks by their last part.
    const ca = cfg.multiCluster?.caStack?.split("/").pop();
    return {
      stack,
      config: file.config,
      secretKeys: file.secretKeys,
      environment: cfg.environment,
      ...(ca && ca !== stack && inFleet.has(ca) ? { readsFrom: ca } : {}),
      cluster:
        cfg.cluster.mode === "create"
          ? { mode: "create", adminRoleArns: [...cfg.cluster.adminRoleArns] }
          : { mode: "existing", name: cfg.cluster.name },
    };
  });
}
