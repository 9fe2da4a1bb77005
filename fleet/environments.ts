// Reads each fleet environment's stack file into what renderFleet and the Fleet component take; config/load.ts runs it with its own parser.
import { ConfigError, ConfigProblem } from "../config/errors";
import type { MeshliftConfig } from "../config/load";
import { readStackFile, StackNotFoundError } from "../config/stack-file";
import { FleetEnvironmentInput, FleetError } from "./render";
import { stackConfigParts } from "./stack";

/** Parses one environment's flat stack file (config/load.ts parseConfig, which must not read fleets again). */
export type ParseEnvironment = (
  stack: string,
  flat: Readonly<Record<string, string>>,
) => MeshliftConfig;

/**
 * One environment's stack file, flat and validated. A missing file throws StackNotFoundError, a bad
 * config ConfigError (naming every bad key), an unreadable file or a credential in plain text
 * FleetError: an environment that `pulumi up` would refuse, or whose Stack would leak, is not rendered.
 */
export function loadFleetEnvironment(
  projectDir: string,
  stack: string,
  inFleet: ReadonlySet<string>,
  parse: ParseEnvironment,
): FleetEnvironmentInput {
  let file;
  try {
    file = readStackFile(projectDir, stack);
  } catch (e) {
    if (e instanceof StackNotFoundError) throw e;
    // Unreadable or not YAML: one line naming the file, not a parser's stack trace.
    const why = e instanceof Error ? e.message.split("\n")[0] : String(e);
    throw new FleetError(`stacks/Pulumi.${stack}.yaml: cannot read it: ${why}`);
  }
  const cfg = parse(stack, file.config);
  // A caStack may be qualified (org/project/stack); the fleet names stacks by their last part.
  const ca = cfg.multiCluster?.caStack?.split("/").pop();
  const env: FleetEnvironmentInput = {
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
  // A credential in plain text stops here, before anything is rendered or registered.
  stackConfigParts(env);
  return env;
}

/** What the known errors of loadFleetEnvironment say, as problems of the key that names the stack. */
function environmentProblems(key: string, stack: string, e: unknown): ConfigProblem[] | undefined {
  if (e instanceof StackNotFoundError || e instanceof FleetError) {
    return [{ key, given: stack, message: e.message }];
  }
  if (e instanceof ConfigError) {
    return e.problems.map((p) => ({
      key,
      given: stack,
      message: `stacks/Pulumi.${stack}.yaml: ${p.key}${p.given === undefined ? "" : ` (given: ${JSON.stringify(p.given)})`}: ${p.message}`,
    }));
  }
  return undefined;
}

/**
 * Every environment of `fleet.stacks`, for the config load: what is wrong with any of them comes back
 * as problems of `meshlift:fleet.stacks.<i>`, so that one ConfigError names them all.
 */
export function readFleetEnvironments(
  projectDir: string,
  stacks: readonly string[],
  key: (path: readonly (string | number)[]) => string,
  parse: ParseEnvironment,
): { environments: FleetEnvironmentInput[]; problems: ConfigProblem[] } {
  const inFleet = new Set(stacks);
  const environments: FleetEnvironmentInput[] = [];
  const problems: ConfigProblem[] = [];
  stacks.forEach((stack, i) => {
    try {
      environments.push(loadFleetEnvironment(projectDir, stack, inFleet, parse));
    } catch (e) {
      const found = environmentProblems(key(["fleet", "stacks", i]), stack, e);
      if (!found) throw e;
      problems.push(...found);
    }
  });
  return { environments, problems };
}
