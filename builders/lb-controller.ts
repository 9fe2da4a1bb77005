// Pure builders for LbController: its Helm values, and its IAM policy tied to the chart version.
import { CHARTS } from "../config/versions";
import { Values, zoneSpread } from "./helm";
import { PolicyDocument } from "./irsa-role";

export { nlbServiceAnnotations } from "./nlb";

/** The controller's Helm release name, pinned like every release meshlift installs. */
export const LBC_RELEASE = "aws-load-balancer-controller";

/** Namespace and ServiceAccount of the LB controller, the two halves of its IRSA trust. */
export const LBC_NAMESPACE = "kube-system";
export const LBC_SERVICE_ACCOUNT = "aws-load-balancer-controller";

/** Inputs that only the cloud knows (cluster name, VPC id) pass through unchanged. */
export interface LbControllerValuesArgs<S> {
  readonly clusterName: S;
  readonly region: string;
  readonly vpcId: S;
}

/**
 * `aws-load-balancer-controller`: the ServiceAccount is made by IrsaRole (create: false) under the
 * pinned name its IAM trust names; region and VPC are explicit so the pods never need IMDS.
 */
export function lbControllerValues<S>(a: LbControllerValuesArgs<S>): Values {
  return {
    clusterName: a.clusterName,
    region: a.region,
    vpcId: a.vpcId,
    replicaCount: 2,
    serviceAccount: { create: false, name: LBC_SERVICE_ACCOUNT },
    // Keep Services this stack does not own (App Mesh's ingress, other teams') on their current
    // provisioner: without this the webhook hands every new LoadBalancer Service to the controller.
    enableServiceMutatorWebhook: false,
    podDisruptionBudget: { maxUnavailable: 1 },
    topologySpreadConstraints: zoneSpread({ "app.kubernetes.io/name": LBC_SERVICE_ACCOUNT }),
  };
}

/** Where lbcPolicyDocument comes from; a chart bump must revisit the policy (a test ties them). */
export const LBC_POLICY_SOURCE = {
  repo: "kubernetes-sigs/aws-load-balancer-controller",
  path: "docs/install/iam_policy.json",
  tag: "v3.5.0",
  chartVersion: "3.5.0",
} as const;

// The controller tags what it creates with this key; the conditions confine it to its own resources.
const CLUSTER_TAG = "elbv2.k8s.aws/cluster";
const REQUEST_TAG_PRESENT = { [`aws:RequestTag/${CLUSTER_TAG}`]: "false" };
const RESOURCE_TAG_PRESENT = { [`aws:ResourceTag/${CLUSTER_TAG}`]: "false" };
const REQUEST_ABSENT_RESOURCE_PRESENT = {
  [`aws:RequestTag/${CLUSTER_TAG}`]: "true",
  [`aws:ResourceTag/${CLUSTER_TAG}`]: "false",
};

/**
 * The controller's IAM policy as published upstream (16 statements, 80 actions, same conditions),
 * with ARNs in the given partition.
 */
export function lbcPolicyDocument(partition = "aws"): PolicyDocument {
  if (CHARTS.lbController.version !== LBC_POLICY_SOURCE.chartVersion) {
    throw new Error(
      `lbcPolicyDocument: policy is from chart ${LBC_POLICY_SOURCE.chartVersion} but chart ${CHARTS.lbController.version} is pinned; update the policy from ${LBC_POLICY_SOURCE.path}`,
    );
  }
  const elb = (r: string) => `arn:${partition}:elasticloadbalancing:*:*:${r}`;
  const lbAndTg = [
    elb("targetgroup/*/*"),
    elb("loadbalancer/net/*/*"),
    elb("loadbalancer/app/*/*"),
  ];
  const sg = `arn:${partition}:ec2:*:*:security-group/*`;
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Action: ["iam:CreateServiceLinkedRole"],
        Resource: "*",
        Condition: {
          StringEquals: { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" },
        },
      },
      {
        Effect: "Allow",
        Action: [
          "ec2:DescribeAccountAttributes",
          "ec2:DescribeAddresses",
          "ec2:DescribeAvailabilityZones",
          "ec2:DescribeInternetGateways",
          "ec2:DescribeVpcs",
          "ec2:DescribeVpcPeeringConnections",
          "ec2:DescribeSubnets",
          "ec2:DescribeSecurityGroups",
          "ec2:DescribeInstances",
          "ec2:DescribeNetworkInterfaces",
          "ec2:DescribeTags",
          "ec2:GetCoipPoolUsage",
          "ec2:DescribeCoipPools",
          "ec2:GetSecurityGroupsForVpc",
          "ec2:DescribeIpamPools",
          "ec2:DescribeRouteTables",
          "elasticloadbalancing:DescribeLoadBalancers",
          "elasticloadbalancing:DescribeLoadBalancerAttributes",
          "elasticloadbalancing:DescribeListeners",
          "elasticloadbalancing:DescribeListenerCertificates",
          "elasticloadbalancing:DescribeSSLPolicies",
          "elasticloadbalancing:DescribeRules",
          "elasticloadbalancing:DescribeTargetGroups",
          "elasticloadbalancing:DescribeTargetGroupAttributes",
          "elasticloadbalancing:DescribeTargetHealth",
          "elasticloadbalancing:DescribeTags",
          "elasticloadbalancing:DescribeTrustStores",
          "elasticloadbalancing:DescribeListenerAttributes",
          "elasticloadbalancing:DescribeCapacityReservation",
        ],
        Resource: "*",
      },
      {
        Effect: "Allow",
        Action: [
          "cognito-idp:DescribeUserPoolClient",
          "acm:ListCertificates",
          "acm:DescribeCertificate",
          "iam:ListServerCertificates",
          "iam:GetServerCertificate",
          "waf-regional:GetWebACL",
          "waf-regional:GetWebACLForResource",
          "waf-regional:AssociateWebACL",
          "waf-regional:DisassociateWebACL",
          "wafv2:GetWebACL",
          "wafv2:GetWebACLForResource",
          "wafv2:AssociateWebACL",
          "wafv2:DisassociateWebACL",
          "shield:GetSubscriptionState",
          "shield:DescribeProtection",
          "shield:CreateProtection",
          "shield:DeleteProtection",
        ],
        Resource: "*",
      },
      {
        Effect: "Allow",
        Action: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"],
        Resource: "*",
      },
      { Effect: "Allow", Action: ["ec2:CreateSecurityGroup"], Resource: "*" },
      {
        Effect: "Allow",
        Action: ["ec2:CreateTags"],
        Resource: sg,
        Condition: {
          StringEquals: { "ec2:CreateAction": "CreateSecurityGroup" },
          Null: REQUEST_TAG_PRESENT,
        },
      },
      {
        Effect: "Allow",
        Action: ["ec2:CreateTags", "ec2:DeleteTags"],
        Resource: sg,
        Condition: { Null: REQUEST_ABSENT_RESOURCE_PRESENT },
      },
      {
        Effect: "Allow",
        Action: [
          "ec2:AuthorizeSecurityGroupIngress",
          "ec2:RevokeSecurityGroupIngress",
          "ec2:DeleteSecurityGroup",
        ],
        Resource: "*",
        Condition: { Null: RESOURCE_TAG_PRESENT },
      },
      {
        Effect: "Allow",
        Action: [
          "elasticloadbalancing:CreateLoadBalancer",
          "elasticloadbalancing:CreateTargetGroup",
        ],
        Resource: "*",
        Condition: { Null: REQUEST_TAG_PRESENT },
      },
      {
        Effect: "Allow",
        Action: [
          "elasticloadbalancing:CreateListener",
          "elasticloadbalancing:DeleteListener",
          "elasticloadbalancing:CreateRule",
          "elasticloadbalancing:DeleteRule",
        ],
        Resource: "*",
      },
      {
        Effect: "Allow",
        Action: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
        Resource: lbAndTg,
        Condition: { Null: REQUEST_ABSENT_RESOURCE_PRESENT },
      },
      {
        Effect: "Allow",
        Action: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
        Resource: [
          elb("listener/net/*/*/*"),
          elb("listener/app/*/*/*"),
          elb("listener-rule/net/*/*/*"),
          elb("listener-rule/app/*/*/*"),
        ],
      },
      {
        Effect: "Allow",
        Action: [
          "elasticloadbalancing:ModifyLoadBalancerAttributes",
          "elasticloadbalancing:SetIpAddressType",
          "elasticloadbalancing:SetSecurityGroups",
          "elasticloadbalancing:SetSubnets",
          "elasticloadbalancing:DeleteLoadBalancer",
          "elasticloadbalancing:ModifyTargetGroup",
          "elasticloadbalancing:ModifyTargetGroupAttributes",
          "elasticloadbalancing:DeleteTargetGroup",
          "elasticloadbalancing:ModifyListenerAttributes",
          "elasticloadbalancing:ModifyCapacityReservation",
          "elasticloadbalancing:ModifyIpPools",
        ],
        Resource: "*",
        Condition: { Null: RESOURCE_TAG_PRESENT },
      },
      {
        Effect: "Allow",
        Action: ["elasticloadbalancing:AddTags"],
        Resource: lbAndTg,
        Condition: {
          StringEquals: {
            "elasticloadbalancing:CreateAction": ["CreateTargetGroup", "CreateLoadBalancer"],
          },
          Null: REQUEST_TAG_PRESENT,
        },
      },
      {
        Effect: "Allow",
        Action: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
        Resource: elb("targetgroup/*/*"),
      },
      {
        Effect: "Allow",
        Action: [
          "elasticloadbalancing:SetWebAcl",
          "elasticloadbalancing:ModifyListener",
          "elasticloadbalancing:AddListenerCertificates",
          "elasticloadbalancing:RemoveListenerCertificates",
          "elasticloadbalancing:ModifyRule",
          "elasticloadbalancing:SetRulePriorities",
        ],
        Resource: "*",
      },
    ],
  };
}
