// Test helpers: issue real CA certificates from a CaCertSpec with the openssl CLI, and read key usage bits.
import { execFileSync } from "node:child_process";
import { X509Certificate, generateKeyPairSync } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CaCertSpec, CaUse } from "../../builders/mesh-root";

/** Whether the openssl CLI is on this machine (CI images have it). */
export function hasOpenssl(): boolean {
  try {
    execFileSync("openssl", ["version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

export interface Issued {
  readonly certPem: string;
  readonly keyPem: string;
}

/** The X.509 key usage names for the @pulumi/tls ones (what the tls provider sets). */
const KEY_USAGE: Record<CaUse, string> = {
  cert_signing: "keyCertSign",
  crl_signing: "cRLSign",
  digital_signature: "digitalSignature",
};

function subjectArg(s: CaCertSpec["subject"]): string {
  const parts: [string, string | undefined][] = [
    ["O", s.organization],
    ["OU", s.organizationalUnit],
    ["CN", s.commonName],
    ["serialNumber", s.serialNumber],
  ];
  return parts
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `/${k}=${v}`)
    .join("");
}

/**
 * Issues a certificate for `spec` the way @pulumi/tls would: CA basic constraints, the key usages,
 * the validity in days. Signed by `issuer`, or self-signed without one. P-256 keys keep tests fast (the chain logic does not depend on the key type).
 */
export function issue(spec: CaCertSpec, issuer?: Issued): Issued {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "meshlift-ca-"));
  try {
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
    const keyPem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const keyFile = path.join(dir, "key.pem");
    fs.writeFileSync(keyFile, keyPem);
    const ext = [
      "[ext]",
      `basicConstraints = critical, CA:${spec.isCaCertificate ? "TRUE" : "FALSE"}`,
      `keyUsage = critical, ${spec.allowedUses.map((u) => KEY_USAGE[u]).join(", ")}`,
      "subjectKeyIdentifier = hash",
      ...(issuer ? ["authorityKeyIdentifier = keyid"] : []),
      ...(spec.dnsNames.length
        ? [`subjectAltName = ${spec.dnsNames.map((d) => `DNS:${d}`).join(", ")}`]
        : []),
    ].join("\n");
    const extFile = path.join(dir, "ext.cnf");
    fs.writeFileSync(extFile, `${ext}\n`);
    const days = String(spec.validityPeriodHours / 24);
    const certFile = path.join(dir, "cert.pem");
    if (!issuer) {
      execFileSync(
        "openssl",
        [
          "req",
          "-x509",
          "-new",
          "-key",
          keyFile,
          "-subj",
          subjectArg(spec.subject),
          "-days",
          days,
          "-config",
          extFile,
          "-extensions",
          "ext",
          "-out",
          certFile,
        ],
        { stdio: "pipe" },
      );
    } else {
      const csrFile = path.join(dir, "csr.pem");
      fs.writeFileSync(path.join(dir, "issuer-key.pem"), issuer.keyPem);
      fs.writeFileSync(path.join(dir, "issuer.pem"), issuer.certPem);
      execFileSync(
        "openssl",
        ["req", "-new", "-key", keyFile, "-subj", subjectArg(spec.subject), "-out", csrFile],
        { stdio: "pipe" },
      );
      execFileSync(
        "openssl",
        [
          "x509",
          "-req",
          "-in",
          csrFile,
          "-CA",
          path.join(dir, "issuer.pem"),
          "-CAkey",
          path.join(dir, "issuer-key.pem"),
          "-set_serial",
          "2",
          "-days",
          days,
          "-extfile",
          extFile,
          "-extensions",
          "ext",
          "-out",
          certFile,
        ],
        { stdio: "pipe" },
      );
    }
    return { certPem: fs.readFileSync(certFile, "utf8"), keyPem };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** X.509 KeyUsage bit names, in bit order (RFC 5280 4.2.1.3). */
const KEY_USAGE_BITS = [
  "digitalSignature",
  "nonRepudiation",
  "keyEncipherment",
  "dataEncipherment",
  "keyAgreement",
  "keyCertSign",
  "cRLSign",
  "encipherOnly",
  "decipherOnly",
];

/**
 * The KeyUsage extension's bits, read from the DER (node:crypto's `keyUsage` is the *extended* key
 * usage). Finds OID 2.5.29.15, skips the optional `critical` flag, decodes the BIT STRING.
 */
export function keyUsages(cert: X509Certificate): string[] {
  const der = cert.raw;
  const oid = Buffer.from([0x06, 0x03, 0x55, 0x1d, 0x0f]);
  let i = der.indexOf(oid);
  if (i < 0) return [];
  i += oid.length;
  if (der[i] === 0x01) i += 2 + der[i + 1]; // BOOLEAN critical
  if (der[i] !== 0x04) throw new Error("KeyUsage: expected an OCTET STRING");
  i += 2; // OCTET STRING tag + short length
  if (der[i] !== 0x03) throw new Error("KeyUsage: expected a BIT STRING");
  const len = der[i + 1];
  const bytes = der.subarray(i + 3, i + 2 + len); // skip tag, length, unused-bits count
  return KEY_USAGE_BITS.filter((_, bit) => (bytes[bit >> 3] ?? 0) & (0x80 >> (bit & 7)));
}
