// Pure IAM documents for IrsaRole: the policy document shape and the IRSA trust policy.

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

/** Every action a policy grants, sorted and unique. */
export function policyActions(doc: PolicyDocument): string[] {
  const all = doc.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
  return [...new Set(all)].sort();
}
