// The AWS identity the stack deploys with (`aws:profile`, `aws:assumeRoles`): kubeconfigs mint their tokens as the same identity.
import { z } from "zod";
import { ConfigProblem } from "../errors";

const roleArn = z
  .string()
  .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, "must be an IAM role ARN");

const assumeRole = z.object({ roleArn: roleArn.optional() }).passthrough();

/** The identity `aws eks get-token` must use so the Kubernetes provider acts as the AWS provider does. */
export interface AwsIdentity {
  /** `aws:profile`. */
  readonly profile?: string;
  /**
   * The role the AWS provider ends up as (`aws:assumeRoles`, last entry; or the legacy
   * `aws:assumeRole`). `aws eks get-token --role-arn` assumes it from the profile's credentials.
   */
  readonly roleArn?: string;
}

function parseJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

/** Reads the AWS provider's identity keys; problems name the key. */
export function awsIdentity(
  flat: Readonly<Record<string, string>>,
  problems: ConfigProblem[],
): AwsIdentity {
  const out: { profile?: string; roleArn?: string } = {};
  const profile = flat["aws:profile"];
  if (profile !== undefined) {
    if (/^[\w.+@-]{1,128}$/.test(profile)) out.profile = profile;
    else {
      problems.push({
        key: "aws:profile",
        given: profile,
        message: "must be an AWS CLI profile name (letters, digits, . _ - + @)",
      });
    }
  }
  const list = flat["aws:assumeRoles"];
  const single = flat["aws:assumeRole"];
  const key = list !== undefined ? "aws:assumeRoles" : "aws:assumeRole";
  const raw =
    list !== undefined ? parseJson(list) : single !== undefined ? [parseJson(single)] : [];
  const roles = z.array(assumeRole).safeParse(raw);
  if (!roles.success) {
    problems.push({
      key,
      given: raw,
      message: `must be ${key === "aws:assumeRoles" ? "a list of " : ""}{roleArn: "arn:aws:iam::<account>:role/<name>"}`,
    });
  } else {
    const last = roles.data.at(-1)?.roleArn;
    if (last) out.roleArn = last;
  }
  return out;
}
