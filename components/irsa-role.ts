// IrsaRole: an IAM role only one Kubernetes ServiceAccount may assume (IRSA), plus that ServiceAccount.
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { irsaTrustPolicy, PolicyDocument } from "../builders/irsa-role";

export interface IrsaRoleArgs {
  /** ARN of the cluster's IAM OIDC provider. */
  readonly oidcProviderArn: pulumi.Input<string>;
  /** The cluster's OIDC issuer (with or without https://). */
  readonly oidcIssuer: pulumi.Input<string>;
  /** Namespace of the ServiceAccount. */
  readonly namespace: string;
  /** Name of the ServiceAccount. */
  readonly serviceAccountName: string;
  /** An inline policy document, created as a customer-managed policy and attached. @default none */
  readonly policy?: pulumi.Input<PolicyDocument>;
  /** Managed policy ARNs to attach. @default [] */
  readonly managedPolicyArns?: readonly string[];
  /**
   * Create the ServiceAccount, annotated with the role ARN. Leave false when something else (an EKS
   * add-on) creates it and takes the role ARN itself. @default true
   */
  readonly createServiceAccount?: boolean;
  /** What the ServiceAccount needs first (its namespace). @default [] */
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
  /** Tags for the IAM role and policy. @default {} */
  readonly tags?: Record<string, string>;
  /** Labels of the ServiceAccount. @default {} */
  readonly serviceAccountLabels?: Record<string, string>;
  /** A fixed IAM role name, for roles other things name (access entries). @default generated from the component name */
  readonly roleName?: string;
}

/** Takes the cluster's Kubernetes provider (for the ServiceAccount) through `opts.providers`, like every component here. */
export class IrsaRole extends pulumi.ComponentResource {
  public readonly role: aws.iam.Role;
  public readonly roleArn: pulumi.Output<string>;
  /** The annotated ServiceAccount, when this component created it. */
  public readonly serviceAccount?: k8s.core.v1.ServiceAccount;
  public readonly serviceAccountName: string;
  public readonly namespace: string;

  constructor(name: string, args: IrsaRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super("meshlift:iam:IrsaRole", name, {}, opts);
    const createSa = args.createServiceAccount ?? true;
    // Without the cluster's provider the ServiceAccount would go to whatever cluster kubectl points at.
    if (createSa && !this.getProvider("kubernetes:core/v1:ServiceAccount")) {
      throw new pulumi.ResourceError(
        `IrsaRole ${name}: a Kubernetes provider (opts.providers) is required to create ServiceAccount ${args.namespace}/${args.serviceAccountName}`,
        this,
      );
    }
    // Validates the names before anything is created (throws naming the bad value).
    irsaTrustPolicy(
      { providerArn: "arn", issuer: "issuer" },
      args.namespace,
      args.serviceAccountName,
    );

    const trust = pulumi
      .all([args.oidcProviderArn, args.oidcIssuer])
      .apply(([providerArn, issuer]) =>
        JSON.stringify(
          irsaTrustPolicy({ providerArn, issuer }, args.namespace, args.serviceAccountName),
        ),
      );
    this.role = new aws.iam.Role(
      `${name}-role`,
      {
        ...(args.roleName ? { name: args.roleName } : {}),
        assumeRolePolicy: trust,
        description: `IRSA for system:serviceaccount:${args.namespace}:${args.serviceAccountName}`,
        tags: args.tags ?? {},
      },
      { parent: this },
    );
    this.roleArn = this.role.arn;
    const attachments: pulumi.Resource[] = [];
    if (args.policy) {
      const policy = new aws.iam.Policy(
        `${name}-policy`,
        {
          policy: pulumi.output(args.policy).apply((p) => JSON.stringify(p)),
          tags: args.tags ?? {},
        },
        { parent: this },
      );
      attachments.push(
        new aws.iam.RolePolicyAttachment(
          `${name}-policy-attachment`,
          { role: this.role.name, policyArn: policy.arn },
          { parent: this },
        ),
      );
    }
    (args.managedPolicyArns ?? []).forEach((policyArn) =>
      attachments.push(
        new aws.iam.RolePolicyAttachment(
          `${name}-${policyArn.split("/").pop()}`,
          { role: this.role.name, policyArn },
          { parent: this },
        ),
      ),
    );

    this.namespace = args.namespace;
    this.serviceAccountName = args.serviceAccountName;
    if (createSa) {
      this.serviceAccount = new k8s.core.v1.ServiceAccount(
        `${name}-sa`,
        {
          metadata: {
            name: args.serviceAccountName,
            namespace: args.namespace,
            ...(args.serviceAccountLabels ? { labels: args.serviceAccountLabels } : {}),
            annotations: { "eks.amazonaws.com/role-arn": this.role.arn },
          },
        },
        {
          parent: this,
          // Pods started with this account must find their permissions already attached.
          dependsOn: [...(args.dependsOn ?? []), ...attachments],
        },
      );
    }
    this.registerOutputs({ roleArn: this.roleArn });
  }
}
