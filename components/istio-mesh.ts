// IstioMesh: base, istiod, cni, gateway (and ztunnel in ambient mode) as Helm releases installed in parallel where they can be.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { IstioConfig } from "../config/sections/istio";
import { ChartRef, CHARTS, ISTIO_VERSION } from "../config/versions";
import { deepMerge, fromRepository, helmReleaseArgs, Values } from "../builders/helm";
import {
  baseValues,
  cniValues,
  gatewayValues,
  istiodValues,
  RELEASES,
  ztunnelValues,
} from "../builders/istio-mesh";
import { ISTIO_NAMESPACE } from "../builders/istio-common";

export interface IstioMeshArgs {
  /** The validated `meshlift:istio` section. */
  readonly istio: IstioConfig;
  /** Put the gateway on the dedicated gateway node group (nodeSelector + toleration). */
  readonly dedicatedGatewayNodes: boolean;
  /** The gateway Service's `loadBalancerClass` (EKS Auto Mode). @default none: the LB controller's */
  readonly loadBalancerClass?: string;
  /**
   * The istio-system Namespace, created by the caller so that it keeps one identity whether or not
   * the cluster joins a multi-cluster mesh (which labels it and puts `cacerts` in it).
   */
  readonly systemNamespace: k8s.core.v1.Namespace;
  /** What each child waits for, besides the order inside the mesh. @default {} */
  readonly dependsOn?: {
    /** What must exist before istiod starts (the `cacerts` Secret, the Gateway API CRDs). @default [] */
    readonly istiod?: pulumi.Resource[];
    /** What the gateway's LoadBalancer Service needs ready (the LB controller release). @default [] */
    readonly gateway?: pulumi.Resource[];
  };
  /** Values deep-merged over istiod's (mesh ID, cluster name, network, extension providers). @default {} */
  readonly istiodValues?: Values;
  /** Values deep-merged over ztunnel's in ambient mode (cluster name and network). @default {} */
  readonly ztunnelValues?: Values;
  /**
   * Pulumi `protect` on istiod, so that no update (a phase change, a config mistake) deletes or
   * replaces the control plane; going back to `discovery` then needs `pulumi state unprotect`.
   * @default false
   */
  readonly protectIstiod?: boolean;
}

/** Takes the cluster's Kubernetes provider through `opts.providers`, like every component here. */
export class IstioMesh extends pulumi.ComponentResource {
  public readonly version = ISTIO_VERSION;
  public readonly mode: IstioConfig["mode"];
  public readonly systemNamespace: k8s.core.v1.Namespace;
  public readonly gatewayNamespaceResource: k8s.core.v1.Namespace;
  public readonly base: k8s.helm.v3.Release;
  public readonly istiod: k8s.helm.v3.Release;
  public readonly cni: k8s.helm.v3.Release;
  public readonly ztunnel?: k8s.helm.v3.Release;
  public readonly gateway: k8s.helm.v3.Release;
  /** Name of the gateway's Service (and Deployment). */
  public readonly gatewayServiceName: string;
  /** Namespace of the gateway. */
  public readonly gatewayNamespace: string;
  /** DNS name of the gateway's NLB, read from the Service once the gateway release is ready. */
  public readonly gatewayHostname: pulumi.Output<string>;

  constructor(name: string, args: IstioMeshArgs, opts?: pulumi.ComponentResourceOptions) {
    super("meshlift:istio:IstioMesh", name, {}, opts);
    const istio = args.istio;
    // The config accepts any namespace name: istio-system here would make a second Namespace object
    // of the one the caller created, which the cluster rejects only after base and cni installed.
    if (istio.gateway.namespace === ISTIO_NAMESPACE) {
      throw new pulumi.ResourceError(
        `IstioMesh ${name}: meshlift:istio.gateway.namespace must be the gateway's own namespace, not ${JSON.stringify(ISTIO_NAMESPACE)} (default "istio-ingress")`,
        this,
      );
    }
    this.mode = istio.mode;
    const istiodVals = deepMerge(istiodValues(istio), args.istiodValues ?? {});
    const gwVals = gatewayValues(istio, args.dedicatedGatewayNodes, {
      loadBalancerClass: args.loadBalancerClass,
    });
    const k = { parent: this };
    const after = args.dependsOn ?? {};
    // Every Istio chart from the configured repository (Istio's, its OCI registry, or a mirror).
    const chart = (ref: ChartRef) => fromRepository(ref, istio.chartRepository);

    // Namespaces are explicit so that base and cni can install side by side without racing to create
    // them; neither carries an injection label.
    this.systemNamespace = args.systemNamespace;
    this.gatewayNamespace = istio.gateway.namespace;
    this.gatewayNamespaceResource = new k8s.core.v1.Namespace(
      `${name}-gateway-ns`,
      { metadata: { name: istio.gateway.namespace } },
      k,
    );

    this.base = new k8s.helm.v3.Release(
      `${name}-base`,
      helmReleaseArgs(chart(CHARTS.istioBase), RELEASES.base, ISTIO_NAMESPACE, baseValues()),
      { ...k, dependsOn: [this.systemNamespace] },
    );
    // The node agent does not need the CRDs: it installs beside base, not after it.
    this.cni = new k8s.helm.v3.Release(
      `${name}-cni`,
      helmReleaseArgs(chart(CHARTS.istioCni), RELEASES.cni, ISTIO_NAMESPACE, cniValues(istio)),
      { ...k, dependsOn: [this.systemNamespace] },
    );
    this.istiod = new k8s.helm.v3.Release(
      `${name}-istiod`,
      helmReleaseArgs(chart(CHARTS.istiod), RELEASES.istiod, ISTIO_NAMESPACE, istiodVals),
      {
        ...k,
        dependsOn: [this.base, ...(after.istiod ?? [])],
        protect: args.protectIstiod ?? false,
      },
    );
    if (istio.mode === "ambient") {
      // ztunnel gets its certificates from istiod, so it is only ready once istiod is.
      this.ztunnel = new k8s.helm.v3.Release(
        `${name}-ztunnel`,
        helmReleaseArgs(
          chart(CHARTS.ztunnel),
          RELEASES.ztunnel,
          ISTIO_NAMESPACE,
          deepMerge(ztunnelValues(istio), args.ztunnelValues ?? {}),
        ),
        { ...k, dependsOn: [this.istiod] },
      );
    }
    // The gateway's image is injected by istiod, and its Service must be seen by the LB controller's
    // webhook: both must be ready first.
    this.gateway = new k8s.helm.v3.Release(
      `${name}-gateway`,
      helmReleaseArgs(
        chart(CHARTS.istioGateway),
        RELEASES.gateway,
        istio.gateway.namespace,
        gwVals,
      ),
      {
        ...k,
        dependsOn: [this.gatewayNamespaceResource, this.istiod, ...(after.gateway ?? [])],
      },
    );

    this.gatewayServiceName = String(gwVals.name);
    // The ID comes from the release's status so that it is unknown until the release exists: a
    // preview of a new stack then skips the read instead of failing on a Service not yet there.
    const service = k8s.core.v1.Service.get(
      `${name}-gateway-service`,
      this.gateway.status.apply((st) => `${st.namespace}/${this.gatewayServiceName}`),
      { ...k, dependsOn: [this.gateway] },
    );
    this.gatewayHostname = service.status.apply(
      (s) => s?.loadBalancer?.ingress?.[0]?.hostname ?? "",
    );
    this.registerOutputs({
      gatewayServiceName: this.gatewayServiceName,
      gatewayNamespace: this.gatewayNamespace,
      gatewayHostname: this.gatewayHostname,
    });
  }
}
