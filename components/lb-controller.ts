// LbController: the AWS Load Balancer Controller (Helm) with its IRSA role and the upstream IAM policy.
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { helmReleaseArgs } from "../builders/helm";
import { CHARTS } from "../config/versions";
import {
  LBC_NAMESPACE,
  LBC_RELEASE,
  LBC_SERVICE_ACCOUNT,
  lbcPolicyDocument,
  lbControllerValues,
} from "../builders/lb-controller";
import { IrsaRole } from "./irsa-role";

export interface LbControllerArgs {
  /** The EKS cluster's name, which the controller tags what it creates with. */
  readonly clusterName: pulumi.Input<string>;
  /** AWS region, given explicitly so that the pods never need IMDS. */
  readonly region: string;
  /** The cluster's VPC, given explicitly for the same reason. */
  readonly vpcId: pulumi.Input<string>;
  /** The cluster's IAM OIDC provider, for the controller's IRSA role. */
  readonly oidcProviderArn: pulumi.Input<string>;
  /** The cluster's OIDC issuer (without https://). */
  readonly oidcIssuer: pulumi.Input<string>;
  /** Tags for the IAM role and policy. @default {} */
  readonly tags?: Record<string, string>;
}

/** Takes the cluster's Kubernetes provider through `opts.providers`, like every component here. */
export class LbController extends pulumi.ComponentResource {
  public readonly irsa: IrsaRole;
  public readonly release: k8s.helm.v3.Release;

  constructor(name: string, args: LbControllerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("meshlift:aws:LbController", name, {}, opts);
    const partition = aws.getPartitionOutput({}, { parent: this }).partition;
    this.irsa = new IrsaRole(
      `${name}-irsa`,
      {
        oidcProviderArn: args.oidcProviderArn,
        oidcIssuer: args.oidcIssuer,
        namespace: LBC_NAMESPACE,
        serviceAccountName: LBC_SERVICE_ACCOUNT,
        policy: partition.apply((p) => lbcPolicyDocument(p)),
        tags: args.tags,
      },
      { parent: this },
    );
    this.release = new k8s.helm.v3.Release(
      `${name}-release`,
      helmReleaseArgs(
        CHARTS.lbController,
        LBC_RELEASE,
        LBC_NAMESPACE,
        lbControllerValues({
          clusterName: args.clusterName,
          region: args.region,
          vpcId: args.vpcId,
        }),
      ),
      {
        parent: this,
        dependsOn: this.irsa.serviceAccount ? [this.irsa.serviceAccount] : [],
      },
    );
    this.registerOutputs({ roleArn: this.irsa.roleArn });
  }
}
