// MeshRoot: the mesh's root CA, generated once in the caStack with @pulumi/tls and kept in every phase.
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { MultiClusterConfig } from "../config/sections/multicluster";
import { caCertOptions, rootCaSpec } from "../builders/mesh-root";
import { OUTPUTS } from "../builders/multicluster";

export interface MeshRootArgs {
  /** The validated `meshlift:multiCluster` section of the caStack. */
  readonly multiCluster: MultiClusterConfig;
  /** Protect the root from deletion: losing it breaks trust across the mesh. @default true */
  readonly protect?: boolean;
}

/**
 * Lives outside the phase model on purpose: rolling the caStack back to a phase without Istio must
 * not delete (or, unprotected, regenerate) the root that every other cluster's intermediate chains to.
 */
export class MeshRoot extends pulumi.ComponentResource {
  public readonly certPem: pulumi.Output<string>;
  /** Secret. */
  public readonly keyPem: pulumi.Output<string>;
  /** The stack outputs the other stacks of the mesh read (the key is a secret). */
  public readonly outputs: Record<string, pulumi.Output<string>>;

  constructor(name: string, args: MeshRootArgs, opts?: pulumi.ComponentResourceOptions) {
    super("meshlift:mesh:MeshRoot", name, {}, opts);
    const spec = rootCaSpec(args.multiCluster);
    const protect = args.protect ?? true;
    const key = new tls.PrivateKey(
      `${name}-key`,
      { algorithm: "RSA", rsaBits: spec.rsaBits },
      { parent: this, protect },
    );
    this.keyPem = pulumi.secret(key.privateKeyPem);
    const cert = new tls.SelfSignedCert(
      `${name}-cert`,
      { privateKeyPem: this.keyPem, subject: spec.subject, ...caCertOptions(spec) },
      { parent: this, protect },
    );
    this.certPem = cert.certPem;
    this.outputs = { [OUTPUTS.rootCertPem]: this.certPem, [OUTPUTS.rootKeyPem]: this.keyPem };
    this.registerOutputs({ certPem: this.certPem });
  }
}
