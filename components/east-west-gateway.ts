// EastWestGateway: the gateway chart as a network gateway plus the AUTO_PASSTHROUGH Gateway, for multi-network meshes.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { helmReleaseArgs } from "../builders/helm";
import { MultiClusterConfig } from "../config/sections/multicluster";
import { CHARTS } from "../config/versions";
import {
  crossNetworkGateway,
  EAST_WEST_GATEWAY_NAME,
  eastWestGatewayValues,
} from "../builders/east-west-gateway";
import { ISTIO_NAMESPACE } from "../builders/istio-common";

export interface EastWestGatewayArgs {
  /** The validated `meshlift:multiCluster` section (eastWest.enabled must be true). */
  readonly multiCluster: MultiClusterConfig;
  /** @default istio-system */
  readonly namespace?: string;
  /** @default CHARTS.istioGateway.version */
  readonly chartVersion?: string;
  /** The configured `meshlift:istio.chartRepository`. @default CHARTS.istioGateway.repo */
  readonly repository?: string;
  /** The Service's `loadBalancerClass` (EKS Auto Mode). @default none: the LB controller's */
  readonly loadBalancerClass?: string;
  /** istiod (the gateway's `image: auto` is filled by its injector) and the base CRDs. @default [] */
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

export class EastWestGateway extends pulumi.ComponentResource {
  public readonly release: k8s.helm.v3.Release;
  public readonly gateway: k8s.apiextensions.CustomResource;

  constructor(name: string, args: EastWestGatewayArgs, opts?: pulumi.ComponentResourceOptions) {
    super("meshlift:mesh:EastWestGateway", name, {}, opts);
    const m = args.multiCluster;
    if (!m.eastWest.enabled) {
      throw new pulumi.ResourceError(
        `EastWestGateway needs multiCluster.eastWest.enabled true (given: ${m.eastWest.enabled})`,
        this,
      );
    }
    const namespace = args.namespace ?? ISTIO_NAMESPACE;
    // Its image is `auto`: istiod injects the proxy from its own global.hub, so the gateway chart
    // needs no hub of its own.
    this.release = new k8s.helm.v3.Release(
      `${name}-release`,
      helmReleaseArgs(
        {
          chart: CHARTS.istioGateway.chart,
          version: args.chartVersion ?? CHARTS.istioGateway.version,
          repo: args.repository ?? CHARTS.istioGateway.repo,
        },
        EAST_WEST_GATEWAY_NAME,
        namespace,
        eastWestGatewayValues(m, { loadBalancerClass: args.loadBalancerClass }),
      ),
      { parent: this, dependsOn: args.dependsOn },
    );
    const gw = crossNetworkGateway(m, namespace);
    this.gateway = new k8s.apiextensions.CustomResource(
      `${name}-cross-network`,
      { apiVersion: gw.apiVersion, kind: gw.kind, metadata: gw.metadata, spec: gw.spec },
      { parent: this, dependsOn: [this.release] },
    );
    this.registerOutputs({});
  }
}
