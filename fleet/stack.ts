// Pure builder of one environment's `pulumi.com/v1` Stack: source, config, secrets by reference, workspace and backend.
import { SECRET_PLACEHOLDER } from "../config/stack-file";
import { FleetConfig } from "../config/sections/fleet";
import { plainSecrets } from "../config/secret-values";
// Pulumi's config namespace is the project name (Pulumi.yaml `name: meshlift`).
import { NAMESPACE as PROJECT_NAME } from "../config/keys";
import { credentialEnvRefs, fleetLabels, K8sObject, stackObjectName } from "./identity";

/** One environment as the fleet sees it: its stack file, flat, and what its parsed config says. */
export interface FleetEnvironment {
  readonly stack: string;
  /** `stacks/Pulumi.<stack>.yaml`, flat (config/stack-file.ts): secure values read "[secret]". */
  readonly config: Readonly<Record<string, string>>;
  /** Top-level keys whose values are `secure:`. */
  readonly secretKeys: readonly string[];
  /** `meshlift:environment`. */
  readonly environment: string;
  /** The stack whose outputs this one reads first (multiCluster.caStack), when not itself. */
  readonly readsFrom?: string;
}

/** Why an environment cannot be rendered; the message names the stack file and the key, never a value. */
export class FleetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FleetError";
  }
}

/** The Secret holding an environment's secure config values, one key each. */
export function configSecretName(stack: string): string {
  return `${stackObjectName(stack)}-secrets`;
}

/** `meshlift:db.password` -> `meshlift.db.password`: a Secret key ([-._a-zA-Z0-9]). */
export function secretKeyFor(configKey: string): string {
  return configKey.replace(/[^-._a-zA-Z0-9]/g, ".");
}

export interface StackConfigParts {
  /** Inline config: scalars as strings (as stack files hold them), objects and lists as structured values. */
  readonly config: Record<string, unknown>;
  /** Secure top-level keys, read from the environment's Secret. */
  readonly secretsRef: Record<string, unknown>;
  /** Keys with secure values nested inside: left to the checked-in stack file (encrypted). */
  readonly fromStackFile: string[];
}

function containsPlaceholder(v: unknown): boolean {
  if (v === SECRET_PLACEHOLDER) return true;
  if (Array.isArray(v)) return v.some(containsPlaceholder);
  if (typeof v === "object" && v !== null) return Object.values(v).some(containsPlaceholder);
  return false;
}

/**
 * Splits an environment's config into what the Stack carries inline, what it reads from a Secret,
 * and what stays in the stack file. A credential in plain text is refused: inline config is stored
 * unencrypted in the cluster.
 */
export function stackConfigParts(env: FleetEnvironment): StackConfigParts {
  const config: Record<string, unknown> = {};
  const secretsRef: Record<string, unknown> = {};
  const fromStackFile: string[] = [];
  const secret = new Set(env.secretKeys);
  const secretKeys = new Map<string, string>();
  for (const key of Object.keys(env.config).sort()) {
    const raw = env.config[key];
    if (secret.has(key)) {
      const secretKey = secretKeyFor(key);
      const clash = secretKeys.get(secretKey);
      if (clash) {
        throw new FleetError(
          `stacks/Pulumi.${env.stack}.yaml: secure keys "${clash}" and "${key}" map to the same Secret key "${secretKey}"; rename one`,
        );
      }
      secretKeys.set(secretKey, key);
      secretsRef[key] = {
        type: "Secret",
        secret: { name: configSecretName(env.stack), key: secretKey },
      };
      continue;
    }
    let value: unknown = raw;
    if (/^\s*[[{]/.test(raw)) {
      try {
        value = JSON.parse(raw) as unknown;
      } catch {
        value = raw;
      }
    }
    const leaks = plainSecrets(value, { key: key.split(":").pop() });
    if (leaks.length > 0) {
      const at = leaks[0].path ? `${key}.${leaks[0].path}` : key;
      throw new FleetError(
        `stacks/Pulumi.${env.stack}.yaml: ${at} holds ${leaks[0].reason} in plain text; ` +
          `make it a secret (\`pulumi config set --secret --path '${at}' ...\`) before rendering: ` +
          `a Stack's inline config is stored unencrypted in the cluster`,
      );
    }
    if (containsPlaceholder(value)) {
      fromStackFile.push(key);
      continue;
    }
    config[key] = value;
  }
  return { config, secretsRef, fromStackFile };
}

/** The Stack's gitAuth: each credential read from the named Secret. */
function gitAuthFields(auth: {
  type: "token" | "ssh" | "basic";
  secretName: string;
}): Record<string, unknown> {
  const ref = (key: string) => ({ type: "Secret", secret: { name: auth.secretName, key } });
  switch (auth.type) {
    case "token":
      return { accessToken: ref("accessToken") };
    case "ssh":
      return { sshAuth: { sshPrivateKey: ref("sshPrivateKey") } };
    case "basic":
      return { basicAuth: { userName: ref("username"), password: ref("password") } };
    default: {
      const never: never = auth.type;
      throw new Error(`unknown git auth type ${String(never)}`);
    }
  }
}

/** Where the workspace fetches the project: a git repository or a Flux source. */
function sourceFields(fleet: FleetConfig): Record<string, unknown> {
  const s = fleet.source;
  switch (s.kind) {
    case "git": {
      const gitAuth = s.auth ? gitAuthFields(s.auth) : undefined;
      return {
        projectRepo: s.repo,
        branch: s.branch,
        ...(s.repoDir ? { repoDir: s.repoDir } : {}),
        shallow: s.shallow,
        ...(gitAuth ? { gitAuth } : {}),
      };
    }
    case "flux":
      return {
        fluxSource: { sourceRef: { ...s.sourceRef }, ...(s.dir ? { dir: s.dir } : {}) },
      };
    default: {
      const never: never = s;
      throw new Error(`unknown source kind ${JSON.stringify(never)}`);
    }
  }
}

/** The fully qualified stack name the operator selects: `<org>/<project>/<stack>`. */
export function qualifiedStackName(fleet: FleetConfig, stack: string): string {
  return `${fleet.organization}/${PROJECT_NAME}/${stack}`;
}

/**
 * The environment's Stack object. `destroyOnFinalize: false`: deleting the object (or the fleet)
 * must never destroy a cluster; `refresh: true`: each update starts from what is really deployed.
 */
export function stackObject(fleet: FleetConfig, env: FleetEnvironment): K8sObject {
  const name = stackObjectName(env.stack);
  const parts = stackConfigParts(env);
  const envRefs = credentialEnvRefs(fleet);
  return {
    apiVersion: "pulumi.com/v1",
    kind: "Stack",
    metadata: {
      name,
      namespace: fleet.namespace,
      labels: { ...fleetLabels(env.stack), "meshlift.io/environment": env.environment },
    },
    spec: {
      stack: qualifiedStackName(fleet, env.stack),
      ...sourceFields(fleet),
      backend: fleet.backend,
      ...(fleet.secretsProvider ? { secretsProvider: fleet.secretsProvider } : {}),
      ...(Object.keys(envRefs).length ? { envRefs } : {}),
      config: parts.config,
      ...(Object.keys(parts.secretsRef).length ? { secretsRef: parts.secretsRef } : {}),
      refresh: true,
      destroyOnFinalize: false,
      serviceAccountName: name,
      ...(fleet.resyncFrequencySeconds !== undefined
        ? { resyncFrequencySeconds: fleet.resyncFrequencySeconds }
        : {}),
      ...(env.readsFrom ? { prerequisites: [{ name: stackObjectName(env.readsFrom) }] } : {}),
      workspaceTemplate: {
        metadata: { labels: fleetLabels(env.stack) },
        spec: {
          image: fleet.workspace.image,
          serviceAccountName: name,
          securityProfile: "restricted",
          resources: {
            requests: { ...fleet.workspace.resources.requests },
            limits: { ...fleet.workspace.resources.limits },
          },
        },
      },
    },
  };
}
