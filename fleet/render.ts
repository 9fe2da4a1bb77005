// The whole fleet as files: per environment a Stack, its ServiceAccount and RBAC binding, its IAM role document; the operator on request.
import { FleetConfig, isPulumiCloud } from "../config/sections/fleet";
import {
  authDelegatorBinding,
  IamRoleSpec,
  K8sObject,
  serviceAccount,
  usesPassphrase,
  workspaceRole,
} from "./identity";
import {
  HelmReleaseSpec,
  operatorInstallCommand,
  operatorNamespace,
  operatorRelease,
} from "./operator";
import { configSecretName, FleetEnvironment, stackConfigParts, stackObject } from "./stack";

export { FleetEnvironment, FleetError } from "./stack";

/** One file of the render, relative to the output directory. */
export type RenderedFile =
  | { readonly path: string; readonly kind: "kubernetes"; readonly object: K8sObject }
  | { readonly path: string; readonly kind: "iam-role"; readonly role: IamRoleSpec }
  | { readonly path: string; readonly kind: "helm-release"; readonly release: HelmReleaseSpec }
  | {
      readonly path: string;
      readonly kind: "helm-values";
      readonly values: Record<string, unknown>;
    };

export interface FleetRender {
  readonly files: readonly RenderedFile[];
  /** What a person must do before the first update (Secrets to create, access to grant), in order. */
  readonly nextSteps: readonly string[];
}

/** How an environment's cluster lets the fleet role in: meshlift creates it, or it exists already. */
export type ClusterAccess =
  | { readonly mode: "create"; readonly adminRoleArns: readonly string[] }
  | { readonly mode: "existing"; readonly name: string };

export interface FleetEnvironmentInput extends FleetEnvironment {
  readonly cluster: ClusterAccess;
}

export const KUBERNETES_DIR = "kubernetes";

function fleetNamespace(fleet: FleetConfig): K8sObject {
  return {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name: fleet.namespace, labels: { "app.kubernetes.io/managed-by": "meshlift" } },
  };
}

/**
 * Renders the fleet. Pure: the caller reads the stack files. Kubernetes objects go under
 * `kubernetes/` (one `kubectl apply -R -f` applies them, the namespace first by file name), IAM
 * role documents under `aws/`, the operator's release under `operator/`.
 */
export function renderFleet(
  fleet: FleetConfig,
  envs: readonly FleetEnvironmentInput[],
): FleetRender {
  const files: RenderedFile[] = [];
  const steps: string[] = [];
  if (fleet.operator.install) {
    files.push(
      { path: "operator/namespace.yaml", kind: "kubernetes", object: operatorNamespace(fleet) },
      { path: "operator/release.yaml", kind: "helm-release", release: operatorRelease(fleet) },
      { path: "operator/values.yaml", kind: "helm-values", values: operatorRelease(fleet).values },
    );
    steps.push(
      `Install the operator: ${operatorInstallCommand(fleet, "<out>/operator/values.yaml")}`,
    );
  }
  files.push({
    path: `${KUBERNETES_DIR}/00-namespace.yaml`,
    kind: "kubernetes",
    object: fleetNamespace(fleet),
  });
  const credentialKeys = [
    ...(isPulumiCloud(fleet.backend) ? ["accessToken=<Pulumi access token>"] : []),
    ...(usesPassphrase(fleet) ? ["passphrase=<the stacks' config passphrase>"] : []),
  ];
  if (credentialKeys.length) {
    steps.push(
      `Create the backend credentials: kubectl -n ${fleet.namespace} create secret generic ${fleet.credentialsSecret} ${credentialKeys.map((k) => `--from-literal=${k}`).join(" ")}`,
    );
  }
  if (fleet.source.kind === "git" && fleet.source.auth) {
    const keys = { token: "accessToken", ssh: "sshPrivateKey", basic: "username, password" }[
      fleet.source.auth.type
    ];
    steps.push(
      `Create the git credentials: Secret ${fleet.namespace}/${fleet.source.auth.secretName} with key(s) ${keys}`,
    );
  }
  if (fleet.source.kind === "flux") {
    const r = fleet.source.sourceRef;
    steps.push(
      `Check that Flux serves the source: kubectl -n ${fleet.namespace} get ${r.kind.toLowerCase()} ${r.name}`,
    );
  }
  for (const env of [...envs].sort((a, b) => a.stack.localeCompare(b.stack))) {
    const dir = `${KUBERNETES_DIR}/${env.stack}`;
    const role = workspaceRole(fleet, env.stack);
    files.push(
      {
        path: `${dir}/auth-delegator.yaml`,
        kind: "kubernetes",
        object: authDelegatorBinding(fleet, env.stack),
      },
      {
        path: `${dir}/serviceaccount.yaml`,
        kind: "kubernetes",
        object: serviceAccount(fleet, env.stack),
      },
      { path: `${dir}/stack.yaml`, kind: "kubernetes", object: stackObject(fleet, env) },
      { path: `aws/${role.name}.json`, kind: "iam-role", role },
    );
    const parts = stackConfigParts(env);
    const secure = Object.keys(parts.secretsRef);
    if (secure.length) {
      steps.push(
        `${env.stack}: create Secret ${fleet.namespace}/${configSecretName(env.stack)} with the plain values of ${secure.join(", ")} (keys: ${secure.map((k) => (parts.secretsRef[k] as { secret: { key: string } }).secret.key).join(", ")})`,
      );
    }
    if (parts.fromStackFile.length) {
      steps.push(
        `${env.stack}: ${parts.fromStackFile.join(", ")} hold nested secure values and stay in stacks/Pulumi.${env.stack}.yaml; the workspace decrypts them with the stack's secrets provider`,
      );
    }
    steps.push(
      env.cluster.mode === "create"
        ? env.cluster.adminRoleArns.includes(role.arn)
          ? `${env.stack}: ${role.arn} is in meshlift:cluster.adminRoleArns: the workspace can reach the cluster`
          : `${env.stack}: add ${role.arn} to meshlift:cluster.adminRoleArns (stacks/Pulumi.${env.stack}.yaml), so that the workspace can reach the cluster it creates`
        : `${env.stack}: grant ${role.arn} access to the existing cluster ${env.cluster.name}: aws eks create-access-entry --cluster-name ${env.cluster.name} --principal-arn ${role.arn} && aws eks associate-access-policy --cluster-name ${env.cluster.name} --principal-arn ${role.arn} --policy-arn arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy --access-scope type=cluster`,
    );
  }
  if (fleet.rolePolicyArns.length === 0) {
    steps.push(
      "The roles have no permissions yet (--role-policy-arn): each workspace creates VPCs, EKS clusters, IAM roles and Route 53 records; attach a policy that allows that",
    );
  }
  steps.push(
    `Create the IAM roles from aws/*.json (trust policy, managed policies${fleet.identity.mode === "pod-identity" ? ", pod identity association" : ""}), then: kubectl apply -R -f <out>/${KUBERNETES_DIR}`,
  );
  return { files, nextSteps: steps };
}
