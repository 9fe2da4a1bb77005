// The install parts of a PhasePlan: the cluster, Istio and App Mesh pieces a phase installs or removes (planPhase fills them).
import type { Target } from "../appmesh/types";
import type { IstioMode } from "../config/sections/istio";

export interface IstioPlan {
  /** Istio (LB controller, control plane, gateway, security baseline, observability) is installed. */
  readonly installed: boolean;
  readonly mode: IstioMode;
  /** One line for the stack output `istioModeGuard`. */
  readonly modeGuard: string;
  /** The AWS Load Balancer Controller is installed by the stack. */
  readonly lbController: boolean;
  /** What the converter emits for the migrating namespaces (istio, gateway-api or ambient). */
  readonly conversionTarget: Target;
  /** The stack installs the Gateway API CRDs, before istiod and the converted objects. */
  readonly gatewayApiCrds: boolean;
  /** The gateway runs on the dedicated gateway node group (an adopted or Auto Mode cluster has none). */
  readonly dedicatedGatewayNodes: boolean;
  /** The gateway Services' `loadBalancerClass` (EKS Auto Mode's); absent: the LB controller's. */
  readonly loadBalancerClass?: string;
  /** istiod is protected like the cluster it runs on: no update may delete or replace it. */
  readonly protectIstiod: boolean;
}

export interface AppMeshPlan {
  /** App Mesh is removed: Istio alone in DNS, App Mesh labels and controller gone. */
  readonly removed: boolean;
  /** The adopted App Mesh controller release exists in this phase. */
  readonly controllerRelease: boolean;
  /** What is left for a person to remove once App Mesh is removed, in the order that works. */
  readonly manualCleanup?: readonly string[];
}

export interface ClusterPlan {
  /**
   * EKS Auto Mode: EKS provisions the gateways' NLBs itself (no LB controller) and a created cluster
   * runs no managed node groups. Configured, else read from an adopted cluster.
   */
  readonly autoMode: boolean;
  /**
   * How a created cluster's node groups are named: `prefix` (generated names, so a replacement is
   * create-then-delete) or `fixed` (kept for stacks deployed before). Absent for an adopted cluster.
   */
  readonly nodeGroupNaming?: { readonly naming: "prefix" | "fixed"; readonly reason: string };
}
