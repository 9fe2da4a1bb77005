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
  readonly clusterName: pulumi.Input<string>;
  readonly region: string;
  readonly vpcId: pulumi.Input<string>;
  readonly oidcProviderArn: pulumi.Input<string>;
  readonly oidcIssuer: pulumi.Input<string>;
  /** The cluster's Kubernetes provider. */
  readonly provider: k8s.Provider;
  /** @default {} */
  readonly tags?: Record<string, string>;
}

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
        provider: args.provider,
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
        provider: args.provider,
        dependsOn: this.irsa.serviceAccount ? [this.irsa.serviceAccount] : [],
      },
    );
    this.registerOutputs({ roleArn: this.irsa.roleArn });
  }
}
