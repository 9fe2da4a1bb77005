// MeshCa: the mesh's shared root CA (generated, from secret config or from the caStack) and this cluster's intermediate in `cacerts`.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { MultiClusterConfig } from "../config/sections/multicluster";
import {
  CACERTS_KEYS,
  CACERTS_SECRET,
  CacertsData,
  cacertsData,
  cacertsProblems,
  intermediateCaSpec,
  INTERMEDIATE_EARLY_RENEWAL_HOURS,
  intermediateRotationTrigger,
  multiClusterIstiodValues,
  multiClusterZtunnelValues,
} from "../builders/mesh-ca";
import { OUTPUTS, ownsRoot, qualifiedStack } from "../builders/multicluster";
import { ISTIO_NAMESPACE } from "../builders/istio-common";
import { caCertOptions } from "../builders/mesh-root";

export interface MeshCaArgs {
  /** The validated `meshlift:multiCluster` section. */
  readonly multiCluster: MultiClusterConfig;
  /** This stack's name, to tell whether it is the caStack. */
  readonly stack: string;
  /** Organization for qualifying `caStack`. @default the running program's (pulumi.getOrganization()) */
  readonly organization?: string;
  /** Project for qualifying `caStack`. @default the running program's (pulumi.getProject()) */
  readonly project?: string;
  /** Namespace istiod runs in. @default istio-system */
  readonly namespace?: string;
  /** What must exist before `cacerts`: its namespace, created by the caller. @default [] */
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
  /**
   * The root MeshRoot generates: required in the caStack unless `rootCa` is in secret config.
   * @default none (the root comes from `multiCluster.rootCa` or the caStack's outputs)
   */
  readonly root?: { readonly certPem: pulumi.Input<string>; readonly keyPem: pulumi.Input<string> };
}

/** What IstioMesh needs from the CA: `cacerts` before istiod, and the per-cluster istiod values. */
export interface IstioMultiClusterInputs {
  readonly istiodDependsOn: pulumi.Resource[];
  readonly istiodValues: Record<string, unknown>;
  /** Values deep-merged over ztunnel's (ambient mode): the cluster name and network. */
  readonly ztunnelValues: Record<string, unknown>;
}

export class MeshCa extends pulumi.ComponentResource {
  /** The `cacerts` Secret; istiod must start after it or it self-signs. */
  public readonly cacerts: k8s.core.v1.Secret;
  /** Secret: the checked `cacerts` data (fails when the chain would not work). */
  public readonly cacertsData: pulumi.Output<CacertsData>;
  /** Pass to IstioMesh as-is. */
  public readonly istio: IstioMultiClusterInputs;
  public readonly rootCertPem: pulumi.Output<string>;
  public readonly intermediateCertPem: pulumi.Output<string>;

  constructor(name: string, args: MeshCaArgs, opts?: pulumi.ComponentResourceOptions) {
    super("meshlift:mesh:MeshCa", name, {}, opts);
    const m = args.multiCluster;
    const namespace = args.namespace ?? ISTIO_NAMESPACE;
    const org = args.organization ?? pulumi.getOrganization();
    const project = args.project ?? pulumi.getProject();

    const root = this.root(name, args, org, project);
    this.rootCertPem = root.certPem;

    const spec = intermediateCaSpec(m);
    const key = new tls.PrivateKey(
      `${name}-intermediate-key`,
      { algorithm: "RSA", rsaBits: spec.rsaBits },
      // Bumping intermediateSerial replaces the key; nothing else moves it.
      { parent: this, replacementTrigger: intermediateRotationTrigger(m) },
    );
    const keyPem = pulumi.secret(key.privateKeyPem);
    const csr = new tls.CertRequest(
      `${name}-intermediate-csr`,
      { privateKeyPem: keyPem, subject: spec.subject, dnsNames: [...spec.dnsNames] },
      { parent: this },
    );
    const cert = new tls.LocallySignedCert(
      `${name}-intermediate`,
      {
        certRequestPem: csr.certRequestPem,
        caCertPem: root.certPem,
        caPrivateKeyPem: root.keyPem,
        ...caCertOptions(spec),
        // A `pulumi up` in the last month re-issues the intermediate (same root) before it lapses.
        earlyRenewalHours: INTERMEDIATE_EARLY_RENEWAL_HOURS,
      },
      { parent: this },
    );
    this.intermediateCertPem = cert.certPem;

    const data = pulumi
      .all([cert.certPem, keyPem, root.certPem])
      .apply(([intermediateCertPem, intermediateKeyPem, rootCertPem]) => {
        const d = cacertsData({
          intermediateCertPem,
          intermediateKeyPem,
          rootCertPem,
          trustedRootsPem: m.trustedRootsPem,
        });
        // A wrong root key or a pasted-wrong PEM fails here, not later as a crash-looping istiod.
        const problems = cacertsProblems(d);
        if (problems.length > 0) {
          throw new pulumi.ResourceError(
            `cacerts for cluster "${m.clusterName}" would not work: ${problems.join("; ")}`,
            this,
          );
        }
        return d;
      });
    this.cacertsData = pulumi.secret(data);
    this.cacerts = new k8s.core.v1.Secret(
      `${name}-cacerts`,
      {
        metadata: {
          name: CACERTS_SECRET,
          namespace,
          labels: { "app.kubernetes.io/managed-by": "meshlift" },
        },
        type: "Opaque",
        // One entry per key so that the plan shows the four keys; all carry the key's secrecy.
        stringData: Object.fromEntries(
          CACERTS_KEYS.map((k) => [k, pulumi.secret(data.apply((d) => d[k]))]),
        ),
      },
      { parent: this, dependsOn: args.dependsOn },
    );

    this.istio = {
      istiodDependsOn: [this.cacerts],
      istiodValues: multiClusterIstiodValues(m),
      ztunnelValues: multiClusterZtunnelValues(m),
    };
    this.registerOutputs({
      rootCertPem: this.rootCertPem,
      intermediateCertPem: this.intermediateCertPem,
    });
  }

  /** The caStack's MeshRoot, the root from secret config, or the caStack's outputs. */
  private root(
    name: string,
    args: MeshCaArgs,
    org: string,
    project: string,
  ): { certPem: pulumi.Output<string>; keyPem: pulumi.Output<string> } {
    const m = args.multiCluster;
    if (m.rootCa) {
      return {
        certPem: pulumi.output(m.rootCa.certPem),
        keyPem: pulumi.secret(m.rootCa.keyPem),
      };
    }
    if (ownsRoot(m, args.stack)) {
      if (!args.root) {
        throw new pulumi.ResourceError(
          `stack "${args.stack}" is multiCluster.caStack: pass its MeshRoot as MeshCa's root`,
          this,
        );
      }
      return {
        certPem: pulumi.output(args.root.certPem),
        keyPem: pulumi.secret(args.root.keyPem),
      };
    }
    const caStack = m.caStack as string;
    const ref = new pulumi.StackReference(
      `${name}-ca-stack`,
      { name: qualifiedStack(caStack, org, project) },
      { parent: this },
    );
    const must = (output: string) =>
      ref.getOutput(output).apply((v: unknown) => {
        if (typeof v !== "string" || v === "") {
          throw new pulumi.ResourceError(
            `caStack "${caStack}" has no output ${output}: run \`pulumi up\` on that stack first`,
            this,
          );
        }
        return v;
      });
    return { certPem: must(OUTPUTS.rootCertPem), keyPem: pulumi.secret(must(OUTPUTS.rootKeyPem)) };
  }
}
