// Pure IAM documents: the IRSA trust policy, and the AWS Load Balancer Controller's policy tied to its chart.
import { CHARTS } from "../config/versions";

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: Record<string, string>;
  readonly Action: string | string[];
  readonly Resource?: string | string[];
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: PolicyStatement[];
}

const K8S_NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

/** The OIDC provider an IRSA role trusts: its ARN and its issuer (with or without https://). */
export interface OidcProviderRef {
  readonly providerArn: string;
  readonly issuer: string;
}

/**
 * Trust policy for IAM Roles for Service Accounts: only the one ServiceAccount `<ns>/<sa>`, only with
 * the STS audience, may assume the role through the cluster's OIDC provider. Both conditions are
 * StringEquals on purpose: a StringLike `sub` or a missing `aud` lets other tokens in.
 */
export function irsaTrustPolicy(
  oidc: OidcProviderRef,
  namespace: string,
  serviceAccount: string,
): PolicyDocument {
  if (!K8S_NAME.test(namespace)) {
    throw new Error(`irsaTrustPolicy: namespace "${namespace}" is not a Kubernetes name`);
  }
  if (!K8S_NAME.test(serviceAccount)) {
    throw new Error(
      `irsaTrustPolicy: serviceAccount "${serviceAccount}" is not a Kubernetes name (wildcards are refused)`,
    );
  }
  const issuer = oidc.issuer.replace(/^https:\/\//, "").replace(/\/$/, "");
  if (issuer === "") throw new Error(`irsaTrustPolicy: issuer "${oidc.issuer}" is empty`);
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Federated: oidc.providerArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            [`${issuer}:sub`]: `system:serviceaccount:${namespace}:${serviceAccount}`,
            [`${issuer}:aud`]: "sts.amazonaws.com",
          },
        },
      },
    ],
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

/** Every action a policy grants, sorted and unique. */
export function policyActions(doc: PolicyDocument): string[] {
  const all = doc.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
  return [...new Set(all)].sort();
}
