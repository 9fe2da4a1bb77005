// RemoteSecrets: publishes this cluster's reader access for peers and installs each peer's remote secret, without istioctl.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { MultiClusterConfig } from "../config/sections/multicluster";
import {
  checkRemoteAccess,
  readerTokenSecret,
  RemoteAccess,
  remoteSecret,
} from "../builders/remote-secrets";
import { ISTIO_NAMESPACE } from "../builders/istio-common";
import { OUTPUTS, qualifiedStack } from "../builders/multicluster";

export interface RemoteSecretsArgs {
  /** The validated `meshlift:multiCluster` section. */
  readonly multiCluster: MultiClusterConfig;
  /** This cluster's API server URL (EksCluster.endpoint). */
  readonly endpoint: pulumi.Input<string>;
  /** Namespace istiod runs in. @default istio-system */
  readonly namespace?: string;
  /** Organization for qualifying peer stacks. @default the running program's (pulumi.getOrganization()) */
  readonly organization?: string;
  /** Project for qualifying peer stacks. @default the running program's (pulumi.getProject()) */
  readonly project?: string;
  /**
   * What must exist first: the namespace, and the Istio base release (it creates
   * istio-reader-service-account; a token Secret for a missing account is deleted). @default []
   */
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

export class RemoteSecrets extends pulumi.ComponentResource {
  /** The reader token Secret whose token peers use. */
  public readonly readerToken: k8s.core.v1.Secret;
  /** Secret: export as stack output `meshRemoteAccess` for peers to read. */
  public readonly access: pulumi.Output<RemoteAccess>;
  /** `istio-remote-secret-<peer>` per peer, by peer name. */
  public readonly remoteSecrets: Record<string, k8s.core.v1.Secret>;

  constructor(name: string, args: RemoteSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("meshlift:mesh:RemoteSecrets", name, {}, opts);
    const m = args.multiCluster;
    const namespace = args.namespace ?? ISTIO_NAMESPACE;
    const org = args.organization ?? pulumi.getOrganization();
    const project = args.project ?? pulumi.getProject();

    const token = readerTokenSecret(namespace);
    this.readerToken = new k8s.core.v1.Secret(
      `${name}-reader-token`,
      { metadata: token.metadata, type: token.type },
      { parent: this, dependsOn: args.dependsOn },
    );
    // Kubernetes fills `data` (base64): ca.crt is already what certificate-authority-data wants.
    this.access = pulumi.secret(
      pulumi.all([this.readerToken.data, args.endpoint]).apply(([data, server]) => ({
        clusterName: m.clusterName,
        network: m.network,
        server,
        caData: data?.["ca.crt"] ?? "",
        token: Buffer.from(data?.token ?? "", "base64").toString("utf8"),
      })),
    );

    this.remoteSecrets = {};
    for (const peer of m.peers) {
      const ref = new pulumi.StackReference(
        `${name}-peer-${peer.name}`,
        { name: qualifiedStack(peer.stack, org, project) },
        { parent: this },
      );
      const stringData = pulumi.secret(
        ref.getOutput(OUTPUTS.remoteAccess).apply((v: unknown): Record<string, string> => {
          // Stacks of a new mesh come up one after the other: the first cannot read the others
          // yet. An empty remote secret is harmless to istiod; the next `pulumi up` fills it.
          if (v === undefined || v === null) {
            void pulumi.log.warn(
              `peer "${peer.name}" (stack ${peer.stack}) has not published ${OUTPUTS.remoteAccess} yet: its remote secret stays empty until \`pulumi up\` runs here again after that stack`,
              this,
            );
            return {};
          }
          try {
            return remoteSecret(checkRemoteAccess(peer, v), namespace).stringData;
          } catch (e) {
            throw new pulumi.ResourceError((e as Error).message, this);
          }
        }),
      );
      const shape = remoteSecret(
        { clusterName: peer.name, network: "", server: "", caData: "", token: "" },
        namespace,
      );
      this.remoteSecrets[peer.name] = new k8s.core.v1.Secret(
        `${name}-${peer.name}`,
        {
          // Metadata is known from config; only the kubeconfig waits on the peer's outputs.
          metadata: shape.metadata,
          type: "Opaque",
          stringData,
        },
        { parent: this, dependsOn: args.dependsOn },
      );
    }
    this.registerOutputs({ access: this.access });
  }
}
