// The `meshlift:security` section: mTLS mode, default-deny and allow rules, JWT request authentication.
import { z } from "zod";
import { dnsLabel } from "./k8s-common";
import { cidrSchema } from "./network";

const HTTP_METHODS = [
  "GET",
  "HEAD",
  "POST",
  "PUT",
  "PATCH",
  "DELETE",
  "OPTIONS",
  "CONNECT",
  "TRACE",
];

const cidr = cidrSchema({ allowAddress: true });

/** A URL path or Istio path pattern: exact, `/prefix*`, `*suffix` or `*`. */
const pathPattern = z
  .string()
  .regex(/^(\/\S*|\*\S*)$/, 'must start with "/" or "*" (e.g. "/api/*")');

const labels = z.record(z.string(), z.string());

const allowRuleSchema = z
  .object({
    /** Name of the AuthorizationPolicy. */
    name: dnsLabel,
    /** Namespace it protects. */
    namespace: dnsLabel,
    /** Workloads it applies to (matchLabels); all workloads of the namespace when absent. */
    selector: labels.optional(),
    /** Source SPIFFE principals, e.g. cluster.local/ns/shop/sa/frontend. */
    principals: z.array(z.string().min(1)).optional(),
    /** Source namespaces. */
    sourceNamespaces: z.array(dnsLabel).optional(),
    /** Source IP blocks. */
    ipBlocks: z.array(cidr).optional(),
    methods: z.array(z.enum(HTTP_METHODS)).optional(),
    paths: z.array(pathPattern).optional(),
    ports: z.array(z.number().int().min(1).max(65535)).optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    // An ALLOW rule with no source would allow every caller: almost always a mistake.
    if (!r.principals?.length && !r.sourceNamespaces?.length && !r.ipBlocks?.length) {
      ctx.addIssue({
        code: "custom",
        path: ["principals"],
        input: undefined,
        message:
          "an allow rule needs at least one source (principals, sourceNamespaces or ipBlocks); without one it allows every caller",
      });
    }
  });

const jwtSchema = z
  .object({
    /** Suffix of the RequestAuthentication / AuthorizationPolicy names. */
    name: dnsLabel,
    /** Namespace to enforce in. @default the gateway namespace */
    namespace: dnsLabel.optional(),
    /** Workloads to enforce on (matchLabels). @default the ingress gateway pods */
    selector: labels.optional(),
    issuer: z.string().min(1),
    jwksUri: z.url({ protocol: /^https$/, error: "must be an https URL" }),
    audiences: z.array(z.string().min(1)).default([]),
    /** Pass the token on to the backend. @default false */
    forwardOriginalToken: z.boolean().default(false),
    /** Paths that require a token; every path when absent. */
    paths: z.array(pathPattern).optional(),
  })
  .strict();

export const securitySchema = z
  .object({
    /** STRICT mTLS before decommission (App Mesh traffic to Istio workloads then fails). @default false */
    strictMtls: z.boolean().default(false),
    /** Namespaces that get an empty-spec (deny-all) AuthorizationPolicy once workloads migrate. @default [] */
    defaultDenyNamespaces: z.array(dnsLabel).default([]),
    /** Explicit ALLOW rules. @default [] */
    allow: z.array(allowRuleSchema).default([]),
    /** JWT validation plus a policy that rejects requests without a valid token. @default [] */
    jwt: z.array(jwtSchema).default([]),
  })
  .strict();

export type SecurityConfig = z.infer<typeof securitySchema>;
export type AllowRuleConfig = SecurityConfig["allow"][number];
export type JwtConfig = SecurityConfig["jwt"][number];
