// Fleet: a management stack's Pulumi Kubernetes Operator, and per environment its Stack, ServiceAccount, RBAC binding and IAM role.
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { FleetConfig } from "../config/sections/fleet";
import {
  authDelegatorBinding,
  fleetLabels,
  podIdentityTrustPolicy,
  roleName,
  stackObjectName,
  stateAccessPolicy,
} from "../fleet/identity";
import { operatorNamespace, operatorRelease } from "../fleet/operator";
import { FleetEnvironmentInput } from "../fleet/render";
import { stackObject } from "../fleet/stack";
import { HELM_TIMEOUT_SECONDS } from "../builders/helm";
import { IrsaRole } from "./irsa-role";

export interface FleetArgs {
  /** The validated `meshlift:fleet` section. */
  readonly fleet: FleetConfig;
  /** Each environment's stack file, read before anything is registered (fleet/environments.ts). */
  readonly environments: readonly FleetEnvironmentInput[];
  /** The management cluster's name, for EKS Pod Identity associations. */
  readonly clusterName: pulumi.Input<string>;
  /** Its IAM OIDC provider, which IRSA roles trust (`fleet.identity.oidcIssuer` is not needed here). */
  readonly oidcProviderArn: pulumi.Input<string>;
  readonly oidcIssuer: pulumi.Input<string>;
  /** @default {} */
  readonly tags?: Record<string, string>;
}

/** Takes the management cluster's Kubernetes provider (where the operator runs) through `opts.providers`, like every component here. */
export class Fleet extends pulumi.ComponentResource {
  /** Stack object names by meshlift stack. */
  public readonly stacks: Record<string, string>;
  /** Workspace IAM role ARNs by meshlift stack: add each to its environment's cluster access. */
  public readonly roleArns: Record<string, pulumi.Output<string>>;

  constructor(name: string, args: FleetArgs, opts?: pulumi.ComponentResourceOptions) {
    super("meshlift:fleet:Fleet", name, {}, opts);
    const f = args.fleet;
    const listed = new Set(f.stacks);
    const unlisted = args.environments.filter((e) => !listed.has(e.stack)).map((e) => e.stack);
    if (unlisted.length || args.environments.length !== f.stacks.length) {
      throw new pulumi.ResourceError(
        `Fleet ${name}: environments (${args.environments.map((e) => e.stack).join(", ")}) are not fleet.stacks (${f.stacks.join(", ")})`,
        this,
      );
    }
    // Without the cluster's provider the operator and the Stacks would go to whatever kubectl points at.
    if (!this.getProvider("kubernetes:core/v1:Namespace")) {
      throw new pulumi.ResourceError(
        `Fleet ${name}: a Kubernetes provider (opts.providers) is required for the management cluster`,
        this,
      );
    }
    const k = { parent: this };
    const tags = args.tags ?? {};

    // The operator and its CRDs first: a Stack object cannot be created before stacks.pulumi.com exists.
    let operator: k8s.helm.v3.Release | undefined;
    if (f.operator.install) {
      const ns = new k8s.core.v1.Namespace(
        `${name}-operator-ns`,
        { metadata: operatorNamespace(f).metadata },
        k,
      );
      const r = operatorRelease(f);
      operator = new k8s.helm.v3.Release(
        `${name}-operator`,
        {
          name: r.release,
          // An OCI chart: the reference is the chart, there is no repository.
          chart: r.chart,
          version: r.version,
          namespace: r.namespace,
          values: r.values,
          skipAwait: false,
          atomic: true,
          timeout: HELM_TIMEOUT_SECONDS,
        },
        { ...k, dependsOn: [ns] },
      );
    }
    const namespace = new k8s.core.v1.Namespace(
      `${name}-ns`,
      { metadata: { name: f.namespace, labels: { "app.kubernetes.io/managed-by": "meshlift" } } },
      k,
    );

    const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
    const inline = stateAccessPolicy(f);
    this.stacks = {};
    this.roleArns = {};
    for (const env of args.environments) {
      const saName = stackObjectName(env.stack);
      const prefix = `${name}-${env.stack}`;
      let roleArn: pulumi.Output<string>;
      let identityReady: pulumi.Resource[];
      if (f.identity.mode === "irsa") {
        const irsa = new IrsaRole(
          `${prefix}-irsa`,
          {
            oidcProviderArn: args.oidcProviderArn,
            oidcIssuer: args.oidcIssuer,
            namespace: f.namespace,
            serviceAccountName: saName,
            roleName: roleName(f, env.stack),
            ...(inline ? { policy: inline } : {}),
            managedPolicyArns: f.rolePolicyArns,
            dependsOn: [namespace],
            serviceAccountLabels: fleetLabels(env.stack),
            tags,
          },
          { parent: this },
        );
        roleArn = irsa.roleArn;
        identityReady = irsa.serviceAccount ? [irsa.serviceAccount] : [];
      } else {
        const role = new aws.iam.Role(
          `${prefix}-role`,
          {
            name: roleName(f, env.stack),
            assumeRolePolicy: account.apply((a) =>
              JSON.stringify(podIdentityTrustPolicy(f.identity.accountId ?? a)),
            ),
            description: `meshlift fleet workspace of stack ${env.stack} (EKS Pod Identity)`,
            tags,
          },
          { parent: this },
        );
        const attachments: pulumi.Resource[] = f.rolePolicyArns.map(
          (policyArn) =>
            new aws.iam.RolePolicyAttachment(
              `${prefix}-${policyArn.split("/").pop()}`,
              { role: role.name, policyArn },
              { parent: this },
            ),
        );
        if (inline) {
          attachments.push(
            new aws.iam.RolePolicy(
              `${prefix}-state`,
              { role: role.name, policy: JSON.stringify(inline) },
              { parent: this },
            ),
          );
        }
        const sa = new k8s.core.v1.ServiceAccount(
          `${prefix}-sa`,
          { metadata: { name: saName, namespace: f.namespace, labels: fleetLabels(env.stack) } },
          { ...k, dependsOn: [namespace] },
        );
        const association = new aws.eks.PodIdentityAssociation(
          `${prefix}-pod-identity`,
          {
            clusterName: f.identity.clusterName ?? args.clusterName,
            namespace: f.namespace,
            serviceAccount: saName,
            roleArn: role.arn,
            tags,
          },
          { parent: this, dependsOn: attachments },
        );
        roleArn = role.arn;
        identityReady = [sa, association];
      }
      const crb = authDelegatorBinding(f, env.stack);
      const binding = new k8s.rbac.v1.ClusterRoleBinding(
        `${prefix}-auth-delegator`,
        { metadata: crb.metadata, roleRef: crb.roleRef, subjects: crb.subjects },
        k,
      );
      const obj = stackObject(f, env);
      new k8s.apiextensions.CustomResource(
        `${prefix}-stack`,
        { apiVersion: obj.apiVersion, kind: obj.kind, metadata: obj.metadata, spec: obj.spec },
        {
          ...k,
          // The workspace must find its identity (and the operator its CRD) before its first update.
          dependsOn: [namespace, binding, ...identityReady, ...(operator ? [operator] : [])],
        },
      );
      this.stacks[env.stack] = obj.metadata.name;
      this.roleArns[env.stack] = roleArn;
    }
    this.registerOutputs({ stacks: this.stacks, roleArns: this.roleArns });
  }
}
