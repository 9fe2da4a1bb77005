// The `meshlift:fleet` section (and `meshlift fleet render`'s flags): environments run by the Pulumi Kubernetes Operator.
import { z } from "zod";
import { WORKSPACE_IMAGE } from "../versions";
import { dnsLabel, resourcesSchema } from "./k8s-common";

/**
 * A fleet stack names the operator's Stack object `meshlift-<stack>`, which the operator's CRD
 * caps at 42 characters and which must be a DNS label.
 */
export const FLEET_STACK = /^[a-z0-9]([-a-z0-9]{0,31}[a-z0-9])?$/;
export const fleetStackName = z
  .string()
  .regex(
    FLEET_STACK,
    "must be a lower-case stack name (letters, digits, -) of at most 33 characters: it names the Stack object meshlift-<stack>, which the operator caps at 42",
  );

const SCP_LIKE = /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[A-Za-z0-9._~/-]+$/;
const HOST = /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/;
const URL_PATH = /^\/[A-Za-z0-9._~/-]+$/;

/** Why a git URL is refused, or undefined. Credentials in the URL would land in plain text in the cluster. */
export function gitUrlProblem(v: string): string | undefined {
  if (v.length > 2048) return "is longer than 2048 characters";
  // The URL parser drops tabs and newlines and trims spaces; git would not.
  // eslint-disable-next-line no-control-regex
  if (/[\s\x00-\x1f\x7f]/.test(v)) return "must not contain whitespace or control characters";
  if (SCP_LIKE.test(v)) return undefined;
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    return "must be a git URL such as https://github.com/acme/platform.git or git@github.com:acme/platform.git";
  }
  if (u.protocol !== "https:" && u.protocol !== "ssh:") {
    return `must use https:// or ssh:// (not ${u.protocol}//): the workspace clones it over the network`;
  }
  if (u.password || (u.protocol === "https:" && u.username)) {
    return "must not carry credentials: put them in a Secret and name it with the git auth secret";
  }
  if (!HOST.test(u.hostname)) return `has an invalid host "${u.hostname}"`;
  if (!URL_PATH.test(u.pathname)) return "needs a repository path such as /acme/platform.git";
  if (u.search || u.hash) return "must not have a query or fragment";
  return undefined;
}

/** Why a branch name is refused, or undefined: the rules of `git check-ref-format --branch`. */
export function branchProblem(v: string): string | undefined {
  const name = v.startsWith("refs/heads/") ? v.slice("refs/heads/".length) : v;
  if (name.length === 0 || v.length > 255) return "must be 1 to 255 characters";
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(name)) {
    return "must not contain spaces, control characters or any of ~ ^ : ? * [ \\";
  }
  if (name.startsWith("-") || name.startsWith("/") || name.endsWith("/") || name.endsWith(".")) {
    return "must not start with - or /, nor end with / or .";
  }
  if (name.includes("..") || name.includes("//") || name.includes("@{") || name === "@") {
    return 'must not contain "..", "//" or "@{"';
  }
  if (name.split("/").some((c) => c.startsWith(".") || c.endsWith(".lock"))) {
    return "no path component may start with . or end with .lock";
  }
  return undefined;
}

function refined(problem: (v: string) => string | undefined) {
  return z.string().superRefine((v, ctx) => {
    const p = problem(v);
    if (p) ctx.addIssue({ code: "custom", message: p });
  });
}

/** A directory inside the fetched source, where Pulumi.yaml is. */
const relativeDir = z
  .string()
  .max(256)
  .regex(
    /^(?!\/)(?!.*(^|\/)\.\.(\/|$))[A-Za-z0-9._/-]+$/,
    "must be a relative directory inside the repository (letters, digits, . _ - /, no ..)",
  );

/** Where a credential lives: a Kubernetes Secret in the fleet namespace. */
const gitAuthSchema = z
  .object({
    /** token: key `accessToken`; ssh: key `sshPrivateKey`; basic: keys `username` and `password`. */
    type: z.enum(["token", "ssh", "basic"]),
    /** The Secret holding those keys. */
    secretName: dnsLabel,
  })
  .strict();

const gitSourceSchema = z
  .object({
    kind: z.literal("git"),
    /** The repository holding this project (Pulumi.yaml and stacks/). */
    repo: refined(gitUrlProblem),
    /** The branch the operator follows (polled for new commits). */
    branch: refined(branchProblem),
    /** Where Pulumi.yaml is inside the repository. @default the repository root */
    repoDir: relativeDir.optional(),
    /** Clone without history. @default true */
    shallow: z.boolean().default(true),
    /** Credentials for a private repository. @default none (public repository) */
    auth: gitAuthSchema.optional(),
  })
  .strict();

const FLUX_KINDS = ["GitRepository", "OCIRepository", "Bucket"] as const;

const fluxSourceSchema = z
  .object({
    kind: z.literal("flux"),
    /** A Flux source object in the fleet namespace that fetches this project. */
    sourceRef: z
      .object({
        /** @default source.toolkit.fluxcd.io/v1 */
        apiVersion: z
          .string()
          .regex(
            /^source\.toolkit\.fluxcd\.io\/v1(beta[12])?$/,
            "must be a Flux source API version such as source.toolkit.fluxcd.io/v1",
          )
          .default("source.toolkit.fluxcd.io/v1"),
        kind: z.enum(FLUX_KINDS),
        name: dnsLabel,
      })
      .strict(),
    /** Where Pulumi.yaml is inside the fetched artifact. @default its root */
    dir: relativeDir.optional(),
  })
  .strict();

const BACKEND =
  /^(https:\/\/[A-Za-z0-9.-]+(:\d+)?(\/[\w./-]*)?|s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[\w./-]*)?(\?[\w=&.-]*)?|azblob:\/\/[\w.-]+(\/[\w./-]*)?|gs:\/\/[a-z0-9][\w.-]{1,220}(\/[\w./-]*)?)$/;

const backendSchema = z.string().superRefine((v, ctx) => {
  if (v.startsWith("file://")) {
    ctx.addIssue({
      code: "custom",
      message:
        "a file:// backend lives inside the workspace pod and is lost with it: use Pulumi Cloud (https://api.pulumi.com) or a bucket (s3://...)",
    });
  } else if (v.length > 1024 || !BACKEND.test(v)) {
    ctx.addIssue({
      code: "custom",
      message:
        "must be a Pulumi backend URL: https://api.pulumi.com (or your Pulumi Cloud), s3://bucket/prefix, azblob://container or gs://bucket",
    });
  }
});

const secretsProviderSchema = z
  .string()
  .max(1024)
  .regex(
    /^(default|passphrase|awskms:\/\/[\w:/.@+=,%-]+(\?[\w=&.-]*)?|azurekeyvault:\/\/[\w./-]+|gcpkms:\/\/[\w./-]+|hashivault:\/\/[\w./-]+)$/,
    "must be default, passphrase, or a KMS URL such as awskms:///arn:aws:kms:us-east-1:111122223333:key/<id>?region=us-east-1",
  );

const accountId = z.string().regex(/^\d{12}$/, "must be a 12-digit AWS account id");

const issuerSchema = z
  .string()
  .max(512)
  .regex(
    /^https:\/\/[A-Za-z0-9.-]+(\/[\w.-]+)*$/,
    "must be the management cluster's OIDC issuer, such as https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE",
  );

/**
 * `meshlift fleet render` needs every field (it writes documents); a management stack takes what it
 * leaves out from its own cluster (OIDC provider, name) and account.
 */
const identitySchema = z.discriminatedUnion("mode", [
  z
    .object({
      /** IAM Roles for Service Accounts: the role trusts the management cluster's OIDC provider. */
      mode: z.literal("irsa"),
      /** @default (management stack) the account it deploys to */
      accountId: accountId.optional(),
      /** @default (management stack) its cluster's OIDC issuer */
      oidcIssuer: issuerSchema.optional(),
    })
    .strict(),
  z
    .object({
      /** EKS Pod Identity: the role trusts pods.eks.amazonaws.com; an association binds it to the ServiceAccount. */
      mode: z.literal("pod-identity"),
      accountId: accountId.optional(),
      /** The management cluster (where the operator runs). @default (management stack) its cluster */
      clusterName: z
        .string()
        .regex(/^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/, "must be an EKS cluster name")
        .optional(),
    })
    .strict(),
]);

const policyArn = z
  .string()
  .regex(
    /^arn:aws(-cn|-us-gov)?:iam::(aws|\d{12}):policy\/[\w+=,.@/-]{1,512}$/,
    "must be an IAM policy ARN such as arn:aws:iam::aws:policy/AdministratorAccess",
  );

const imageSchema = z
  .string()
  .max(512)
  .regex(
    /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d+)?(\/[a-z0-9]([a-z0-9._-]*[a-z0-9])?)*(:[\w][\w.-]{0,127}(@sha256:[a-f0-9]{64})?|@sha256:[a-f0-9]{64})$/,
    "must be an image reference with a tag, a digest or both, such as pulumi/pulumi:3.270.0-nonroot",
  )
  .refine((v) => !v.endsWith(":latest") && !/:latest-/.test(v), {
    message: "must be pinned: a :latest tag changes under the fleet between two updates",
  });

export const fleetSchema = z
  .object({
    /** The environments (stack names with a stacks/Pulumi.<stack>.yaml) the operator runs. */
    stacks: z.array(fleetStackName).min(1).max(1000),
    /** Namespace of the Stack objects, their ServiceAccounts and Secrets. @default meshlift-fleet */
    namespace: dnsLabel.default("meshlift-fleet"),
    /** Where the workspace fetches the project from. */
    source: z.discriminatedUnion("kind", [gitSourceSchema, fluxSourceSchema]),
    /** The Pulumi state backend. @default https://api.pulumi.com */
    backend: backendSchema.default("https://api.pulumi.com"),
    /** Pulumi organization of the stacks (`<org>/meshlift/<stack>`). @default organization (a bucket backend's) */
    organization: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/, "must be a Pulumi organization name")
      .default("organization"),
    /** @default none with Pulumi Cloud (its own encryption); passphrase with a bucket backend */
    secretsProvider: secretsProviderSchema.optional(),
    /** Secret with `accessToken` (Pulumi Cloud) or `passphrase` (passphrase provider). @default meshlift-fleet-credentials */
    credentialsSecret: dnsLabel.default("meshlift-fleet-credentials"),
    /** How the workspace pods get AWS credentials. */
    identity: identitySchema,
    /** IAM role names are `<rolePrefix><stack>`. @default meshlift-fleet- */
    rolePrefix: z
      .string()
      .regex(/^[\w+=,.@-]{1,30}$/, "must be 1 to 30 IAM role name characters")
      .default("meshlift-fleet-"),
    /** Managed policies the workspace role gets (what the program deploys: EKS, VPC, IAM, Route 53...). @default [] */
    rolePolicyArns: z.array(policyArn).max(20).default([]),
    workspace: z
      .object({
        /** The workspace image: Pulumi CLI 3.200+ (structured config), Node 20+ and the aws CLI. */
        image: imageSchema.default(WORKSPACE_IMAGE),
        /** @default requests 1/2Gi, limits 2/4Gi (an EKS + Helm update holds the providers in memory) */
        resources: resourcesSchema({
          requests: { cpu: "1", memory: "2Gi" },
          limits: { cpu: "2", memory: "4Gi" },
        }),
      })
      .strict()
      .prefault({}),
    /** How often the operator polls the branch and re-runs for drift, in seconds. @default the operator's (60) */
    resyncFrequencySeconds: z.number().int().min(60).max(86400).optional(),
    operator: z
      .object({
        /** Also install the operator from its Helm chart (config/versions.ts). @default false */
        install: z.boolean().default(false),
        /** @default pulumi-kubernetes-operator */
        namespace: dnsLabel.default("pulumi-kubernetes-operator"),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .superRefine((f, ctx) => {
    const seen = new Set<string>();
    f.stacks.forEach((s, i) => {
      if (seen.has(s)) {
        ctx.addIssue({
          code: "custom",
          path: ["stacks", i],
          input: s,
          message: `stack "${s}" is listed twice`,
        });
      }
      seen.add(s);
    });
    if (f.secretsProvider === "default" && !isPulumiCloud(f.backend)) {
      ctx.addIssue({
        code: "custom",
        path: ["secretsProvider"],
        input: f.secretsProvider,
        message: `"default" is Pulumi Cloud's encryption; with the backend ${f.backend} use passphrase or a KMS key`,
      });
    }
  });

export type FleetConfig = z.infer<typeof fleetSchema>;

/** The identity fields a rendered document needs, by field path; empty when none is missing. */
export function missingRenderIdentity(id: {
  readonly mode?: unknown;
  readonly accountId?: unknown;
  readonly oidcIssuer?: unknown;
  readonly clusterName?: unknown;
}): string[] {
  return [
    ...(id.accountId === undefined ? ["identity.accountId"] : []),
    ...(id.mode === "irsa" && id.oidcIssuer === undefined ? ["identity.oidcIssuer"] : []),
    ...(id.mode === "pod-identity" && id.clusterName === undefined ? ["identity.clusterName"] : []),
  ];
}

/** Pulumi Cloud (or a self-hosted Pulumi Cloud) rather than a bucket: it needs an access token. */
export function isPulumiCloud(backend: string): boolean {
  return backend.startsWith("https://");
}
