// Pure builders for MeshRoot and MeshCa: what a CA certificate is made of, and the mesh's root CA.
import { MultiClusterConfig } from "../config/sections/multicluster";

/** A year of validity, in whole days so that validity maps exactly to `openssl -days`. */
export const HOURS_PER_YEAR = 365 * 24;

export function validityHours(years: number): number {
  if (!Number.isInteger(years) || years < 1) {
    throw new Error(`validity years must be a positive integer (given: ${JSON.stringify(years)})`);
  }
  return years * HOURS_PER_YEAR;
}

/** Key usages, as @pulumi/tls names them, of a CA that signs certificates and CRLs. */
export const CA_USES = ["cert_signing", "crl_signing", "digital_signature"] as const;

export type CaUse = (typeof CA_USES)[number];

/** What a CA certificate is made of, independent of the tool that issues it. */
export interface CaCertSpec {
  readonly subject: {
    readonly commonName: string;
    readonly organization: string;
    readonly organizationalUnit?: string;
    readonly serialNumber?: string;
  };
  readonly rsaBits: number;
  readonly validityPeriodHours: number;
  readonly isCaCertificate: true;
  readonly allowedUses: readonly CaUse[];
  readonly dnsNames: readonly string[];
}

export const CA_RSA_BITS = 4096;

export const CA_ORGANIZATION = "meshlift";

/** The mesh's root CA: generated once, in the caStack. */
export function rootCaSpec(m: MultiClusterConfig): CaCertSpec {
  return {
    subject: { commonName: `${m.meshId} root CA`, organization: CA_ORGANIZATION },
    rsaBits: CA_RSA_BITS,
    validityPeriodHours: validityHours(m.rootValidityYears),
    isCaCertificate: true,
    allowedUses: CA_USES,
    dnsNames: [],
  };
}

/** The @pulumi/tls inputs shared by the self-signed root and the locally signed intermediates. */
export function caCertOptions(spec: CaCertSpec) {
  return {
    isCaCertificate: spec.isCaCertificate,
    allowedUses: [...spec.allowedUses],
    validityPeriodHours: spec.validityPeriodHours,
    setSubjectKeyId: true,
  };
}
