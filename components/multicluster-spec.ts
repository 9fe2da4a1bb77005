// Pure builders for the multi-cluster mesh: CA specs, cacerts, istiod values, remote secrets, east-west gateway.
import { X509Certificate, createPrivateKey } from "node:crypto";
import YAML from "yaml";
import { MultiClusterConfig, PeerConfig, shortStackName } from "../config/sections/multicluster";

/** Where istiod runs and reads `cacerts` and the remote secrets. */
export const ISTIO_NAMESPACE = "istio-system";
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

/** Created by the Istio base chart; its token lets peers' istiod read this cluster's endpoints. */
export const READER_SERVICE_ACCOUNT = "istio-reader-service-account";
/** The token Secret name `istioctl create-remote-secret` uses, so both tools find the same one. */
export const READER_TOKEN_SECRET = "istio-reader-service-account-istio-remote-secret-token";
/** istiod's secret controller watches Secrets with this label. */
export const REMOTE_SECRET_LABEL = { "istio/multiCluster": "true" } as const;
export const CLUSTER_ANNOTATION = "networking.istio.io/cluster";
export const NETWORK_LABEL = "topology.istio.io/network";

/** Stack outputs other stacks of the mesh read through StackReference. */
export const OUTPUTS = {
  /** caStack only: the root certificate (public). */
  rootCertPem: "meshRootCertPem",
  /** caStack only, secret: the root private key, to sign the other clusters' intermediates. */
  rootKeyPem: "meshRootKeyPem",
  /** Every cluster, secret: what a peer needs to build this cluster's remote secret. */
  remoteAccess: "meshRemoteAccess",
} as const;

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

/** The @pulumi/tls inputs shared by the self-signed root and the locally signed intermediates. */
export function caCertOptions(spec: CaCertSpec) {
  return {
    isCaCertificate: spec.isCaCertificate,
    allowedUses: [...spec.allowedUses],
    validityPeriodHours: spec.validityPeriodHours,
    setSubjectKeyId: true,
  };
}

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

/** Labels for the istio-system namespace: multi-network Istio reads the network from it. */
export function istioNamespaceLabels(m: MultiClusterConfig): Record<string, string> {
  return { [NETWORK_LABEL]: m.network };
}

/** Whether any peer is on another network (and so reached through the east-west gateway). */
export function isMultiNetwork(m: MultiClusterConfig): boolean {
  return m.peers.some((p) => (p.network ?? m.network) !== m.network);
}

/** What each cluster publishes for its peers (secret stack output `meshRemoteAccess`). */
export interface RemoteAccess {
  readonly clusterName: string;
  readonly network: string;
  /** The API server URL. */
  readonly server: string;
  /** The API server CA, base64 of PEM, as kubeconfig `certificate-authority-data` takes it. */
  readonly caData: string;
  /** The istio-reader-service-account bearer token. */
  readonly token: string;
}

/** Checks a peer's published access against what this stack's config says about that peer. */
export function checkRemoteAccess(peer: PeerConfig, v: unknown): RemoteAccess {
  const where = `output ${OUTPUTS.remoteAccess} of stack "${peer.stack}" (peer "${peer.name}")`;
  if (typeof v !== "object" || v === null) {
    throw new Error(
      `${where} is missing: run \`pulumi up\` on that stack with multiCluster config first`,
    );
  }
  const o = v as Record<string, unknown>;
  for (const k of ["clusterName", "network", "server", "caData", "token"]) {
    if (typeof o[k] !== "string" || o[k] === "") {
      throw new Error(
        `${where} has no ${k} (given: ${k === "token" ? "<redacted>" : JSON.stringify(o[k])})`,
      );
    }
  }
  if (o.clusterName !== peer.name) {
    throw new Error(
      `${where} says its clusterName is "${String(o.clusterName)}", but peers[].name is "${peer.name}": they must match (the remote secret key is the cluster id)`,
    );
  }
  return o as unknown as RemoteAccess;
}

/**
 * The kubeconfig istiod uses to watch a peer, as `istioctl create-remote-secret` writes it: a bearer
 * token and no `exec` (istiod rejects exec auth, which EKS kubeconfigs use).
 */
export function remoteKubeconfig(a: RemoteAccess): string {
  const name = a.clusterName;
  return YAML.stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name, cluster: { server: a.server, "certificate-authority-data": a.caData } }],
    contexts: [{ name, context: { cluster: name, user: name } }],
    "current-context": name,
    preferences: {},
    users: [{ name, user: { token: a.token } }],
  });
}

/** The remote secret that lets this cluster's istiod discover endpoints in the peer `a.clusterName`. */
export function remoteSecret(a: RemoteAccess, namespace: string = ISTIO_NAMESPACE) {
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: {
      name: `istio-remote-secret-${a.clusterName}`,
      namespace,
      labels: { ...REMOTE_SECRET_LABEL },
      annotations: { [CLUSTER_ANNOTATION]: a.clusterName },
    },
    stringData: { [a.clusterName]: remoteKubeconfig(a) },
  };
}

/** The reader token Secret: Kubernetes fills `token` and `ca.crt` for the service account. */
export function readerTokenSecret(namespace: string = ISTIO_NAMESPACE) {
  return {
    apiVersion: "v1",
    kind: "Secret",
    type: "kubernetes.io/service-account-token",
    metadata: {
      name: READER_TOKEN_SECRET,
      namespace,
      annotations: { "kubernetes.io/service-account.name": READER_SERVICE_ACCOUNT },
    },
  };
}

/** The fully qualified stack a peer or caStack names (`org/project/stack`). */
export function qualifiedStack(stack: string, org: string, project: string): string {
  const parts = stack.split("/");
  if (parts.length === 3) return stack;
  if (parts.length === 2) return `${org}/${stack}`;
  return `${org}/${project}/${stack}`;
}

/** Whether this stack is the one that generates the root CA. */
export function ownsRoot(m: MultiClusterConfig, stack: string): boolean {
  return m.caStack !== undefined && shortStackName(m.caStack) === stack;
}

export const EAST_WEST_GATEWAY_NAME = "istio-eastwestgateway";
export const EAST_WEST_SELECTOR = { istio: "eastwestgateway" } as const;
/** mTLS passthrough between networks (SNI-routed, AUTO_PASSTHROUGH). */
export const CROSS_NETWORK_PORT = 15443;
export const ISTIOD_XDS_PORT = 15012;
export const ISTIOD_WEBHOOK_PORT = 15017;

/** Gateway chart values for the east-west gateway (its Service carries the network label). */
export function eastWestGatewayValues(m: MultiClusterConfig) {
  return {
    name: EAST_WEST_GATEWAY_NAME,
    labels: { ...EAST_WEST_SELECTOR, app: EAST_WEST_GATEWAY_NAME },
    // With networkGateway the chart itself adds the topology.istio.io/network label (pods and
    // Service), ISTIO_META_REQUESTED_NETWORK_VIEW and the 15021/15443/15012/15017 ports; setting
    // them again here would duplicate keys in the rendered manifests.
    networkGateway: m.network,
    service: {
      type: "LoadBalancer",
      annotations: {
        "service.beta.kubernetes.io/aws-load-balancer-type": "external",
        "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
        "service.beta.kubernetes.io/aws-load-balancer-scheme": m.eastWest.scheme,
        "service.beta.kubernetes.io/aws-load-balancer-cross-zone-load-balancing-enabled": "true",
      },
      // Peers' CIDRs only; an empty list leaves the NLB open, which mTLS still guards.
      loadBalancerSourceRanges: m.peers.flatMap((p) => p.cidrs),
    },
  };
}

/** The Gateway that routes other networks' mTLS traffic for `*.local` through port 15443. */
export function crossNetworkGateway(m: MultiClusterConfig, namespace: string = ISTIO_NAMESPACE) {
  const servers: Record<string, unknown>[] = [
    {
      port: { number: CROSS_NETWORK_PORT, name: "tls", protocol: "TLS" },
      tls: { mode: "AUTO_PASSTHROUGH" },
      hosts: ["*.local"],
    },
  ];
  if (m.eastWest.exposeIstiod) {
    for (const [port, name] of [
      [ISTIOD_XDS_PORT, "tls-istiod"],
      [ISTIOD_WEBHOOK_PORT, "tls-istiodwebhook"],
    ] as const) {
      servers.push({
        port: { number: port, name, protocol: "TLS" },
        tls: { mode: "PASSTHROUGH" },
        hosts: ["*"],
      });
    }
  }
  return {
    apiVersion: "networking.istio.io/v1",
    kind: "Gateway",
    metadata: { name: "cross-network-gateway", namespace },
    spec: { selector: { ...EAST_WEST_SELECTOR }, servers },
  };
}

/** One security group ingress rule that cross-cluster traffic needs. */
export interface CrossClusterRule {
  readonly port: number;
  readonly cidr: string;
  readonly description: string;
}

/**
 * What peers must reach in this cluster (create mode opens these on the cluster security group):
 * 15443 on the east-west gateway pods for multi-network meshes; 15012/15017 when istiod is exposed
 * to primary-remote peers; 443 on a private-only API server, which peers' istiod watch with the
 * remote secret. Same-network pod-to-pod traffic uses the workloads' own ports and is left to you.
 */
export function crossClusterRules(
  m: MultiClusterConfig,
  opts: { readonly endpointPublicAccess: boolean },
): CrossClusterRule[] {
  const ports: [number, string][] = [];
  if (m.eastWest.enabled) {
    ports.push([CROSS_NETWORK_PORT, "east-west gateway mTLS passthrough"]);
    if (m.eastWest.exposeIstiod) {
      ports.push([ISTIOD_XDS_PORT, "istiod xDS/CA via the east-west gateway"]);
      ports.push([ISTIOD_WEBHOOK_PORT, "istiod webhooks via the east-west gateway"]);
    }
  }
  if (!opts.endpointPublicAccess) ports.push([443, "private API server, read by peer istiod"]);
  // Two peers sharing a CIDR need the rule once (the rule name is derived from port and CIDR).
  const byKey = new Map<string, CrossClusterRule>();
  for (const p of m.peers) {
    for (const cidr of p.cidrs) {
      for (const [port, what] of ports) {
        const key = `${port}/${cidr}`;
        if (!byKey.has(key)) byKey.set(key, { port, cidr, description: `${p.name}: ${what}` });
      }
    }
  }
  return [...byKey.values()];
}
