// GatewayApiCrds: the Kubernetes Gateway API CRDs (standard channel, pinned), for converted Gateway API routing and ambient waypoints.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { MANIFEST_LOCATION } from "../config/sections/istio";
import { GATEWAY_API } from "../config/versions";

export interface GatewayApiCrdsArgs {
  /**
   * The release manifest to apply (a URL or a path): the pinned release's `standard-install.yaml`, or
   * a mirror of that same file (stack config `istio.gatewayApiCrds.manifest`).
   * @default GATEWAY_API.manifest (config/versions.ts)
   */
  readonly manifest?: string;
}

/** Takes the cluster's Kubernetes provider through `opts.providers`, like every component here. */
export class GatewayApiCrds extends pulumi.ComponentResource {
  public readonly version = GATEWAY_API.version;
  /** The applied manifest: what istiod and the converted objects wait for. */
  public readonly manifest: k8s.yaml.v2.ConfigFile;

  constructor(name: string, args: GatewayApiCrdsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("meshlift:istio:GatewayApiCrds", name, {}, opts);
    const file = args.manifest ?? GATEWAY_API.manifest;
    if (!MANIFEST_LOCATION.test(file)) {
      throw new pulumi.ResourceError(
        `GatewayApiCrds ${name}: manifest ${JSON.stringify(file)} is not an https:// URL or a path of a .yaml file`,
        this,
      );
    }
    // Applied as the release publishes it (no copy in this repository): the CRDs carry the
    // gateway.networking.k8s.io/bundle-version and channel annotations that Istio checks.
    this.manifest = new k8s.yaml.v2.ConfigFile(
      `${name}-${GATEWAY_API.channel}`,
      { file },
      {
        parent: this,
      },
    );
    this.registerOutputs({ version: this.version });
  }
}
