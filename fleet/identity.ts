// Pure builders for a fleet workspace's identity: its ServiceAccount, the operator's RBAC binding and its IAM role.
import { irsaTrustPolicy, PolicyDocument, PolicyStatement } from "../builders/irsa-role";
import { issuerHostPath } from "../builders/eks-cluster";
import { FleetConfig, isPulumiCloud, missingRenderIdentity } from "../config/sections/fleet";

/** A Kubernetes object as rendered: plain JSON, ready for YAML. */
export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Record<string, string>;
    readonly annotations?: Record<string, string>;
  };
  readonly [field: string]: unknown;
}

/** An IAM role as a document: what to create with `aws iam create-role` or Pulumi, never a live ARN lookup. */
export interface IamRoleSpec {
  readonly name: string;
  readonly arn: string;
  readonly description: string;
  readonly trustPolicy: PolicyDocument;
  readonly managedPolicyArns: readonly string[];
  /** Access to the state bucket and the KMS key, when the backend and secrets provider are AWS. */
  readonly inlinePolicy?: PolicyDocument;
  /** EKS Pod Identity only: the association that binds the role to the ServiceAccount. */
  readonly podIdentityAssociation?: {
    readonly clusterName: string;
    readonly namespace: string;
    readonly serviceAccount: string;
    readonly roleArn: string;
  };
}

export const IRSA_ANNOTATION = "eks.amazonaws.com/role-arn";

/** Labels on everything the fleet renders for one environment. */
export function fleetLabels(stack: string): Record<string, string> {
  return {
    "app.kubernetes.io/managed-by": "meshlift",
    "app.kubernetes.io/part-of": "meshlift-fleet",
    "meshlift.io/stack": stack,
  };
}

/** The Stack object's name, which also names its ServiceAccount and Secrets. */
export function stackObjectName(stack: string): string {
  return `meshlift-${stack}`;
}

export function roleName(fleet: FleetConfig, stack: string): string {
  const name = `${fleet.rolePrefix}${stack}`;
  if (name.length > 64) {
    throw new Error(
      `fleet.rolePrefix: role name "${name}" is ${name.length} characters; IAM allows 64`,
    );
  }
  return name;
}

/** The identity a written document names: every field given (`meshlift fleet render` checks). */
type RenderIdentity =
  | { mode: "irsa"; accountId: string; oidcIssuer: string }
  | { mode: "pod-identity"; accountId: string; clusterName: string };

function renderIdentity(fleet: FleetConfig): RenderIdentity {
  const missing = missingRenderIdentity(fleet.identity);
  if (missing.length)
    throw new Error(`fleet: ${missing.join(", ")} must be given to render documents`);
  return fleet.identity as RenderIdentity;
}

export function roleArn(fleet: FleetConfig, stack: string): string {
  return `arn:aws:iam::${renderIdentity(fleet).accountId}:role/${roleName(fleet, stack)}`;
}

/** The workspace's ServiceAccount; with IRSA it names the role the pod assumes. */
export function serviceAccount(fleet: FleetConfig, stack: string): K8sObject {
  const irsa = fleet.identity.mode === "irsa";
  return {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: {
      name: stackObjectName(stack),
      namespace: fleet.namespace,
      labels: fleetLabels(stack),
      ...(irsa ? { annotations: { [IRSA_ANNOTATION]: roleArn(fleet, stack) } } : {}),
    },
  };
}

/**
 * Operator v2 authenticates to each workspace pod with the pod's own ServiceAccount token, checked
 * through the API server: without `system:auth-delegator` the workspace refuses the operator.
 */
export function authDelegatorBinding(
  fleet: FleetConfig,
  stack: string,
): K8sObject & {
  readonly roleRef: { apiGroup: string; kind: string; name: string };
  readonly subjects: { kind: string; name: string; namespace: string }[];
} {
  const sa = stackObjectName(stack);
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRoleBinding",
    metadata: {
      name: `${fleet.namespace}:${sa}:system:auth-delegator`,
      labels: fleetLabels(stack),
    },
    roleRef: {
      apiGroup: "rbac.authorization.k8s.io",
      kind: "ClusterRole",
      name: "system:auth-delegator",
    },
    subjects: [{ kind: "ServiceAccount", name: sa, namespace: fleet.namespace }],
  };
}

/** Trust for EKS Pod Identity: the EKS pods service, with the session tags it sets. */
export function podIdentityTrustPolicy(accountId: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: "pods.eks.amazonaws.com" },
        Action: ["sts:AssumeRole", "sts:TagSession"],
        Condition: { StringEquals: { "aws:SourceAccount": accountId } },
      },
    ],
  };
}

/** The state bucket and KMS key the workspace reads and writes, as an inline policy (undefined when neither is AWS). */
export function stateAccessPolicy(fleet: FleetConfig): PolicyDocument | undefined {
  const statements: PolicyStatement[] = [];
  const s3 = /^s3:\/\/([^/?]+)(\/[^?]*)?/.exec(fleet.backend);
  if (s3) {
    const bucket = s3[1];
    const prefix = (s3[2] ?? "").replace(/^\/+|\/+$/g, "");
    statements.push(
      {
        Sid: "StateBucketList",
        Effect: "Allow",
        Action: "s3:ListBucket",
        Resource: `arn:aws:s3:::${bucket}`,
      },
      {
        Sid: "StateObjects",
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
        Resource: `arn:aws:s3:::${bucket}/${prefix ? `${prefix}/` : ""}*`,
      },
    );
  }
  const kms = /^awskms:\/\/\/?(arn:aws[\w-]*:kms:[\w-]+:\d{12}:key\/[\w-]+)/.exec(
    fleet.secretsProvider ?? "",
  );
  if (kms) {
    statements.push({
      Sid: "SecretsKey",
      Effect: "Allow",
      Action: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"],
      Resource: kms[1],
    });
  }
  return statements.length ? { Version: "2012-10-17", Statement: statements } : undefined;
}

export function workspaceRole(fleet: FleetConfig, stack: string): IamRoleSpec {
  const sa = stackObjectName(stack);
  const id = renderIdentity(fleet);
  const arn = roleArn(fleet, stack);
  const trustPolicy =
    id.mode === "irsa"
      ? irsaTrustPolicy(
          {
            providerArn: `arn:aws:iam::${id.accountId}:oidc-provider/${issuerHostPath(id.oidcIssuer)}`,
            issuer: id.oidcIssuer,
          },
          fleet.namespace,
          sa,
        )
      : podIdentityTrustPolicy(id.accountId);
  const inline = stateAccessPolicy(fleet);
  return {
    name: roleName(fleet, stack),
    arn,
    description: `meshlift fleet workspace of stack ${stack} (${fleet.namespace}/${sa})`,
    trustPolicy,
    managedPolicyArns: [...fleet.rolePolicyArns],
    ...(inline ? { inlinePolicy: inline } : {}),
    ...(id.mode === "pod-identity"
      ? {
          podIdentityAssociation: {
            clusterName: id.clusterName,
            namespace: fleet.namespace,
            serviceAccount: sa,
            roleArn: arn,
          },
        }
      : {}),
  };
}

/** Environment variables of every workspace: backend credentials from the fleet's credentials Secret. */
export function credentialEnvRefs(fleet: FleetConfig): Record<string, unknown> {
  const fromSecret = (key: string) => ({
    type: "Secret",
    secret: { name: fleet.credentialsSecret, key },
  });
  const refs: Record<string, unknown> = {};
  if (isPulumiCloud(fleet.backend)) refs.PULUMI_ACCESS_TOKEN = fromSecret("accessToken");
  if (usesPassphrase(fleet)) refs.PULUMI_CONFIG_PASSPHRASE = fromSecret("passphrase");
  return refs;
}

/** A bucket backend without a KMS provider encrypts with a passphrase. */
export function usesPassphrase(fleet: FleetConfig): boolean {
  if (fleet.secretsProvider === "passphrase") return true;
  return fleet.secretsProvider === undefined && !isPulumiCloud(fleet.backend);
}
