// ProxyPrePull: the Istio proxy image pulled onto every node in the phase before the workloads restart (a DaemonSet, removed in the next phase).
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { prePullDaemonSet, proxyImage } from "../builders/proxy-prepull";

export interface ProxyPrePullArgs {
  /** Registry of the Istio images (`istio.hub`). */
  readonly hub: string;
  /** Istio version (the image tag). @default ISTIO_VERSION */
  readonly version?: string;
  /** The istio-system Namespace the DaemonSet runs in. */
  readonly namespace: pulumi.Resource;
}

/** Takes the cluster's Kubernetes provider through `opts.providers`, like every component here. */
export class ProxyPrePull extends pulumi.ComponentResource {
  /** The image every node holds once the DaemonSet is ready. */
  public readonly image: string;
  public readonly daemonSet: k8s.apps.v1.DaemonSet;

  constructor(name: string, args: ProxyPrePullArgs, opts?: pulumi.ComponentResourceOptions) {
    super("meshlift:workloads:ProxyPrePull", name, {}, opts);
    if (!args.hub) throw new pulumi.ResourceError(`ProxyPrePull ${name}: hub is empty`, this);
    this.image = proxyImage(args.hub, args.version);
    // Pulumi waits for the DaemonSet to be ready, i.e. for the image to be on every node it runs on:
    // the parallel phase only succeeds once the pull has.
    this.daemonSet = new k8s.apps.v1.DaemonSet(
      `${name}-daemonset`,
      prePullDaemonSet(args.hub, args.version),
      { parent: this, dependsOn: [args.namespace] },
    );
    this.registerOutputs({ image: this.image });
  }
}
