// Pure builders for MeshCa: this cluster's intermediate CA, the `cacerts` data istiod reads, and istiod's multi-cluster values.
import { X509Certificate, createPrivateKey } from "node:crypto";
import { MultiClusterConfig } from "../config/sections/multicluster";
import { ISTIO_NAMESPACE } from "./istio-common";
import { CA_ORGANIZATION, CA_RSA_BITS, CA_USES, CaCertSpec, validityHours } from "./mesh-root";

/** istiod's plug-in CA secret (`security/pkg/pki/ca/ca.go` CACertsSecret). */
export const CACERTS_SECRET = "cacerts";
/** The four keys istiod reads from `cacerts`, in the order the README lists them. */
export const CACERTS_KEYS = [
  "ca-cert.pem",
  "ca-key.pem",
  "root-cert.pem",
  "cert-chain.pem",
] as const;
export type CacertsData = Record<(typeof CACERTS_KEYS)[number], string>;

/**
 * This cluster's intermediate CA. The serial lands in the subject, so bumping it changes the
 * certificate request and therefore replaces the signed certificate (and, via the rotation trigger,
 * the key); nothing about the root depends on it.
 */
export function intermediateCaSpec(m: MultiClusterConfig): CaCertSpec {
  return {
    subject: {
      commonName: `${m.clusterName} intermediate CA`,
      organization: CA_ORGANIZATION,
      organizationalUnit: m.meshId,
      serialNumber: String(m.intermediateSerial),
    },
    rsaBits: CA_RSA_BITS,
    validityPeriodHours: validityHours(m.intermediateValidityYears),
    isCaCertificate: true,
    allowedUses: CA_USES,
    // Istio's own intermediate recipe (tools/certs) names istiod; harmless and helps debugging.
    dnsNames: [`istiod.${ISTIO_NAMESPACE}.svc`],
  };
}

/** How long before expiry a `pulumi up` re-issues an intermediate (the root is never renewed so). */
export const INTERMEDIATE_EARLY_RENEWAL_HOURS = 30 * 24;

/** Changes exactly when this cluster's intermediate key must be replaced. */
export function intermediateRotationTrigger(m: MultiClusterConfig): string {
  return `${m.clusterName}/serial-${m.intermediateSerial}`;
}

/** Splits a PEM bundle into its certificates, each ending in one newline. */
export function splitPem(bundle: string): string[] {
  return (bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).map(
    (c) => `${c}\n`,
  );
}

function onePem(what: string, pem: string): string {
  const certs = splitPem(pem);
  if (certs.length !== 1) {
    throw new Error(`${what} must hold exactly one PEM certificate (found ${certs.length})`);
  }
  return certs[0];
}

/** `cert-chain.pem`: the intermediate, then the root (Istio's Makefile.selfsigned.mk: `cat ca-cert root-cert`). */
export function certChain(intermediatePem: string, rootPem: string): string {
  return onePem("the intermediate", intermediatePem) + onePem("the root", rootPem);
}

/** `root-cert.pem`: the root, then any extra trusted roots (during a root rotation), without duplicates. */
export function rootBundle(rootPem: string, trustedRootsPem: readonly string[] = []): string {
  const all = [onePem("the root", rootPem), ...trustedRootsPem.flatMap(splitPem)];
  return [...new Set(all)].join("");
}

/** The `cacerts` Secret data. */
export function cacertsData(args: {
  intermediateCertPem: string;
  intermediateKeyPem: string;
  rootCertPem: string;
  trustedRootsPem?: readonly string[];
}): CacertsData {
  return {
    "ca-cert.pem": onePem("the intermediate", args.intermediateCertPem),
    "ca-key.pem": args.intermediateKeyPem.endsWith("\n")
      ? args.intermediateKeyPem
      : `${args.intermediateKeyPem}\n`,
    "root-cert.pem": rootBundle(args.rootCertPem, args.trustedRootsPem),
    "cert-chain.pem": certChain(args.intermediateCertPem, args.rootCertPem),
  };
}

/**
 * Why istiod would reject (or misuse) this `cacerts` data: an empty list means it is sound. Checks
 * with node:crypto that ca-cert is a CA signed by the first root, the key matches it, the chain is
 * intermediate-then-root and every certificate is valid at `now`.
 */
export function cacertsProblems(data: CacertsData, now: Date = new Date()): string[] {
  const problems: string[] = [];
  let ca: X509Certificate;
  let roots: X509Certificate[];
  let chain: X509Certificate[];
  try {
    ca = new X509Certificate(data["ca-cert.pem"]);
    roots = splitPem(data["root-cert.pem"]).map((p) => new X509Certificate(p));
    chain = splitPem(data["cert-chain.pem"]).map((p) => new X509Certificate(p));
  } catch (e) {
    return [`a certificate does not parse: ${(e as Error).message}`];
  }
  if (roots.length === 0) return ["root-cert.pem holds no certificate"];
  const root = roots[0];
  if (!ca.ca) problems.push("ca-cert.pem is not a CA certificate");
  if (!root.ca) problems.push("root-cert.pem is not a CA certificate");
  if (!ca.verify(root.publicKey)) problems.push("ca-cert.pem is not signed by root-cert.pem");
  if (!root.verify(root.publicKey)) problems.push("root-cert.pem is not self-signed");
  try {
    if (!ca.checkPrivateKey(createPrivateKey(data["ca-key.pem"]))) {
      problems.push("ca-key.pem does not belong to ca-cert.pem");
    }
  } catch {
    problems.push("ca-key.pem is not a PEM private key");
  }
  if (
    chain.length !== 2 ||
    chain[0].fingerprint256 !== ca.fingerprint256 ||
    chain[1].fingerprint256 !== root.fingerprint256
  ) {
    problems.push("cert-chain.pem must be ca-cert.pem followed by the root certificate");
  }
  for (const [what, c] of [
    ["ca-cert.pem", ca],
    ["root-cert.pem", root],
  ] as const) {
    if (now < new Date(c.validFrom) || now > new Date(c.validTo)) {
      problems.push(`${what} is not valid now (${c.validFrom} to ${c.validTo})`);
    }
  }
  if (new Date(ca.validTo) > new Date(root.validTo)) {
    problems.push("ca-cert.pem outlives the root certificate");
  }
  return problems;
}

/** istiod values for this cluster; deep-merged into IstioMesh's istiod values. */
export function multiClusterIstiodValues(m: MultiClusterConfig) {
  return {
    global: { meshID: m.meshId, multiCluster: { clusterName: m.clusterName }, network: m.network },
  };
}

/**
 * ztunnel's cluster and network (ambient mode): its chart reads them at the top level, and without
 * them ztunnel asks for certificates as cluster `Kubernetes`, which istiod's CA refuses on a cluster
 * with another name.
 */
export function multiClusterZtunnelValues(m: MultiClusterConfig) {
  return { multiCluster: { clusterName: m.clusterName }, network: m.network };
}
