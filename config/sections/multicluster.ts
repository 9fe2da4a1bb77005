// The `meshlift:multiCluster` section: one Istio mesh over several cluster stacks (shared root CA, peers).
import { X509Certificate, createPrivateKey } from "node:crypto";
import { z } from "zod";
import { SECRET_META } from "../redact";
import { SECRET_PLACEHOLDER } from "../stack-file";
import { isDnsLabel } from "../../appmesh/names";
import { cidrSchema } from "./network";

/** Istio cluster ids, mesh ids and network names end up in label values and Secret names. */
const dnsLabel = z
  .string()
  .refine(
    isDnsLabel,
    "must be a DNS label: lower-case letters, digits and -, at most 63 characters",
  );

/** A stack name (`prod-usw2`) or a fully qualified one (`acme/meshlift/prod-usw2`). */
const stackName = z
  .string()
  .regex(
    /^([A-Za-z0-9_.-]+\/){0,2}[A-Za-z0-9_.-]+$/,
    "must be a stack name such as prod-usw2 or org/project/prod-usw2",
  );

/**
 * Offline, a secure config value reads as "[secret]"; the real value is checked by `pulumi up`.
 * Everything else must parse as what it claims to be, so a pasted-wrong PEM stops the run early.
 */
const certificatePem = z.string().superRefine((v, ctx) => {
  if (v === SECRET_PLACEHOLDER) return;
  const problem = certificateProblem(v);
  if (problem) ctx.addIssue({ code: "custom", input: "<PEM>", message: problem });
});

const privateKeyPem = z
  .string()
  .superRefine((v, ctx) => {
    if (v === SECRET_PLACEHOLDER) return;
    try {
      createPrivateKey(v);
    } catch {
      // Never echo a private key back, not even a broken one.
      ctx.addIssue({
        code: "custom",
        input: "<redacted>",
        message: "must be a PEM private key (-----BEGIN PRIVATE KEY----- or RSA/EC PRIVATE KEY)",
      });
    }
  })
  .meta(SECRET_META);

/** Why a PEM is not a usable CA certificate, or undefined when it is. */
export function certificateProblem(pem: string): string | undefined {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch {
    return "must be a PEM certificate (-----BEGIN CERTIFICATE-----)";
  }
  if (!cert.ca)
    return `certificate "${cert.subject.replace(/\n/g, ", ")}" is not a CA (basicConstraints CA:FALSE)`;
  return undefined;
}

/** True when both PEMs parse and the key does not belong to the certificate. */
function rootKeyMismatch(certPem: string, keyPem: string): boolean {
  if (certPem === SECRET_PLACEHOLDER || keyPem === SECRET_PLACEHOLDER) return false;
  try {
    return !new X509Certificate(certPem).checkPrivateKey(createPrivateKey(keyPem));
  } catch {
    return false; // the field checks above already report unparsable PEMs
  }
}

const peerSchema = z
  .object({
    /** The peer's `multiCluster.clusterName` (its Istio cluster id). */
    name: dnsLabel,
    /** The peer's Pulumi stack, read through a StackReference. */
    stack: stackName,
    /** The peer's network. @default this cluster's network (multi-primary on one network) */
    network: dnsLabel.optional(),
    /** The peer's VPC CIDRs: in create mode, security group rules admit cross-cluster traffic from them. @default [] */
    cidrs: z.array(cidrSchema()).default([]),
  })
  .strict();

const eastWestSchema = z
  .object({
    /** Install the east-west gateway (needed when any peer is on another network). @default false */
    enabled: z.boolean().default(false),
    /** NLB scheme of the east-west gateway. @default internal (peered VPCs or a transit gateway) */
    scheme: z.enum(["internal", "internet-facing"]).default("internal"),
    /** Also expose istiod (15012, 15017) through the gateway, for primary-remote peers. @default false */
    exposeIstiod: z.boolean().default(false),
  })
  .strict();

export const multiClusterSchema = z
  .object({
    /** One mesh id for every cluster of the mesh. */
    meshId: dnsLabel,
    /** This cluster's Istio cluster id; peers name it in their `peers[].name`. */
    clusterName: dnsLabel,
    /** This cluster's network; clusters with direct pod-to-pod reachability share one. */
    network: dnsLabel,
    /** The stack that generates and owns the root CA (may be this stack). Exclusive with rootCa. */
    caStack: stackName.optional(),
    /** The root CA as PEM, from secret config, instead of a caStack. */
    rootCa: z.object({ certPem: certificatePem, keyPem: privateKeyPem }).strict().optional(),
    /** Extra roots appended to root-cert.pem while a root rotation is under way. @default [] */
    trustedRootsPem: z.array(certificatePem).default([]),
    /** Validity of a generated root. @default 10 */
    rootValidityYears: z.number().int().min(1).max(30).default(10),
    /** Validity of this cluster's intermediate; must not outlive the root. @default 5 */
    intermediateValidityYears: z.number().int().min(1).max(30).default(5),
    /** Bump to rotate this cluster's intermediate CA (key, certificate and cacerts). @default 1 */
    intermediateSerial: z.number().int().min(1).default(1),
    /** The other clusters of the mesh. @default [] */
    peers: z.array(peerSchema).default([]),
    eastWest: eastWestSchema.prefault({}),
  })
  .strict()
  .superRefine((m, ctx) => {
    const issue = (path: (string | number)[], input: unknown, message: string) =>
      ctx.addIssue({ code: "custom", path, input, message });
    if ((m.caStack === undefined) === (m.rootCa === undefined)) {
      issue(
        ["caStack"],
        m.caStack,
        "set exactly one root CA source: caStack (a stack generates the root) or rootCa (PEM in secret config)",
      );
    }
    if (m.rootCa && rootKeyMismatch(m.rootCa.certPem, m.rootCa.keyPem)) {
      issue(["rootCa", "keyPem"], undefined, "is not the private key of rootCa.certPem");
    }
    if (m.intermediateValidityYears > m.rootValidityYears) {
      issue(
        ["intermediateValidityYears"],
        m.intermediateValidityYears,
        `must not exceed rootValidityYears (${m.rootValidityYears}): an intermediate cannot outlive its root`,
      );
    }
    const seen = new Set<string>();
    m.peers.forEach((p, i) => {
      if (p.name === m.clusterName) {
        issue(
          ["peers", i, "name"],
          p.name,
          `names this cluster itself (clusterName "${m.clusterName}"); peers are the other clusters`,
        );
      }
      if (seen.has(p.name)) issue(["peers", i, "name"], p.name, "is listed twice");
      seen.add(p.name);
    });
    const remoteNetworks = m.peers.filter((p) => (p.network ?? m.network) !== m.network);
    if (remoteNetworks.length > 0 && !m.eastWest.enabled) {
      issue(
        ["eastWest", "enabled"],
        m.eastWest.enabled,
        `must be true: peer(s) ${remoteNetworks.map((p) => p.name).join(", ")} are on another network and are reached through the east-west gateway`,
      );
    }
  });

export type MultiClusterConfig = z.infer<typeof multiClusterSchema>;
export type PeerConfig = MultiClusterConfig["peers"][number];

/** The last segment of a possibly qualified stack name. */
export function shortStackName(s: string): string {
  return s.split("/").pop() as string;
}

/** Checks that need the stack's own name: a peer must not be this stack. */
export function multiClusterStackProblems(
  stack: string,
  m: MultiClusterConfig,
): { path: (string | number)[]; given: string; message: string }[] {
  return m.peers.flatMap((p, i) =>
    shortStackName(p.stack) === stack
      ? [
          {
            path: ["peers", i, "stack"],
            given: p.stack,
            message: `is this stack ("${stack}"); peers are the other clusters' stacks`,
          },
        ]
      : [],
  );
}
